// Lab 6 panel payloads: what the sidecar's "decoding" and "modelAttention" views return.
// Every learner part may be null with a learnerError beside it; the reference is always there.
import type { LearnerError } from '../sidecar';

export type DecodingStrategyName = 'greedy' | 'sample' | 'beam';

export interface DecodingViewInput {
  prompt: string;
  strategy: DecodingStrategyName;
  /** > 0. */
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off; in (0, 1]. */
  topP: number;
  seed: number;
  /** New characters to generate (1…64). */
  steps: number;
  /** Beam search only (1…8). */
  beamWidth: number;
}

/** One bar of a next-token distribution. */
export interface TokenBar {
  id: number;
  /** The character, as the model's vocabulary spells it. */
  token: string;
  probability: number;
  /** Survived the filters (probability > 0 after them). */
  kept: boolean;
}

/** The next-token distribution for the prompt: top-20 before and after the filters. */
export interface DistributionView {
  /** softmax(logits), top 20 by probability; `kept` says whether the filters keep the token. */
  before: TokenBar[];
  /** The distribution that is sampled from, top 20 by probability. */
  after: TokenBar[];
}

export interface GeneratedStep {
  id: number;
  token: string;
  /** The probability the model (softmax of its logits, T = 1) gave this token at this step. */
  probability: number;
}

export interface GeneratedText {
  /** Prompt + generated characters. */
  text: string;
  steps: GeneratedStep[];
}

export interface BeamTreeNode {
  id: number;
  /** -1 for the root. */
  parent: number;
  /** '' for the root. */
  token: string;
  tokenId: number;
  logProb: number;
  step: number;
  status: 'kept' | 'pruned' | 'finished';
}

export interface BeamTreeView {
  nodes: BeamTreeNode[];
  best: { text: string; logProb: number; score: number };
}

/** A learner/reference pair: learner is null when the learner's code threw or returned nonsense. */
export interface Compared<T> {
  learner: T | null;
  reference: T;
  learnerError?: LearnerError;
}

export interface DecodingViewData {
  /** The input as used (clamped), so the panel can show what ran. */
  settings: DecodingViewInput;
  /** Prompt characters the model does not know (left out). */
  dropped: string[];
  promptTokens: string[];
  distribution: Compared<DistributionView>;
  generation: Compared<GeneratedText>;
  /** Only for strategy 'beam'. */
  beam?: Compared<BeamTreeView>;
  source: string;
}

export interface ModelAttentionViewInput {
  prompt: string;
}

export interface ModelAttentionViewData {
  tokens: string[];
  dropped: string[];
  nLayer: number;
  nHead: number;
  /** [layer][head][query][key]. */
  maps: Compared<number[][][][]>;
  /** 32 characters generated greedily after the prompt. */
  generated: Compared<string>;
  /** |learner − reference| above this counts as a disagreement. */
  tolerance: number;
  source: string;
}
