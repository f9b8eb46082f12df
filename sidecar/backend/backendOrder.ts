// Which TensorFlow.js backends to try, in order, for a preference. Pure, so it is testable
// without any native module present.
import type { BackendName, BackendPreference } from '../../core/protocol/sidecar';

export const BACKEND_PACKAGES: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

export function backendOrder(pref: BackendPreference): BackendName[] {
  switch (pref) {
    case 'auto':
      return ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
    case 'gpu':
      return ['tensorflow-gpu'];
    case 'node':
      return ['tensorflow'];
    case 'wasm':
      return ['wasm'];
    case 'cpu':
      return ['cpu'];
  }
}

/** Words for a learner when a native package could not be loaded. */
export function explainLoadFailure(backend: BackendName, err: unknown): string {
  const pkg = BACKEND_PACKAGES[backend];
  const code = (err as { code?: string })?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'MODULE_NOT_FOUND' && message.includes(pkg)) {
    return backend === 'tensorflow-gpu'
      ? `${pkg} is not installed: run "Transformer Labs: Set Up GPU Compute" (needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1)`
      : `${pkg} is not installed`;
  }
  if (/libcudart|libcudnn|cuda/i.test(message)) {
    return `${pkg} is installed but CUDA could not be loaded (it needs CUDA 11.2 and cuDNN 8.1): ${message}`;
  }
  if (/isNullOrUndefined/.test(message)) {
    return `${pkg} does not run on Node ${process.version} (tfjs issue #8609): ${message}`;
  }
  return `${pkg} failed to load: ${message}`;
}
