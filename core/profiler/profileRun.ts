// The profiler's loop, shared by the panel (src/panels/profilerController.ts) and
// `transformer-labs profile`: a sequence of bounded sidecar calls, one per function and size
// (N = 16, 32, … maxN), each under the learner's time limit. A series (the learner's or the
// reference's curve of one function) stops at a time or memory cap — before a call when the
// previous sizes predict the next would pass it — or when the learner's function fails. After
// every call the fits are redone and the caller gets the whole picture so far.
import type { LearnerError } from '../protocol/sidecar';
import {
  EXTRAPOLATE_N,
  type ProfileRunData,
  type ProfileSettings,
  type ProfileSizeInput,
  type ProfileSizeResult,
  type ProfileTarget,
  type Series,
} from '../protocol/views/profileView';
import { extrapolate, fitPowerLaw, predictNext } from './fit';
import { t } from '../l10n';

export type Unavailable = { unavailable: string; detail?: string };
export type MeasureFn = (input: ProfileSizeInput, signal: AbortSignal) => Promise<ProfileSizeResult | Unavailable>;

export interface ProfileRunOptions {
  signal?: AbortSignal;
  /** How long each part of one call may spend repeating its timing runs (keep it well under the learner's time limit). */
  budgetMs: number;
  onUpdate?(data: ProfileRunData): void;
}

/** Timings under this many ms are mostly timer and call overhead: left out of the time fit. */
const TIME_FLOOR_MS = 0.05;
const MB = 1024 * 1024;

export function profileSizes(maxN: number): number[] {
  const out: number[] = [];
  for (let n = 16; n <= maxN; n *= 2) out.push(n);
  return out;
}

function refit(s: Series): void {
  const time = fitPowerLaw(s.points.map((p) => ({ n: p.n, y: p.ms })), { floor: TIME_FLOOR_MS });
  const memory = fitPowerLaw(s.points.map((p) => ({ n: p.n, y: p.peakBytes })), { floor: 0 });
  s.time = time;
  s.memory = memory;
  s.at100k = time && memory ? { ms: extrapolate(time, EXTRAPOLATE_N), bytes: extrapolate(memory, EXTRAPOLATE_N) } : null;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Why this series should not run size `n`, judged from its own points; undefined to go on. */
export function capReason(s: Series, n: number, settings: ProfileSettings): string | undefined {
  const last = s.points[s.points.length - 1];
  if (!last) return undefined;
  if (last.ms > settings.timeCapMs) return t('N = {0} took {1}, more than the {2} cap', last.n, seconds(last.ms), seconds(settings.timeCapMs));
  if (last.peakBytes > settings.memoryCapMb * MB) return t('N = {0} held {1} MB, more than the {2} MB cap', last.n, (last.peakBytes / MB).toFixed(0), settings.memoryCapMb);
  const ms = predictNext(s.points.map((p) => ({ n: p.n, y: p.ms })), n);
  if (ms !== undefined && ms > settings.timeCapMs) return t('N = {0} would take about {1}, more than the {2} cap', n, seconds(ms), seconds(settings.timeCapMs));
  const bytes = predictNext(s.points.map((p) => ({ n: p.n, y: p.peakBytes })), n);
  if (bytes !== undefined && bytes > settings.memoryCapMb * MB) return t('N = {0} would hold about {1} MB, more than the {2} MB cap', n, (bytes / MB).toFixed(0), settings.memoryCapMb);
  return undefined;
}

function emptySeries(target: ProfileTarget, who: Series['who']): Series {
  return { target, who, points: [], time: null, memory: null, at100k: null };
}

export async function runProfile(measure: MeasureFn, settings: ProfileSettings, opts: ProfileRunOptions): Promise<ProfileRunData | Unavailable> {
  const signal = opts.signal ?? new AbortController().signal;
  const data: ProfileRunData = {
    settings,
    series: settings.targets.flatMap((t) => [emptySeries(t, 'learner'), emptySeries(t, 'reference')]),
    done: false,
    extrapolateN: EXTRAPOLATE_N,
    scoreMatrixBytesAt100k: 4 * EXTRAPOLATE_N * EXTRAPOLATE_N,
  };
  const sizes = profileSizes(settings.maxN);
  const update = () => opts.onUpdate?.(structuredClone(data));
  for (const target of settings.targets) {
    const learner = data.series.find((s) => s.target === target && s.who === 'learner')!;
    const reference = data.series.find((s) => s.target === target && s.who === 'reference')!;
    for (const n of sizes) {
      for (const s of [learner, reference]) if (!s.stopped) s.stopped = capReason(s, n, settings);
      if (learner.stopped && reference.stopped) break;
      if (signal.aborted) return { ...data, cancelled: true, measuring: undefined };
      data.measuring = { target, n };
      update();
      const input: ProfileSizeInput = {
        target,
        n,
        d: settings.d,
        heads: settings.heads,
        chunk: settings.chunk,
        budgetMs: opts.budgetMs,
        skipLearner: !!learner.stopped,
        skipReference: !!reference.stopped,
      };
      let result: ProfileSizeResult | Unavailable;
      try {
        result = await measure(input, signal);
      } catch (err) {
        if ((err as Error)?.name === 'AbortError' || signal.aborted) return { ...data, cancelled: true, measuring: undefined };
        throw err;
      }
      if ('unavailable' in result) return result;
      if (result.reference && !reference.stopped) reference.points.push({ n, ms: result.reference.ms, peakBytes: result.reference.peakBytes });
      if (!learner.stopped) {
        if (result.learner) learner.points.push({ n, ms: result.learner.ms, peakBytes: result.learner.peakBytes });
        else {
          const error: LearnerError = result.learnerError ?? { message: t('your function gave no result') };
          learner.error = error;
          learner.stopped = t('at N = {0}: {1}', n, error.message);
        }
      }
      refit(learner);
      refit(reference);
    }
  }
  data.done = true;
  data.measuring = undefined;
  update();
  return data;
}
