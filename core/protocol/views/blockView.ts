// Payload of Lab 2's "block" view: the sidecar computes it (labs/02-transformer-block/
// visualize.ts), the panel draws it. The learner's encoder stack runs twice on the same
// sentence and the same seeded weights, once Pre-LN and once Post-LN, beside the reference.
// When the learner's code throws or returns the wrong shape, its side is null, the reference is
// still there, and learnerError says what went wrong.
import type { LearnerError } from '../sidecar';

/** What the panel sends. Missing or out-of-range values fall back to the defaults. */
export interface BlockViewInput {
  /** Tokenised into words and punctuation, at most 32 tokens (default: a short sentence). */
  sentence?: string;
  /** Number of encoder blocks, 1..24 (default 12). */
  layers?: number;
  /** Attention heads per block: 1, 2 or 4 (default 2); d_model is 16. */
  heads?: number;
}

/** Numbers for one block of the stack (layer is 1-based). */
export interface LayerStats {
  layer: number;
  /** ‖h_l[i]‖₂ of the residual stream after block l, averaged over positions i. */
  residualNorm: number;
  /** Mean of all entries of h_l. */
  mean: number;
  /** Standard deviation of all entries of h_l. */
  std: number;
  /**
   * ‖∂loss/∂θ_l‖₂ over every parameter θ_l of block l (attention, FFN, both LayerNorms), where
   * loss = mean over positions of output[i]·r[i] with r a fixed seeded random readout.
   */
  /** null when the compute backend has no gradients registered (BlockViewData.gradients). */
  gradNorm: number | null;
}

/** One stack arrangement run by the learner's code and the reference. */
export interface BlockRun {
  norm: 'pre' | 'post';
  /** e.g. "Pre-LN: x + F(LN(x)), final LayerNorm". */
  label: string;
  learner: LayerStats[] | null;
  reference: LayerStats[];
  /** Self-attention weights: [layer][head][query][key]. */
  attention: { learner: number[][][][] | null; reference: number[][][][] };
  learnerError?: LearnerError;
}

export interface BlockViewData {
  /** The input after defaults and clamping. */
  input: Required<BlockViewInput>;
  tokens: string[];
  dModel: number;
  /** [Pre-LN, Post-LN]. */
  runs: BlockRun[];
  /** Whether gradNorm was computed (tfjs gradients registered in the sidecar). */
  gradients: boolean;
  /** Which attention.ts the learner's stack used. */
  attentionSource: 'learner' | 'reference' | 'unknown';
  /** Where the weights and embeddings come from, said on the panel. */
  source: string;
  /** The first learner error of the runs, if any. */
  learnerError?: LearnerError;
  /** Relative |learner − reference| above this counts as a disagreement. */
  tolerance: number;
}
