// A reference beam search on the KV cache: keep the `width` best partial continuations by
// total log-probability, extend each by every character, keep the best `width` again.
import { logSoftmaxRef } from '../activations';
import { KvCacheSession } from './kvCache';
import type { MiniGpt } from './model';

export interface BeamOptions {
  width: number;
  /** Characters to generate; the only end condition (no end-of-text token in this vocabulary). */
  length: number;
  /** Final score = sum of log-probs / length^lengthPenalty (0 = plain sum). */
  lengthPenalty?: number;
  keep?: number;
}

export interface Beam {
  tokens: number[];
  logProb: number;
  score: number;
}

/** Returns the beams, best first. Every session is a clone of its parent's (KvCacheSession.clone). */
export function beamSearch(model: MiniGpt, prompt: number[], o: BeamOptions): Beam[] {
  if (!Number.isInteger(o.width) || o.width < 1) throw new RangeError(`beam width must be a positive integer, got ${o.width}`);
  if (!Number.isInteger(o.length) || o.length < 1) throw new RangeError(`beam length must be a positive integer, got ${o.length}`);
  const root = new KvCacheSession(model, { keep: o.keep });
  root.feed(prompt);
  let beams: { s?: KvCacheSession; tokens: number[]; logProb: number }[] = [{ s: root, tokens: [], logProb: 0 }];
  for (let step = 0; step < o.length; step++) {
    // Every (beam, next char) pair; ties broken by beam order then token id, so width 1 = greedy argmax.
    const cands: { b: number; tok: number; lp: number }[] = [];
    beams.forEach((beam, b) => {
      const lp = logSoftmaxRef(beam.s!.logits);
      for (let t = 0; t < lp.length; t++) cands.push({ b, tok: t, lp: beam.logProb + lp[t] });
    });
    cands.sort((x, y) => y.lp - x.lp || x.b - y.b || x.tok - y.tok);
    const chosen = cands.slice(0, o.width);
    const last = step === o.length - 1;
    const next = chosen.map((c) => {
      const parent = beams[c.b];
      // The final step needs no logits after it, so no new session either.
      const s = last ? undefined : parent.s!.clone();
      s?.step(c.tok);
      return { s, tokens: [...parent.tokens, c.tok], logProb: c.lp };
    });
    for (const b of beams) b.s!.dispose();
    beams = next;
  }
  const alpha = o.lengthPenalty ?? 0;
  const result = beams.map((b) => ({ tokens: b.tokens, logProb: b.logProb, score: b.logProb / Math.pow(Math.max(1, b.tokens.length), alpha) }));
  return result.sort((a, b) => b.score - a.score);
}
