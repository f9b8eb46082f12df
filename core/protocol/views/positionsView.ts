// Payload of Lab 3's "positions" view: the sidecar computes it (labs/03-positional-encodings/
// visualize.ts), the panel draws it. Every part carries the learner's numbers beside the
// reference; a part whose learner function threw or returned the wrong shape has
// learner = null and a learnerError, and the reference is still shown.
import type { LearnerError } from '../sidecar';

/** What the panel sends. Missing or out-of-range values fall back to the defaults. */
export interface PositionsViewInput {
  /** Positions drawn in the encoding matrix and the similarity curves (default 64, 4..128). */
  maxPosition?: number;
  /** Model width (default 32, even, 2..128). */
  dModel?: number;
  /** ALiBi heads (default 8, 1..16). */
  heads?: number;
  /** The learned table's length and the "training length" of the extrapolation plot (default 32, 2..128). */
  trainLength?: number;
  /** Which RoPE pair i the rotation plot follows (default 1, 0..dModel/2−1). */
  ropePair?: number;
}

/** One part of the view: the learner's value (null on error) and the reference. */
export interface PositionsPart<T> {
  learner: T | null;
  reference: T;
  /** Set when the learner's function threw or returned the wrong shape. */
  learnerError?: LearnerError;
}

export type PositionScheme = 'sinusoidal' | 'learned' | 'rope' | 'alibi';

/** Similarity as a function of distance k = 0..maxPosition−1, for one scheme. */
export interface SimilarityCurve extends PositionsPart<number[]> {
  scheme: PositionScheme;
  /** What the y value is for this scheme, said on the panel. */
  measure: string;
}

/** One scheme's extrapolation series: y per position, null where the scheme has no value. */
export interface ExtrapolationCurve {
  scheme: PositionScheme;
  learner: (number | null)[] | null;
  reference: (number | null)[];
  /** First position with no value (the learned table's length), null if it never breaks. */
  breaksAt: { learner: number | null; reference: number | null };
  /** Set only when the learner's part of the view was stopped (time or memory limit). */
  learnerError?: LearnerError;
}

export interface PositionsViewData {
  /** The input after defaults and clamping. */
  input: Required<PositionsViewInput>;
  /** sinusoidalEncoding(maxPosition, dModel): matrix[position][dimension]. */
  sinusoidal: PositionsPart<number[][]>;
  /**
   * x = distance k; y = mean over position pairs (p, p+k) inside maxPosition of:
   * cosine similarity for sinusoidal, learned (a seeded random, untrained table) and RoPE (one
   * seeded content vector at both positions); mean over heads of exp(bias) for ALiBi.
   */
  similarity: { distances: number[]; curves: SimilarityCurve[] };
  /** RoPE of the unit vector of pair `pair` at positions 0..maxPosition−1: [x, y] per position. */
  ropeRotation: PositionsPart<[number, number][]> & { pair: number; theta: number };
  /** ALiBi slopes per head and bias matrices [heads][n][n], n = min(maxPosition, 32); null = masked (j > i). */
  alibi: { n: number; slopes: PositionsPart<number[]>; bias: PositionsPart<(number | null)[][][]> };
  /**
   * extrapolationStudy with a learned table of trainLength rows, positions 0..2·trainLength−1:
   * y = how position p relates to position 0 under each scheme.
   */
  extrapolation: {
    positions: number[];
    trainLength: number;
    curves: ExtrapolationCurve[];
    learnerError?: LearnerError;
  };
  /** Where the inputs come from, said on the panel. */
  source: string;
  /** |learner − reference| above this counts as a disagreement. */
  tolerance: number;
}
