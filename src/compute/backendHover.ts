// Words for the compute status bar item: its text and the hover that explains why this
// backend was chosen and how to get the GPU one. No vscode, so it has plain unit tests.
import type { BackendInfo, BackendName, ContainmentReport } from '../../core/protocol/sidecar';
import { describeContainment } from '../../core/compute/containmentText';

export const BACKEND_LABEL: Record<BackendName, string> = {
  'tensorflow-gpu': 'GPU',
  tensorflow: 'TensorFlow CPU',
  wasm: 'wasm',
  cpu: 'cpu',
};

export function backendStatusText(b: BackendName): string {
  return `$(chip) ${BACKEND_LABEL[b]}`;
}

/** Markdown (with codicons and command links) for the status bar hover. */
export function backendHoverMarkdown(b: BackendInfo, runtimeDescription: string): string {
  const lines = [
    `**Transformer Labs compute: ${BACKEND_LABEL[b.name]}**`,
    '',
    `TensorFlow.js ${b.tfjsVersion} on Node ${b.nodeVersion} — ${runtimeDescription}`,
    '',
    ...b.attempts.map((a) => `- ${a.ok ? '$(check)' : '$(close)'} \`${a.backend}\`${a.ok ? ' — in use' : `: ${a.reason ?? 'not available'}`}`),
  ];
  if (b.containment) lines.push('', ...containmentLines(b.containment));
  if (b.name !== 'tensorflow-gpu') {
    lines.push(
      '',
      'With an NVIDIA GPU (CUDA 11.2, cuDNN 8.1), [Set Up GPU Compute](command:transformerLabs.setupGpu) installs the GPU backend.',
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
