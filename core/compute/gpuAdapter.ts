// How the project names a WebGPU adapter to a learner (status bar hover, setup messages, bench).
import type { GpuAdapter } from '../protocol/sidecar';
import { t } from '../l10n';

/** "mesa llvmpipe: Mesa 25.0.7 (LLVM 15.0.6), software" — vendor, what it is, architecture, kind. */
export function adapterName(a: GpuAdapter): string {
  const what = a.description || a.device || t('unnamed adapter');
  const parts = [a.vendor && !what.toLowerCase().startsWith(a.vendor.toLowerCase()) ? `${a.vendor} ${what}` : what];
  const kind = a.software ? 'software' : 'hardware';
  // Dawn reports llvmpipe's architecture as "software": said once.
  if (a.architecture && a.architecture !== kind) parts.push(a.architecture);
  parts.push(a.software ? t('software') : t('hardware'));
  return parts.join(', ');
}
