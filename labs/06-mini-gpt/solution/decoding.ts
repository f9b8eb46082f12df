// Lab 6 — How a GPT generates text: decoding strategies. Reference solution (not shipped).
// Logits and probabilities are plain number[] with one entry per vocabulary token.
import type { Vector } from '@transformer-labs/helpers';

// ───────────────────────── Level 1: one step ─────────────────────────

/**
 * Greedy choice: the index of the largest logit. On a tie the LOWEST index wins.
 * @param logits [V]
 */
export function greedy(logits: Vector): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/**
 * Temperature: softmax(logits / T). T < 1 sharpens, T > 1 flattens, T → 0 tends to greedy.
 * Throws an Error for T ≤ 0 (or a T that is not a finite number).
 * @returns probabilities [V] summing to 1
 */
export function applyTemperature(logits: Vector, temperature: number): Vector {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(`temperature must be a finite number > 0, got ${temperature}`);
  }
  const scaled = logits.map((l) => l / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Token indices from most to least probable; equal probabilities keep the lower index first. */
function ranked(probs: Vector): number[] {
  return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
}

function keepOnly(probs: Vector, kept: number[]): Vector {
  const keep = new Set(kept);
  let mass = 0;
  for (const i of kept) mass += probs[i];
  return probs.map((p, i) => (keep.has(i) ? p / mass : 0));
}

/**
 * Top-k: keep exactly the k most probable tokens (k ≥ V keeps all), set the others to 0,
 * renormalise. A tie at the k-th probability keeps the lower indices first.
 * @param probs [V] probabilities   @param k integer ≥ 1
 */
export function topK(probs: Vector, k: number): Vector {
  return keepOnly(probs, ranked(probs).slice(0, k));
}

/**
 * Top-p (nucleus): walk the tokens by descending probability and keep them until the kept
 * mass is ≥ p — the token that reaches or crosses p is kept. Zero the rest, renormalise.
 * @param probs [V] probabilities   @param p in (0, 1]
 */
export function topP(probs: Vector, p: number): Vector {
  const kept: number[] = [];
  let mass = 0;
  for (const i of ranked(probs)) {
    kept.push(i);
    mass += probs[i];
    if (mass >= p) break;
  }
  return keepOnly(probs, kept);
}

/**
 * Inverse-CDF sampling: draw u = rng() ONCE, return the first i with u < p_0 + … + p_i.
 * Tokens with probability 0 are never returned.
 */
export function sampleFrom(probs: Vector, rng: () => number): number {
  const u = rng();
  let cum = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    cum += probs[i];
    last = i;
    if (u < cum) return i;
  }
  return last; // the running sum rounded to just under 1 and u fell past it
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
  const tokens = [...prompt];
  for (let s = 0; s < steps; s++) {
    const logits = nextLogits([...tokens]);
    if (strategy.kind === 'greedy') {
      tokens.push(greedy(logits));
      continue;
    }
    let probs = applyTemperature(logits, strategy.temperature);
    if (strategy.topK !== undefined) probs = topK(probs, strategy.topK);
    if (strategy.topP !== undefined) probs = topP(probs, strategy.topP);
    tokens.push(sampleFrom(probs, strategy.rng));
  }
  return tokens;
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

function logSoftmax(logits: Vector): Vector {
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
  return logits.map((l) => l - lse);
}

/**
 * Beam search with cumulative log-probabilities and GNMT length normalisation
 * score = logProb / ((5 + L) / 6)^α, L = number of generated tokens (the end token included).
 * Each step ranks every (beam, token) extension (ties: earlier beam, then lower token) and
 * keeps the top `width`; an extension ending in endToken is finished and leaves the beam.
 * The tree has the root (id 0, parent -1, token -1, step 0), every kept or finished
 * candidate, and the `width` next-ranked candidates of each step marked 'pruned'.
 */
export function beamSearch(
  nextLogits: (tokens: number[]) => Vector,
  prompt: number[],
  opts: BeamOptions,
): BeamHypothesis & { hypotheses: BeamHypothesis[]; tree: BeamNode[] } {
  const alpha = opts.lengthPenalty ?? 0;
  const norm = (logProb: number, L: number) => (alpha === 0 ? logProb : logProb / Math.pow((5 + L) / 6, alpha));
  const tree: BeamNode[] = [{ id: 0, parent: -1, token: -1, logProb: 0, step: 0, status: 'kept' }];
  let beams = [{ tokens: [...prompt], logProb: 0, node: 0 }];
  const finished: BeamHypothesis[] = [];

  for (let step = 1; step <= opts.maxLength && beams.length > 0; step++) {
    const candidates: { beam: number; token: number; logProb: number }[] = [];
    beams.forEach((b, beam) => logSoftmax(nextLogits([...b.tokens])).forEach((lp, token) => candidates.push({ beam, token, logProb: b.logProb + lp })));
    candidates.sort((a, b) => b.logProb - a.logProb || a.beam - b.beam || a.token - b.token);
    const next: typeof beams = [];
    candidates.slice(0, 2 * opts.width).forEach((c, rank) => {
      const from = beams[c.beam];
      const status = rank >= opts.width ? 'pruned' : c.token === opts.endToken ? 'finished' : 'kept';
      const id = tree.length;
      tree.push({ id, parent: from.node, token: c.token, logProb: c.logProb, step, status });
      const tokens = [...from.tokens, c.token];
      if (status === 'finished') finished.push({ tokens, logProb: c.logProb, score: norm(c.logProb, step) });
      if (status === 'kept') next.push({ tokens, logProb: c.logProb, node: id });
    });
    beams = next;
  }
  for (const b of beams) {
    finished.push({ tokens: b.tokens, logProb: b.logProb, score: norm(b.logProb, b.tokens.length - prompt.length) });
    tree[b.node].status = 'finished';
  }
  const hypotheses = finished.map((h, i) => ({ h, i })).sort((a, b) => b.h.score - a.h.score || a.i - b.i).map((x) => x.h);
  return { ...hypotheses[0], hypotheses, tree };
}
