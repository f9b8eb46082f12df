// Lab 3 — Positional encodings.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above
// each function shows how many pass. Instructions: INSTRUCTIONS.md (opened beside this file).
import * as tf from '@tensorflow/tfjs-core';
import type { Matrix, Vector } from '@transformer-labs/helpers';

// ───────────────────────── Part 1: absolute positions ─────────────────────────

/**
 * Sinusoidal encodings of "Attention Is All You Need", interleaved: column 2i holds a sine,
 * column 2i+1 the cosine of the same angle.
 *   PE[pos][2i]   = sin(pos / 10000^(2i/d))
 *   PE[pos][2i+1] = cos(pos / 10000^(2i/d))
 * @returns [maxLen][d]
 */
export function sinusoidalEncoding(maxLen: number, d: number): Matrix {
  // Hint: two loops, pos over 0..maxLen-1 and j over 0..d-1. Columns j = 2i and j = 2i+1
  // share the exponent 2i/d (2i = j - j % 2): sine for even j, cosine for odd j.
  throw new Error('TODO: implement sinusoidalEncoding');
}

/**
 * Learned (BERT-style) position embeddings: row p of a trained table [maxLen, d].
 * Throws a clear Error for a position outside [0, maxLen): the table has no row for it.
 * @returns [positions.length, d]
 */
export function lookupPositions(table: tf.Tensor2D, positions: number[]): tf.Tensor2D {
  // Hint: check every position against table.shape[0] first and throw an Error naming the
  // position and maxLen; then tf.gather(table, tf.tensor1d(positions, 'int32')).
  throw new Error('TODO: implement lookupPositions');
}

// ───────────────────────── Part 2: relative positions ─────────────────────────

/**
 * Rotary position embedding (RoPE): row t of x sits at position positions[t]; each pair
 * (x_2i, x_2i+1) is rotated by the angle positions[t]·θ_i with θ_i = 10000^(−2i/d).
 * @param x [n, d], d even   @param positions length n
 * @returns [n, d]
 */
export function applyRope(x: tf.Tensor2D, positions: number[]): tf.Tensor2D {
  // Hint: angles [n, d/2] = positions ⊗ θ. Reshape x to [n, d/2, 2] and tf.unstack on axis 2
  // to get the even and odd columns; rotate: (e·cos − o·sin, e·sin + o·cos); tf.stack on
  // axis 2 and reshape back to [n, d].
  throw new Error('TODO: implement applyRope');
}

/**
 * ALiBi slopes, one per head. n a power of two: start = ratio = 2^(−8/n), so
 * slopes = 2^(−8/n), 2^(−16/n), …, 2^(−8). Otherwise, with m the largest power of two
 * below n: the m slopes for m heads, then slopes 0, 2, 4, … of the 2m-head sequence.
 */
export function alibiSlopes(heads: number): Vector {
  // Hint: write a helper geometric(n) for powers of two first; 8 heads give 1/2, 1/4, …, 1/256.
  throw new Error('TODO: implement alibiSlopes');
}

/**
 * ALiBi bias, causal: bias[h][i][j] = −slope_h·(i − j) for keys j ≤ i, and −1e9 (masked)
 * for j > i. Added to the attention scores before the softmax.
 * @returns [heads, n, n]
 */
export function alibiBias(n: number, heads: number): tf.Tensor3D {
  // Hint: distance = range as a column minus range as a row ([n, n]); multiply by −slopes
  // reshaped to [heads, 1, 1]; tf.where(j ≤ i, bias, −1e9).
  throw new Error('TODO: implement alibiBias');
}

// ───────────────────────── Part 3: extrapolation study ─────────────────────────

/**
 * How position p relates to position 0, for p = 0 .. maxPosition−1, under each scheme.
 * The learned table [trainLength, d] ends at trainLength: past it the series holds null.
 * @param table   [trainLength, d]  @param content [d], the query/key content for RoPE
 */
export function extrapolationStudy(
  table: tf.Tensor2D,
  content: Vector,
  heads: number,
  maxPosition: number,
): { sinusoidal: Vector; learned: (number | null)[]; rope: Vector; alibi: Vector } {
  // Hint: use your own functions. sinusoidal[p] = cosine(PE[p], PE[0]);
  // learned[p] = cosine(table[p], table[0]) via lookupPositions, null when it throws;
  // rope[p] = cosine(RoPE(content, p), RoPE(content, 0)); alibi[p] = mean over heads of exp(−slope·p).
  throw new Error('TODO: implement extrapolationStudy');
}

// ───────────────────────── Part 4: the permutation experiment ─────────────────────────

/**
 * Single-head self-attention with no position information:
 * softmax((xWq)(xWk)ᵀ / √d)(xWv).
 * @param x [n, d]   @returns [n, d]
 */
export function selfAttention(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }): tf.Tensor2D {
  // Hint: the same as Lab 1's attention(x·Wq, x·Wk, x·Wv) without a mask.
  throw new Error('TODO: implement selfAttention');
}

/**
 * A sentence vector: the mean over tokens of selfAttention(x), after adding the sinusoidal
 * encoding of each token's position when addPositions is true.
 * @param x [n, d]   @returns [d]
 */
export function pooledSentence(
  x: tf.Tensor2D,
  w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D },
  addPositions: boolean,
): Vector {
  // Hint: x + tf.tensor2d(sinusoidalEncoding(n, d)) when addPositions; then selfAttention,
  // then tf.mean over axis 0 (the tokens) and .arraySync().
  throw new Error('TODO: implement pooledSentence');
}
