// One profiler measurement through the sidecar: the learner's code runs only there, under the
// learner's time and memory limits (never in the extension host or the CLI process). Shared by
// the profiler panel and `transformer-labs profile`.
import type { SidecarClient } from '../compute/sidecarClient';
import type { RunLimits, SourceFile } from '../protocol/sidecar';
import type { ProfileSizeResult } from '../protocol/views/profileView';
import type { MeasureFn } from './profileRun';
import { t } from '../l10n';

export const PROFILE_VIEW = 'profile';

/** How long one size's timing repeats may take: a quarter of the learner's time limit, at most 0.5 s. */
export function timingBudget(limits: RunLimits): number {
  return Math.max(0, Math.min(500, limits.timeoutMs / 4));
}

export function sidecarMeasure(client: () => Promise<Pick<SidecarClient, 'visualize'>>, labId: string, files: () => SourceFile[], limits: RunLimits): MeasureFn {
  return async (input, signal) => {
    const r = await (await client()).visualize({ labId, files: files(), view: PROFILE_VIEW, input, limits }, signal);
    if (!r.ok) {
      const e = r.compileErrors[0];
      return { unavailable: e ? t('Your code could not be profiled: {0} ({1}:{2})', r.error.message, e.file, e.line) : t('Your code could not be profiled: {0}', r.error.message) };
    }
    const data = r.data as ProfileSizeResult & { learnerError?: ProfileSizeResult['learnerError'] };
    return data;
  };
}
