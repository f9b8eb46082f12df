// Lab 6 — How a GPT generates text: decoding strategies.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above
// each function shows how many pass, and "Hint 1 of 3" beside it opens hints one at a time.
// Instructions: INSTRUCTIONS.md (opened beside this file).
// Logits and probabilities are plain number[] with one entry per vocabulary token.
import type { Vector } from '@transformer-labs/helpers';

// ───────────────────────── Level 1: one step ─────────────────────────

/**
 * Greedy choice: the index of the largest logit. On a tie the LOWEST index wins.
 * @param logits [V]
 */
export function greedy(logits: Vector): number {
  // Nudge: the index of the largest logit — and on a tie, which index must win?
  throw new Error('TODO: implement greedy');
}

/**
 * Temperature: softmax(logits / T). T < 1 sharpens, T > 1 flattens, T → 0 tends to greedy.
 * Throws an Error for T ≤ 0 (or a T that is not a finite number).
 * @returns probabilities [V] summing to 1
 */
export function applyTemperature(logits: Vector, temperature: number): Vector {
  // Nudge: does T act on the logits or on the probabilities? And what is T = 0 supposed to mean?
  throw new Error('TODO: implement applyTemperature');
}

/**
 * Top-k: keep exactly the k most probable tokens (k ≥ V keeps all), set the others to 0,
 * renormalise. A tie at the k-th probability keeps the lower indices first.
 * @param probs [V] probabilities   @param k integer ≥ 1
 */
export function topK(probs: Vector, k: number): Vector {
  // Nudge: rank the tokens; the tie rule says which of several equal ones makes the cut.
  throw new Error('TODO: implement topK');
}

/**
 * Top-p (nucleus): walk the tokens by descending probability and keep them until the kept
 * mass is ≥ p — the token that reaches or crosses p is kept. Zero the rest, renormalise.
 * @param probs [V] probabilities   @param p in (0, 1]
 */
export function topP(probs: Vector, p: number): Vector {
  // Nudge: in the worked example, which token makes the kept mass reach p — and is it kept?
  throw new Error('TODO: implement topP');
}

/**
 * Inverse-CDF sampling: draw u = rng() ONCE, return the first i with u < p_0 + … + p_i.
 * Tokens with probability 0 are never returned.
 */
export function sampleFrom(probs: Vector, rng: () => number): number {
  // Nudge: picture the probabilities as segments laid end to end on [0, 1); where does one uniform number land?
  throw new Error('TODO: implement sampleFrom');
}

// ───────────────────────── Level 2: the generation loop ─────────────────────────

export type Strategy =
  | { kind: 'greedy' }
  | { kind: 'sample'; temperature: number; topK?: number; topP?: number; rng: () => number };

/**
 * Autoregressive generation: `steps` times, ask the model for the next-token logits of the
 * tokens so far, choose a token, append it. Sampling applies temperature, then top-k (if set),
 * then top-p (if set), then sampleFrom — one rng() call per generated token.
 * @returns the prompt followed by `steps` new tokens
 */
export function generate(nextLogits: (tokens: number[]) => Vector, prompt: number[], steps: number, strategy: Strategy): number[] {
  // Nudge: the loop is choose, append, repeat — whose array are you appending to?
  throw new Error('TODO: implement generate');
}

// ───────────────────────── Level 3: beam search ─────────────────────────

export interface BeamOptions {
  width: number;
  /** At most this many new tokens. */
  maxLength: number;
  /** α of the length penalty ((5 + L) / 6)^α; 0 (the default) ranks by raw log-probability. */
  lengthPenalty?: number;
  /** A token that ends a hypothesis. */
  endToken?: number;
}

export interface BeamNode {
  id: number;
  parent: number;
  token: number;
  logProb: number;
  step: number;
  status: 'kept' | 'pruned' | 'finished';
}

export interface BeamHypothesis {
  tokens: number[];
  logProb: number;
  score: number;
}

/**
 * Beam search with cumulative log-probabilities and GNMT length normalisation
 * score = logProb / ((5 + L) / 6)^α, L = number of generated tokens (the end token included).
 * Each step ranks every (beam, token) extension (ties: earlier beam, then lower token) and
 * keeps the top `width`; an extension ending in endToken is finished and leaves the beam.
 * After maxLength steps the remaining beams are finished too; the best score wins.
 * The tree has the root (id 0, parent -1, token -1, step 0), every kept or finished
 * candidate, and the `width` next-ranked candidates of each step marked 'pruned'.
 */
export function beamSearch(
  nextLogits: (tokens: number[]) => Vector,
  prompt: number[],
  opts: BeamOptions,
): BeamHypothesis & { hypotheses: BeamHypothesis[]; tree: BeamNode[] } {
  // Nudge: keep several partial sequences, not one; score whole sequences, not last tokens.
  throw new Error('TODO: implement beamSearch');
}
