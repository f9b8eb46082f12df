// Words for the compute status bar item: its text and the hover that explains why this
// backend was chosen, which adapter it runs on, what contains learner code, and how to get a
// GPU one. No vscode, so it has plain unit tests.
import type { BackendInfo, BackendName, ContainmentReport, GpuAdapter } from '../../core/protocol/sidecar';
import { adapterName } from '../../core/compute/gpuAdapter';
import { describeContainment } from '../../core/compute/containmentText';
import { t } from '../l10n';

export const BACKEND_LABEL: Record<BackendName, string> = {
  'tensorflow-gpu': 'GPU',
  webgpu: 'WebGPU',
  tensorflow: 'TensorFlow CPU',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Backends that load a native addon, which Node's permission model refuses. */
const NATIVE: ReadonlySet<BackendName> = new Set(['tensorflow-gpu', 'webgpu', 'tensorflow']);

export function backendStatusText(b: BackendName, adapter?: GpuAdapter): string {
  if (b === 'webgpu' && adapter) {
    const vendor = adapter.vendor || t('unknown vendor');
    return adapter.software ? t('$(chip) WebGPU ({0}, software)', vendor) : t('$(chip) WebGPU ({0}, hardware)', vendor);
  }
  return `$(chip) ${BACKEND_LABEL[b]}`;
}

function permissionLine(b: BackendInfo): string | undefined {
  if (b.permissionModel === undefined) return undefined;
  if (b.permissionModel) return t('$(shield) Node\'s permission model is on: learner code cannot write files or start processes.');
  return NATIVE.has(b.name)
    ? t('$(warning) Node\'s permission model is off: `{0}` loads a native addon, which the permission model refuses.', b.name)
    : t('$(warning) Node\'s permission model is off: a native backend may load here (one was installed by Set Up GPU Compute or chosen), or the runtime has no permission model (VS Code\'s own).');
}

/** Markdown (with codicons and command links) for the status bar hover. */
export function backendHoverMarkdown(b: BackendInfo, runtimeDescription: string): string {
  const lines = [
    t('**Transformer Labs compute: {0}**', BACKEND_LABEL[b.name]),
    '',
    t('TensorFlow.js {0} on Node {1} — {2}', b.tfjsVersion, b.nodeVersion, runtimeDescription),
  ];
  if (b.adapter) {
    const adapter = adapterName(b.adapter);
    lines.push('', b.name === 'webgpu' ? t('WebGPU adapter: {0}', adapter) : t('WebGPU adapter: {0} (not used)', adapter));
  }
  lines.push(
    '',
    ...b.attempts.map((a) => (a.ok ? t('- $(check) `{0}` — in use', a.backend) : t('- $(close) `{0}`: {1}', a.backend, a.reason ?? t('not available')))),
  );
  const untried = (b.order ?? []).filter((n) => !b.attempts.some((a) => a.backend === n));
  if (untried.length) lines.push(t('- not tried (`{0}` came first): {1}', b.name, untried.map((n) => `\`${n}\``).join(', ')));
  // Learner code runs in the check process: its containment is what the learner needs to know.
  if (b.containment) lines.push('', ...containmentLines(b.containment));
  else {
    const permission = permissionLine(b);
    if (permission) lines.push('', permission);
  }
  const onGpu = b.name === 'tensorflow-gpu' || (b.name === 'webgpu' && !b.adapter?.software);
  if (!onGpu) {
    lines.push(
      '',
      t('[Set Up GPU Compute](command:transformerLabs.setupGpu) installs WebGPU (Dawn: any GPU with a Vulkan, Metal or Direct3D 12 driver), or the NVIDIA route (CUDA 11.2, cuDNN 8.1).'),
    );
  }
  lines.push('', t('[Select Backend](command:transformerLabs.selectBackend) · [Show Compute Log](command:transformerLabs.showComputeLog)'));
  return lines.join('\n');
}

/** What holds lab code, layer by layer, with what is left open said plainly. */
export function containmentLines(c: ContainmentReport): string[] {
  return [
    t('**What contains your lab code**'),
    '',
    ...describeContainment(c).map((l) => `- ${l.holds ? '$(check)' : '$(warning)'} ${l.text}`),
  ];
}
