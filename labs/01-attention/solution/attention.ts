// Lab 1 — Attention from scratch. Reference solution (instructors only; not shipped).
import * as tf from '@tensorflow/tfjs-core';
import type { Matrix, Vector } from '@transformer-labs/helpers';

// ───────────────────────── Level 1: plain loops ─────────────────────────

/**
 * Numerically stable softmax: subtract the maximum before exponentiating so that
 * exp never overflows (softmax is unchanged by adding a constant to every input).
 * @param xs scores, length n
 * @returns probabilities, length n, each in [0, 1], summing to 1
 */
export function softmax(xs: Vector): Vector {
  let max = -Infinity;
  for (const x of xs) if (x > max) max = x;
  const exps = xs.map((x) => Math.exp(x - max));
  let sum = 0;
  for (const e of exps) sum += e;
  return exps.map((e) => e / sum);
}

/**
 * Attention for ONE query: score every key with q·k / √d, softmax the scores,
 * and return the weighted sum of the values.
 * @param query  [d]
 * @param keys   [n][d]
 * @param values [n][dv]
 * @returns      [dv]
 */
export function attendOne(query: Vector, keys: Matrix, values: Matrix): Vector {
  const d = query.length;
  const scores = keys.map((key) => {
    let dot = 0;
    for (let i = 0; i < d; i++) dot += query[i] * key[i];
    return dot / Math.sqrt(d);
  });
  const weights = softmax(scores);
  const out = new Array<number>(values[0].length).fill(0);
  for (let j = 0; j < values.length; j++) {
    for (let c = 0; c < out.length; c++) out[c] += weights[j] * values[j][c];
  }
  return out;
}

/**
 * Full scaled dot-product attention with loops, every query at once.
 * @param Q [nq][d]   @param K [nk][d]   @param V [nk][dv]
 * @param mask optional [nq][nk]; mask[i][j] === false means query i may not attend to key j.
 *   A query whose keys are all masked gets all-zero weights and a zero output.
 * @returns output [nq][dv] and weights [nq][nk]
 */
export function attentionLoops(Q: Matrix, K: Matrix, V: Matrix, mask?: boolean[][]): { output: Matrix; weights: Matrix } {
  const d = K[0].length;
  const weights: Matrix = [];
  for (let i = 0; i < Q.length; i++) {
    const allowed = K.map((_, j) => (mask ? mask[i][j] : true));
    if (!allowed.some((a) => a)) {
      weights.push(K.map(() => 0));
      continue;
    }
    const scores: number[] = [];
    for (let j = 0; j < K.length; j++) {
      if (!allowed[j]) continue;
      let dot = 0;
      for (let t = 0; t < d; t++) dot += Q[i][t] * K[j][t];
      scores.push(dot / Math.sqrt(d));
    }
    const probs = softmax(scores);
    let next = 0;
    weights.push(allowed.map((a) => (a ? probs[next++] : 0)));
  }
  const output = weights.map((w) => {
    const row = new Array<number>(V[0].length).fill(0);
    for (let j = 0; j < V.length; j++) for (let c = 0; c < row.length; c++) row[c] += w[j] * V[j][c];
    return row;
  });
  return { output, weights };
}

// ───────────────────────── Level 2: tensor ops ─────────────────────────

/**
 * [n, n] causal mask: 1 on and below the diagonal (query i may see keys 0..i), 0 above.
 */
export function causalMask(n: number): tf.Tensor2D {
  return tf.linalg.bandPart(tf.ones([n, n]), -1, 0) as tf.Tensor2D;
}

/**
 * Padding mask for a batch of sequences padded to maxLen: shape [batch, 1, maxLen],
 * 1 where the key is a real token (position < length), 0 where it is padding.
 * The middle axis of size 1 broadcasts over every query.
 */
export function paddingMask(lengths: number[], maxLen: number): tf.Tensor3D {
  return tf.tidy(() => {
    const positions = tf.reshape(tf.range(0, maxLen), [1, 1, maxLen]);
    const lens = tf.tensor3d(lengths, [lengths.length, 1, 1]);
    return tf.cast(tf.less(positions, lens), 'float32') as tf.Tensor3D;
  });
}

/**
 * Scaled dot-product attention: softmax(Q Kᵀ / √d + mask) V.
 * @param q [..., nq, d]  @param k [..., nk, d]  @param v [..., nk, dv]
 * @param mask optional, 1 = may attend, 0 = blocked, broadcastable to [..., nq, nk]
 * @returns output [..., nq, dv] and weights [..., nq, nk]; fully masked rows are all zeros.
 */
export function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor): { output: tf.Tensor; weights: tf.Tensor } {
  return tf.tidy(() => {
    const d = q.shape[q.rank - 1];
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d));
    let weights: tf.Tensor;
    if (mask) {
      const m = tf.cast(mask, 'float32');
      // A large negative number, not -Infinity: a row of only -Infinity would give NaN.
      const masked = tf.add(scores, tf.mul(tf.sub(1, m), -1e9));
      weights = tf.mul(tf.softmax(masked), m);
    } else {
      weights = tf.softmax(scores);
    }
    return { output: tf.matMul(weights, v), weights };
  });
}

