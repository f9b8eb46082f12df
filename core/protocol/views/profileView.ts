// The complexity profiler (Lab 1's "profile" view): one bounded sidecar call measures one function
// at one sequence length N, the reference part first and then the learner's (two-part LabView,
// labs/01-attention/profile.ts); the host (core/profiler/profileRun.ts) calls it for N = 16, 32,
// … until a time or memory cap and fits the growth. Shared by sidecar, host, CLI and page.
import type { LearnerError } from '../sidecar';

export type ProfileTarget = 'attention' | 'multiHeadAttention' | 'chunkedAttention';
export const PROFILE_TARGETS: readonly ProfileTarget[] = ['attention', 'multiHeadAttention', 'chunkedAttention'];

/** One size of one function. */
export interface ProfileSizeInput {
  target: ProfileTarget;
  /** Sequence length: q, k, v (or x) have N rows. */
  n: number;
  /** Feature width d (dModel for multi-head attention). */
  d: number;
  heads: number;
  /** chunkedAttention's chunk size. */
  chunk: number;
  /** How long each part may spend on repeated timing runs, in ms (at least one run always happens). */
  budgetMs: number;
  /** Leave a part out (its series already stopped at a cap). */
  skipLearner?: boolean;
  skipReference?: boolean;
}

export interface Measurement {
  /** Median wall time of one call, in ms. */
  ms: number;
  /** Every timed call, in ms. */
  runs: number[];
  /** The most tensor memory held at once during one call, above what existed before it (tf.profile). */
  peakBytes: number;
}

/** The payload: the `{ learner, reference, learnerError }` part convention of two-part views. */
export interface ProfileSizeResult {
  target: ProfileTarget;
  n: number;
  learner: Measurement | null;
  reference: Measurement | null;
  learnerError?: LearnerError;
}

/** What the panel (or the CLI) asks for: the functions and the caps. */
export interface ProfileSettings {
  targets: ProfileTarget[];
  /** Largest N tried (sizes double from 16). */
  maxN: number;
  d: number;
  heads: number;
  chunk: number;
  /** A series stops when one call takes, or the next would take, longer than this (ms). */
  timeCapMs: number;
  /** A series stops when one call holds, or the next would hold, more tensor memory than this (MB). */
  memoryCapMb: number;
}

export const DEFAULT_PROFILE_SETTINGS: ProfileSettings = {
  targets: ['attention', 'multiHeadAttention', 'chunkedAttention'],
  maxN: 2048,
  d: 64,
  heads: 4,
  chunk: 64,
  timeCapMs: 1500,
  memoryCapMb: 256,
};

export interface SeriesPoint {
  n: number;
  ms: number;
  peakBytes: number;
}

export interface PowerFit {
  /** y ≈ coefficient · N^exponent on the points used. */
  exponent: number;
  coefficient: number;
  /** Standard error of the exponent (0 with two points). */
  stderr: number;
  r2: number;
  /** The N of the points the fit used (the largest ones: small sizes measure overheads). */
  used: number[];
}

export interface Series {
  target: ProfileTarget;
  who: 'learner' | 'reference';
  points: SeriesPoint[];
  /** Why the series ended before maxN (a cap, an error), in words. */
  stopped?: string;
  /** The learner's function threw, is not started, or was stopped. */
  error?: LearnerError;
  time: PowerFit | null;
  memory: PowerFit | null;
  /** The fits extrapolated to N = EXTRAPOLATE_N. */
  at100k: { ms: number; bytes: number } | null;
}

export const EXTRAPOLATE_N = 100_000;

export interface ProfileRunData {
  settings: ProfileSettings;
  series: Series[];
  /** All sizes of every target measured (or stopped). */
  done: boolean;
  cancelled?: boolean;
  /** Which size is being measured now, when running. */
  measuring?: { target: ProfileTarget; n: number };
  /** The N the fits are extrapolated to (EXTRAPOLATE_N). */
  extrapolateN: number;
  /** Bytes of one N × N float32 matrix at N = EXTRAPOLATE_N. */
  scoreMatrixBytesAt100k: number;
}
