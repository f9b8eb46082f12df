// Words for the compute status bar item: its text and the hover that explains why this
// backend was chosen, which adapter it runs on, what contains learner code, and how to get a
// GPU one. No vscode, so it has plain unit tests.
import type { BackendInfo, BackendName, ContainmentReport, GpuAdapter } from '../../core/protocol/sidecar';
import { adapterName } from '../../core/compute/gpuAdapter';
import { describeContainment } from '../../core/compute/containmentText';

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
  if (b === 'webgpu' && adapter) return `$(chip) WebGPU (${adapter.vendor || 'unknown vendor'}, ${adapter.software ? 'software' : 'hardware'})`;
  return `$(chip) ${BACKEND_LABEL[b]}`;
}

function permissionLine(b: BackendInfo): string | undefined {
  if (b.permissionModel === undefined) return undefined;
  if (b.permissionModel) return '$(shield) Node\'s permission model is on: learner code cannot write files or start processes.';
  const why = NATIVE.has(b.name)
    ? `\`${b.name}\` loads a native addon, which the permission model refuses`
    : 'a native backend may load here (one was installed by Set Up GPU Compute or chosen), or the runtime has no permission model (VS Code\'s own)';
  return `$(warning) Node's permission model is off: ${why}.`;
}

/** Markdown (with codicons and command links) for the status bar hover. */
export function backendHoverMarkdown(b: BackendInfo, runtimeDescription: string): string {
  const lines = [
    `**Transformer Labs compute: ${BACKEND_LABEL[b.name]}**`,
    '',
    `TensorFlow.js ${b.tfjsVersion} on Node ${b.nodeVersion} — ${runtimeDescription}`,
  ];
  if (b.adapter) lines.push('', `WebGPU adapter: ${adapterName(b.adapter)}${b.name === 'webgpu' ? '' : ' (not used)'}`);
  lines.push(
    '',
    ...b.attempts.map((a) => `- ${a.ok ? '$(check)' : '$(close)'} \`${a.backend}\`${a.ok ? ' — in use' : `: ${a.reason ?? 'not available'}`}`),
  );
  const untried = (b.order ?? []).filter((n) => !b.attempts.some((a) => a.backend === n));
  if (untried.length) lines.push(`- not tried (\`${b.name}\` came first): ${untried.map((n) => `\`${n}\``).join(', ')}`);
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
      '[Set Up GPU Compute](command:transformerLabs.setupGpu) installs WebGPU (Dawn: any GPU with a Vulkan, Metal or Direct3D 12 driver), or the NVIDIA route (CUDA 11.2, cuDNN 8.1).',
    );
  }
  lines.push('', '[Select Backend](command:transformerLabs.selectBackend) · [Show Compute Log](command:transformerLabs.showComputeLog)');
  return lines.join('\n');
}

/** What holds lab code, layer by layer, with what is left open said plainly. */
export function containmentLines(c: ContainmentReport): string[] {
  return [
    '**What contains your lab code**',
    '',
    ...describeContainment(c).map((l) => `- ${l.holds ? '$(check)' : '$(warning)'} ${l.text}`),
  ];
}
