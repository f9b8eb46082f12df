// Lab 1 — Attention from scratch.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above
// each function shows how many pass. Instructions: INSTRUCTIONS.md (opened beside this file).
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
  // Hint: find the maximum, exponentiate x - max, divide by the sum.
  throw new Error('TODO: implement softmax');
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
  // Hint: score_j = (query · keys[j]) / √d, weights = softmax(scores), output = Σ_j weights[j] · values[j].
  throw new Error('TODO: implement attendOne');
}

/**
 * Full scaled dot-product attention with loops, every query at once.
 * @param Q [nq][d]   @param K [nk][d]   @param V [nk][dv]
 * @param mask optional [nq][nk]; mask[i][j] === false means query i may not attend to key j.
 *   A query whose keys are all masked gets all-zero weights and a zero output.
 * @returns output [nq][dv] and weights [nq][nk]
 */
export function attentionLoops(Q: Matrix, K: Matrix, V: Matrix, mask?: boolean[][]): { output: Matrix; weights: Matrix } {
  // Hint: for each query row i, do what attendOne does; skip masked keys (weight 0).
  // A row with every key masked gets all-zero weights.
  throw new Error('TODO: implement attentionLoops');
}

// ───────────────────────── Level 2: tensor ops ─────────────────────────

/**
 * [n, n] causal mask: 1 on and below the diagonal (query i may see keys 0..i), 0 above.
 */
export function causalMask(n: number): tf.Tensor2D {
  // Hint: tf.linalg.bandPart(tf.ones([n, n]), -1, 0) keeps the lower triangle.
  throw new Error('TODO: implement causalMask');
}

/**
 * Padding mask for a batch of sequences padded to maxLen: shape [batch, 1, maxLen],
 * 1 where the key is a real token (position < length), 0 where it is padding.
 * The middle axis of size 1 broadcasts over every query.
 */
export function paddingMask(lengths: number[], maxLen: number): tf.Tensor3D {
  // Hint: compare tf.range(0, maxLen) with each length; reshape to [batch, 1, maxLen].
  throw new Error('TODO: implement paddingMask');
}

/**
 * Scaled dot-product attention: softmax(Q Kᵀ / √d + mask) V.
 * @param q [..., nq, d]  @param k [..., nk, d]  @param v [..., nk, dv]
 * @param mask optional, 1 = may attend, 0 = blocked, broadcastable to [..., nq, nk]
 * @returns output [..., nq, dv] and weights [..., nq, nk]; fully masked rows are all zeros.
 */
export function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor): { output: tf.Tensor; weights: tf.Tensor } {
  // Hint: scores = q·kᵀ / √d (tf.matMul(q, k, false, true)); add (1 - mask) · -1e9 where blocked;
  // softmax over the last axis; multiply by the mask so fully masked rows become 0; output = weights · v.
  throw new Error('TODO: implement attention');
}

// ───────────────────────── Level 3: multi-head attention ─────────────────────────

/** [n, dModel] → [heads, n, dModel / heads]: each head gets its own slice of the features. */
export function splitHeads(x: tf.Tensor2D, heads: number): tf.Tensor3D {
  // Hint: reshape to [n, heads, dModel / heads], then transpose to [heads, n, dHead].
  throw new Error('TODO: implement splitHeads');
}

/** [heads, n, dHead] → [n, heads · dHead]: the inverse of splitHeads. */
export function combineHeads(x: tf.Tensor3D): tf.Tensor2D {
  // Hint: transpose back to [n, heads, dHead], then reshape to [n, heads · dHead].
  throw new Error('TODO: implement combineHeads');
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
  // Hint: Q = x·Wq, K = x·Wk, V = x·Wv → splitHeads → attention(q, k, v, mask)
  // → combineHeads → ·Wo. Return the per-head weights too.
  throw new Error('TODO: implement multiHeadAttention');
}
