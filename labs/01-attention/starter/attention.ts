// Lab 1 — Attention from scratch.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above
// each function shows how many pass, and "Hint 1 of 3" beside it opens hints one at a time.
// Instructions: INSTRUCTIONS.md (opened beside this file).
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
  // Nudge: what happens to Math.exp(1000)? Softmax is the same if every score moves by a constant.
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
  // Nudge: three steps — score each key, turn the scores into weights, mix the values.
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
  // Nudge: one attendOne per query row — but what must a masked key contribute to the softmax?
  throw new Error('TODO: implement attentionLoops');
}

// ───────────────────────── Level 2: tensor ops ─────────────────────────

/**
 * [n, n] causal mask: 1 on and below the diagonal (query i may see keys 0..i), 0 above.
 */
export function causalMask(n: number): tf.Tensor2D {
  // Nudge: draw the 4×4 case on paper first: which (query, key) pairs are allowed?
  throw new Error('TODO: implement causalMask');
}

/**
 * Padding mask for a batch of sequences padded to maxLen: shape [batch, 1, maxLen],
 * 1 where the key is a real token (position < length), 0 where it is padding.
 * The middle axis of size 1 broadcasts over every query.
 */
export function paddingMask(lengths: number[], maxLen: number): tf.Tensor3D {
  // Nudge: a position is real when it is smaller than its sequence's length.
  throw new Error('TODO: implement paddingMask');
}

/**
 * Scaled dot-product attention: softmax(Q Kᵀ / √d + mask) V.
 * @param q [..., nq, d]  @param k [..., nk, d]  @param v [..., nk, dv]
 * @param mask optional, 1 = may attend, 0 = blocked, broadcastable to [..., nq, nk]
 * @returns output [..., nq, dv] and weights [..., nq, nk]; fully masked rows are all zeros.
 */
export function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor): { output: tf.Tensor; weights: tf.Tensor } {
  // Nudge: your attentionLoops, as whole-tensor operations — and think about a row with no visible key.
  throw new Error('TODO: implement attention');
}

// ───────────────────────── Level 3: multi-head attention ─────────────────────────

/** [n, dModel] → [heads, n, dModel / heads]: each head gets its own slice of the features. */
export function splitHeads(x: tf.Tensor2D, heads: number): tf.Tensor3D {
  // Nudge: which features does head 0 get? Head 1?
  throw new Error('TODO: implement splitHeads');
}

/** [heads, n, dHead] → [n, heads · dHead]: the inverse of splitHeads. */
export function combineHeads(x: tf.Tensor3D): tf.Tensor2D {
  // Nudge: the inverse of splitHeads, step by step in reverse.
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
  // Nudge: you have already written every piece this needs.
  throw new Error('TODO: implement multiHeadAttention');
}

// ───────────────────────── Bonus: attention in chunks (an online softmax) ─────────────────────────

/**
 * Bonus (its points are counted apart): attention(q, k, v).output without ever holding the
 * [nq, nk] score matrix. Visit the keys chunkSize at a time; for every query keep a running
 * maximum, a running sum of exponentials and a running weighted sum of values, and correct them
 * whenever a chunk raises the maximum (an "online softmax", the idea behind FlashAttention).
 * The profiler (Transformer Labs: Profile Attention) then shows its memory growing linearly.
 * @param q [nq, d]  @param k [nk, d]  @param v [nk, dv]  @param chunkSize keys per chunk (≥ 1)
 * @param mask optional [nq, nk]: 1 = may attend, 0 = masked, as in attention; a query with every
 *   key masked returns zeros
 * @returns [nq, dv]
 */
export function chunkedAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, chunkSize: number, mask?: tf.Tensor2D): tf.Tensor2D {
  // Nudge: the sums you kept were measured against the old maximum. What happens to them when a later chunk has a larger score?
  throw new Error('TODO: implement chunkedAttention');
}
