// Which TensorFlow.js backends to try, in order, for a preference. Pure, so it is testable
// without any native module present.
import type { AutoGpu } from '../../core/compute/gpuProbeResult';
import type { BackendName, BackendPreference } from '../../core/protocol/sidecar';

export const BACKEND_PACKAGES: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  webgpu: 'webgpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

export function backendOrder(pref: BackendPreference, autoGpu?: AutoGpu): BackendName[] {
  switch (pref) {
    case 'auto':
      // webgpu only where the sidecar's probe found a hardware adapter that passed (autoGpuFrom).
      return autoGpu?.webgpu ? ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] : ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
    case 'gpu':
      return ['tensorflow-gpu', 'webgpu'];
    case 'webgpu':
      return ['webgpu'];
    case 'node':
      return ['tensorflow'];
    case 'wasm':
      return ['wasm'];
    case 'cpu':
      return ['cpu'];
  }
}

/** Backends a preference leaves out on purpose, with the reason the hover shows. */
export function autoSkips(pref: BackendPreference, autoGpu?: AutoGpu): { backend: BackendName; reason: string }[] {
  if (pref !== 'auto' || autoGpu?.webgpu) return [];
  return [{ backend: 'webgpu', reason: autoGpu?.reason ?? 'not chosen automatically: the webgpu package is not installed (Set Up GPU Compute installs it)' }];
}

/** Only an explicit `webgpu` preference takes a software adapter: lavapipe is slower than wasm. */
export function allowsSoftwareAdapter(pref: BackendPreference): boolean {
  return pref === 'webgpu';
}

/** Words for a learner when a native package could not be loaded. */
export function explainLoadFailure(backend: BackendName, err: unknown): string {
  const pkg = BACKEND_PACKAGES[backend];
  const code = (err as { code?: string })?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'MODULE_NOT_FOUND' && message.includes(pkg)) {
    if (backend === 'tensorflow-gpu') {
      return `${pkg} is not installed: run "Transformer Labs: Set Up GPU Compute" (needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1)`;
    }
    if (backend === 'webgpu') return `the webgpu package (Dawn) is not installed: run "Transformer Labs: Set Up GPU Compute"`;
    return `${pkg} is not installed`;
  }
  if (backend === 'webgpu') {
    if (/ERR_DLOPEN_DISABLED|ERR_ACCESS_DENIED|permission/i.test(`${code} ${message}`)) {
      return `Node's permission model (the sandbox) is on and refuses native addons such as dawn.node`;
    }
    if (/libvulkan/i.test(message)) return `Dawn needs the Vulkan loader (libvulkan.so.1), which is not installed: ${message}`;
    return `WebGPU (Dawn) did not start: ${message}`;
  }
  if (/libcudart|libcudnn|cuda/i.test(message)) {
    return `${pkg} is installed but CUDA could not be loaded (it needs CUDA 11.2 and cuDNN 8.1): ${message}`;
  }
  if (/isNullOrUndefined/.test(message)) {
    return `${pkg} does not run on Node ${process.version} (tfjs issue #8609): ${message}`;
  }
  return `${pkg} failed to load: ${message}`;
}
