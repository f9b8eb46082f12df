// Lab 3 — Positional encodings.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above
// each function shows how many pass, and "Hint 1 of 3" beside it opens hints one at a time.
// Instructions: INSTRUCTIONS.md (opened beside this file).
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
  // Nudge: which pair does column j belong to, and is it that pair's sine or its cosine? Mind an odd d.
  throw new Error('TODO: implement sinusoidalEncoding');
}

/**
 * Learned (BERT-style) position embeddings: row p of a trained table [maxLen, d].
 * Throws a clear Error for a position outside [0, maxLen): the table has no row for it.
 * @returns [positions.length, d]
 */
export function lookupPositions(table: tf.Tensor2D, positions: number[]): tf.Tensor2D {
  // Nudge: a table has rows 0 … maxLen − 1 and nothing else — what should a position outside that range do?
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
  // Nudge: draw one pair as a 2-D point and turn it by position × θ_i; now do every pair of every row at once.
  throw new Error('TODO: implement applyRope');
}

/**
 * ALiBi slopes, one per head. n a power of two: start = ratio = 2^(−8/n), so
 * slopes = 2^(−8/n), 2^(−16/n), …, 2^(−8). Otherwise, with m the largest power of two
 * below n: the m slopes for m heads, then slopes 0, 2, 4, … of the 2m-head sequence.
 */
export function alibiSlopes(heads: number): Vector {
  // Nudge: work out 8 heads by hand (1/2, 1/4, …) before the general rule; 6 heads is in the instructions.
  throw new Error('TODO: implement alibiSlopes');
}

/**
 * ALiBi bias, causal: bias[h][i][j] = −slope_h·(i − j) for keys j ≤ i, and −1e9 (masked)
 * for j > i. Added to the attention scores before the softmax.
 * @returns [heads, n, n]
 */
export function alibiBias(n: number, heads: number): tf.Tensor3D {
  // Nudge: an [n, n] table of distances i − j per head, scaled by that head's slope — and the future masked.
  throw new Error('TODO: implement alibiBias');
}

// ───────────────────────── Part 3: extrapolation study ─────────────────────────

/**
 * How position p relates to position 0, for p = 0 .. maxPosition−1, under each scheme.
 * The learned table [trainLength, d] ends at trainLength: past it the series holds null.
 * Async: the numbers come out of tensors, and on a GPU they come back asynchronously.
 * @param table   [trainLength, d]  @param content [d], the query/key content for RoPE
 */
export async function extrapolationStudy(
  table: tf.Tensor2D,
  content: Vector,
  heads: number,
  maxPosition: number,
): Promise<{ sinusoidal: Vector; learned: (number | null)[]; rope: Vector; alibi: Vector }> {
  // Nudge: every series compares position p with position 0, using your own functions above.
  // Read a tensor's numbers with `await t.array()` (arraySync is unavailable on a GPU).
  throw new Error('TODO: implement extrapolationStudy');
}

// ───────────────────────── Part 4: the permutation experiment ─────────────────────────

/**
 * Single-head self-attention with no position information:
 * softmax((xWq)(xWk)ᵀ / √d)(xWv).
 * @param x [n, d]   @returns [n, d]
 */
export function selfAttention(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }): tf.Tensor2D {
  // Nudge: Lab 1's attention, with queries, keys and values all projected from the same x.
  throw new Error('TODO: implement selfAttention');
}

/**
 * A sentence vector: the mean over tokens of selfAttention(x), after adding the sinusoidal
 * encoding of each token's position when addPositions is true.
 * Async: the vector is read from a tensor, and on a GPU it comes back asynchronously.
 * @param x [n, d]   @returns [d]
 */
export async function pooledSentence(
  x: tf.Tensor2D,
  w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D },
  addPositions: boolean,
): Promise<Vector> {
  // Nudge: when do the positions have to be added for the order of the words to matter?
  // Read the result with `await t.array()`; tf.tidy cannot wrap an await, so dispose yourself.
  throw new Error('TODO: implement pooledSentence');
}
