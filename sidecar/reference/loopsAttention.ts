// Attention with plain numbers: the reference for the Level 1 exercises and Lab 3's float64
// studies. Written independently of the tensor version so each can check the other.
import { softmaxRef } from './activations';

/**
 * Scaled dot-product attention with loops.
 * Q: [Nq][d], K: [Nk][d], V: [Nk][dv], mask[i][j] false = query i may not see key j.
 * A fully masked row gets all-zero weights and a zero output.
 */
export function attentionLoopsRef(
  Q: number[][],
  K: number[][],
  V: number[][],
  mask?: boolean[][],
): { output: number[][]; weights: number[][] } {
  const d = K[0].length;
  const dv = V[0].length;
  const weights = Q.map((q, i) => {
    const allowed = K.map((_, j) => (mask ? mask[i][j] : true));
    if (!allowed.some(Boolean)) return K.map(() => 0);
    const scores = K.map((k) => k.reduce((s, kj, t) => s + kj * q[t], 0) / Math.sqrt(d));
    const kept = scores.filter((_, j) => allowed[j]);
    const probs = softmaxRef(kept);
    let next = 0;
    return allowed.map((a) => (a ? probs[next++] : 0));
  });
  const output = weights.map((w) => {
    const out = new Array<number>(dv).fill(0);
    w.forEach((wj, j) => {
      for (let c = 0; c < dv; c++) out[c] += wj * V[j][c];
    });
    return out;
  });
  return { output, weights };
}
