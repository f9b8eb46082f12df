// Reference decoding strategies for Lab 6, on plain numbers: logits and probabilities are
// number[] (one entry per vocabulary token); randomness comes only from the `rng` passed in.
// The rules stated here are the ones the lab's INSTRUCTIONS.md and checks use:
//   - greedy: argmax, the LOWEST index wins a tie;
//   - temperature: softmax(logits / T), T must be > 0 (T → 0 tends to one-hot on the argmax);
//   - top-k: keeps exactly k tokens (k ≥ V keeps all); a tie at the k-th value keeps the
//     lower indices first;
//   - top-p: sort by descending probability (ties: lower index first), keep the smallest
//     prefix whose mass is ≥ p, the token that reaches or crosses p INCLUDED; renormalise;
//   - sampleFrom: inverse CDF with ONE rng() call: the first i with u < Σ_{j≤i} p_j.
// softmax and log-softmax are the shared ones (activations.ts).
import { logSoftmaxRef, softmaxRef } from '../activations';

/** Index of the largest entry; the lowest index wins a tie. */
export function greedyRef(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** softmax(logits / T). Throws for T ≤ 0 or a non-finite T. */
export function applyTemperatureRef(logits: ArrayLike<number>, temperature: number): number[] {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(`temperature must be a finite number > 0, got ${temperature}`);
  }
  return softmaxRef(Array.from(logits, (l) => l / temperature));
}

/** Token indices by descending probability; equal probabilities keep the lower index first. */
export function rankByProbability(probs: number[]): number[] {
  return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
}

function renormalise(probs: number[], keep: boolean[]): number[] {
  let s = 0;
  probs.forEach((p, i) => (s += keep[i] ? p : 0));
  return probs.map((p, i) => (keep[i] ? p / s : 0));
}