// ───────────────────────── Level 3: multi-head attention ─────────────────────────

/** [n, dModel] → [heads, n, dModel / heads]: each head gets its own slice of the features. */
export function splitHeads(x: tf.Tensor2D, heads: number): tf.Tensor3D {
  const [n, dModel] = x.shape;
  return tf.tidy(() => tf.transpose(tf.reshape(x, [n, heads, dModel / heads]), [1, 0, 2]) as tf.Tensor3D);
}

/** [heads, n, dHead] → [n, heads · dHead]: the inverse of splitHeads. */
export function combineHeads(x: tf.Tensor3D): tf.Tensor2D {
  const [heads, n, dHead] = x.shape;
  return tf.tidy(() => tf.reshape(tf.transpose(x, [1, 0, 2]), [n, heads * dHead]) as tf.Tensor2D);
}

export interface MultiHeadWeights {
  /** Each [dModel, dModel]. */
  wq: tf.Tensor2D;
  wk: tf.Tensor2D;
  wv: tf.Tensor2D;
  wo: tf.Tensor2D;
}

/**
 * Multi-head self-attention: project x to Q, K, V, split into heads, attend per head,
 * combine the heads and project with Wo.
 * @param x [n, dModel]
 * @param mask optional, broadcastable to [heads, n, n] (e.g. causalMask(n))
 * @returns output [n, dModel] and weights [heads, n, n]
 */
export function multiHeadAttention(
  x: tf.Tensor2D,
  w: MultiHeadWeights,
  heads: number,
  mask?: tf.Tensor,
): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  return tf.tidy(() => {
    const q = splitHeads(tf.matMul(x, w.wq), heads);
    const k = splitHeads(tf.matMul(x, w.wk), heads);
    const v = splitHeads(tf.matMul(x, w.wv), heads);
    const { output, weights } = attention(q, k, v, mask);
    return {
      output: tf.matMul(combineHeads(output as tf.Tensor3D), w.wo) as tf.Tensor2D,
      weights: weights as tf.Tensor3D,
    };
  });
}

// ───────────────────────── Bonus: attention in chunks (an online softmax) ─────────────────────────

/**
 * Bonus (its points are counted apart): attention(q, k, v).output without ever holding the
 * [nq, nk] score matrix. The keys are visited chunkSize at a time; for every query a running
 * maximum, a running sum of exponentials and a running weighted sum of values are corrected
 * whenever a chunk raises the maximum (an "online softmax", the idea behind FlashAttention).
 * @param q [nq, d]  @param k [nk, d]  @param v [nk, dv]  @param chunkSize keys per chunk (≥ 1)
 * @param mask optional [nq, nk]: 1 = may attend, 0 = masked, as in attention; a query with every
 *   key masked returns zeros
 * @returns [nq, dv]
 */
export function chunkedAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, chunkSize: number, mask?: tf.Tensor2D): tf.Tensor2D {
  const [nq, d] = q.shape;
  const [nk, dv] = v.shape;
  let state: { max: tf.Tensor; sum: tf.Tensor; out: tf.Tensor } = {
    max: tf.fill([nq, 1], -Infinity),
    sum: tf.zeros([nq, 1]),
    out: tf.zeros([nq, dv]),
  };
  for (let from = 0; from < nk; from += chunkSize) {
    const rows = Math.min(chunkSize, nk - from);
    const prev = state;
    state = tf.tidy(() => {
      let scores = tf.div(tf.matMul(q, tf.slice(k, [from, 0], [rows, d]), false, true), Math.sqrt(d));
      if (mask) scores = tf.where(tf.equal(tf.slice(mask, [0, from], [nq, rows]), 0), tf.fill([nq, rows], -Infinity), scores);
      const max = tf.maximum(prev.max, tf.max(scores, -1, true));
      // A row that has seen only masked keys still has −∞ as its maximum, and e^(−∞ − (−∞)) is NaN: measure it against 0.
      const ref = tf.where(tf.equal(max, -Infinity), tf.zerosLike(max), max);
      const shrink = tf.exp(tf.sub(prev.max, ref));
      const e = tf.exp(tf.sub(scores, ref));
      const sum = tf.add(tf.mul(prev.sum, shrink), tf.sum(e, -1, true));
      const out = tf.add(tf.mul(prev.out, shrink), tf.matMul(e, tf.slice(v, [from, 0], [rows, dv])));
      return { max, sum, out };
    });
    tf.dispose([prev.max, prev.sum, prev.out]);
  }
  // A fully masked row has sum 0 (and out 0): divide it by 1, so it is zeros as in attention.
  const result = tf.tidy(() => tf.div(state.out, tf.where(tf.equal(state.sum, 0), tf.onesLike(state.sum), state.sum))) as tf.Tensor2D;
  tf.dispose([state.max, state.sum, state.out]);
  return result;
}