/** Keeps the k most probable tokens (lower index first on ties), zeros the rest, renormalises. */
export function topKRef(probs: number[], k: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be an integer ≥ 1, got ${k}`);
  const keep = new Array<boolean>(probs.length).fill(false);
  for (const i of rankByProbability(probs).slice(0, k)) keep[i] = true;
  return renormalise(probs, keep);
}

/** Keeps the smallest most-probable set whose mass reaches p (crossing token included). */
export function topPRef(probs: number[], p: number): number[] {
  if (!(p > 0 && p <= 1)) throw new Error(`p must be in (0, 1], got ${p}`);
  const keep = new Array<boolean>(probs.length).fill(false);
  let mass = 0;
  for (const i of rankByProbability(probs)) {
    keep[i] = true;
    mass += probs[i];
    if (mass >= p) break;
  }
  return renormalise(probs, keep);
}

/** Inverse-CDF sampling with exactly one rng() call. */
export function sampleFromRef(probs: number[], rng: () => number): number {
  const u = rng();
  let cum = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    cum += probs[i];
    last = i;
    if (u < cum) return i;
  }
  return last; // u fell past a total that rounded to just under 1
}

export type Strategy =
  | { kind: 'greedy' }
  | { kind: 'sample'; temperature: number; topK?: number; topP?: number; rng: () => number };

/** The filtered distribution a sampling step draws from: temperature, then top-k, then top-p. */
export function filteredDistributionRef(logits: number[], s: { temperature: number; topK?: number; topP?: number }): number[] {
  let probs = applyTemperatureRef(logits, s.temperature);
  if (s.topK !== undefined) probs = topKRef(probs, s.topK);
  if (s.topP !== undefined) probs = topPRef(probs, s.topP);
  return probs;
}

/** Appends `steps` tokens to the prompt, one nextLogits call per step. */
export function generateRef(nextLogits: (tokens: number[]) => number[], prompt: number[], steps: number, strategy: Strategy): number[] {
  const tokens = prompt.slice();
  for (let t = 0; t < steps; t++) {
    const logits = nextLogits(tokens.slice());
    tokens.push(strategy.kind === 'greedy' ? greedyRef(logits) : sampleFromRef(filteredDistributionRef(logits, strategy), strategy.rng));
  }
  return tokens;
}

export interface BeamOptions {
  width: number;
  /** At most this many NEW tokens after the prompt. */
  maxLength: number;
  /** α in the GNMT length penalty ((5 + L) / 6)^α; 0 ranks by raw log-probability. */
  lengthPenalty?: number;
  /** A token that ends a hypothesis (it is kept, then the hypothesis stops growing). */
  endToken?: number;
}

export interface BeamNode {
  id: number;
  /** -1 for the root (the prompt). */
  parent: number;
  /** -1 for the root. */
  token: number;
  /** Σ log p of the generated tokens on the path to this node. */
  logProb: number;
  /** 0 for the root, 1 for the first generated token… */
  step: number;
  status: 'kept' | 'pruned' | 'finished';
}

export interface BeamHypothesis {
  /** Prompt followed by the generated tokens. */
  tokens: number[];
  logProb: number;
  /** logProb / ((5 + L) / 6)^α, L = number of generated tokens. */
  score: number;
}

export interface BeamResult extends BeamHypothesis {
  /** Every finished hypothesis, best score first. */
  hypotheses: BeamHypothesis[];
  /** The root, every kept/finished candidate, and the next `width` ranked candidates per step (pruned). */
  tree: BeamNode[];
}

/** GNMT length normalisation: the score of a hypothesis with L generated tokens. */
export function lengthNormalisedRef(logProb: number, generated: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / Math.pow((5 + generated) / 6, alpha);
}

/**
 * Beam search. Each step extends every alive beam by every token, ranks all candidates by
 * cumulative log-probability (ties: earlier beam, then lower token), and takes the top `width`:
 * those ending in endToken become finished, the others stay alive. A finished hypothesis
 * takes its slot in the step it finishes, so fewer beams may stay alive. After maxLength
 * steps the alive beams finish too; the best normalised score wins (ties: first finished).
 */
export function beamSearchRef(nextLogits: (tokens: number[]) => number[], prompt: number[], opts: BeamOptions): BeamResult {
  const { width, maxLength } = opts;
  const alpha = opts.lengthPenalty ?? 0;
  if (!Number.isInteger(width) || width < 1) throw new Error(`width must be an integer ≥ 1, got ${width}`);
  const tree: BeamNode[] = [{ id: 0, parent: -1, token: -1, logProb: 0, step: 0, status: 'kept' }];
  let alive: { tokens: number[]; logProb: number; node: number }[] = [{ tokens: prompt.slice(), logProb: 0, node: 0 }];
  const finished: BeamHypothesis[] = [];
  const finish = (tokens: number[], logProb: number) =>
    finished.push({ tokens, logProb, score: lengthNormalisedRef(logProb, tokens.length - prompt.length, alpha) });

  for (let step = 1; step <= maxLength && alive.length > 0; step++) {
    const candidates: { beam: number; token: number; logProb: number }[] = [];
    alive.forEach((b, beam) => {
      logSoftmaxRef(nextLogits(b.tokens.slice())).forEach((lp, token) => candidates.push({ beam, token, logProb: b.logProb + lp }));
    });
    candidates.sort((a, b) => b.logProb - a.logProb || a.beam - b.beam || a.token - b.token);
    const next: typeof alive = [];
    candidates.slice(0, 2 * width).forEach((c, rank) => {
      const parent = alive[c.beam];
      const ended = opts.endToken !== undefined && c.token === opts.endToken;
      const status = rank >= width ? 'pruned' : ended ? 'finished' : 'kept';
      const id = tree.length;
      tree.push({ id, parent: parent.node, token: c.token, logProb: c.logProb, step, status });
      const tokens = [...parent.tokens, c.token];
      if (status === 'finished') finish(tokens, c.logProb);
      else if (status === 'kept') next.push({ tokens, logProb: c.logProb, node: id });
    });
    alive = next;
  }
  for (const b of alive) {
    finish(b.tokens, b.logProb);
    tree[b.node].status = 'finished';
  }
  // Stable sort: among equal scores the hypothesis finished first stays first.
  const hypotheses = finished.map((h, i) => ({ h, i })).sort((a, b) => b.h.score - a.h.score || a.i - b.i).map((x) => x.h);
  return { ...hypotheses[0], hypotheses, tree };
}

/** Exhaustive search over every continuation (ending at endToken or after maxLength tokens). */
export function exhaustiveSearchRef(nextLogits: (tokens: number[]) => number[], prompt: number[], opts: Omit<BeamOptions, 'width'>): BeamHypothesis {
  const alpha = opts.lengthPenalty ?? 0;
  let best: BeamHypothesis | undefined;
  const visit = (tokens: number[], logProb: number) => {
    const generated = tokens.length - prompt.length;
    const ended = generated > 0 && opts.endToken !== undefined && tokens[tokens.length - 1] === opts.endToken;
    if (ended || generated === opts.maxLength) {
      const score = lengthNormalisedRef(logProb, generated, alpha);
      if (!best || score > best.score) best = { tokens, logProb, score };
      return;
    }
    logSoftmaxRef(nextLogits(tokens.slice())).forEach((lp, t) => visit([...tokens, t], logProb + lp));
  };
  visit(prompt.slice(), 0);
  return best!;
}
