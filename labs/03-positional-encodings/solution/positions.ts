// Lab 3 — Positional encodings. Reference solution (instructors only; not shipped).
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
  const pe: Matrix = [];
  for (let pos = 0; pos < maxLen; pos++) {
    const row: Vector = [];
    for (let j = 0; j < d; j++) {
      const twoI = j - (j % 2);
      const angle = pos / Math.pow(10000, twoI / d);
      row.push(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
    }
    pe.push(row);
  }
  return pe;
}

/**
 * Learned (BERT-style) position embeddings: row p of a trained table [maxLen, d].
 * Throws a clear Error for a position outside [0, maxLen): the table has no row for it.
 * @returns [positions.length, d]
 */
export function lookupPositions(table: tf.Tensor2D, positions: number[]): tf.Tensor2D {
  const maxLen = table.shape[0];
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0 || p >= maxLen) {
      throw new RangeError(`position ${p} is outside the learned table: it has rows 0..${maxLen - 1} (maxLen ${maxLen})`);
    }
  }
  return tf.gather(table, tf.tensor1d(positions, 'int32'));
}

// ───────────────────────── Part 2: relative positions ─────────────────────────

/**
 * Rotary position embedding (RoPE): row t of x sits at position positions[t]; each pair
 * (x_2i, x_2i+1) is rotated by the angle positions[t]·θ_i with θ_i = 10000^(−2i/d).
 * @param x [n, d], d even   @param positions length n
 * @returns [n, d]
 */
export function applyRope(x: tf.Tensor2D, positions: number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, d] = x.shape;
    const half = d / 2;
    const thetas = tf.pow(10000, tf.div(tf.mul(tf.range(0, half), -2), d)); // [d/2]
    const angles = tf.mul(tf.reshape(tf.tensor1d(positions), [n, 1]), tf.reshape(thetas, [1, half])); // [n, d/2]
    const cos = tf.cos(angles);
    const sin = tf.sin(angles);
    const pairs = tf.reshape(x, [n, half, 2]);
    const [even, odd] = tf.unstack(pairs, 2); // each [n, d/2]
    const rotEven = tf.sub(tf.mul(even, cos), tf.mul(odd, sin));
    const rotOdd = tf.add(tf.mul(even, sin), tf.mul(odd, cos));
    return tf.reshape(tf.stack([rotEven, rotOdd], 2), [n, d]) as tf.Tensor2D;
  });
}

/**
 * ALiBi slopes, one per head. n a power of two: start = ratio = 2^(−8/n), so
 * slopes = 2^(−8/n), 2^(−16/n), …, 2^(−8). Otherwise, with m the largest power of two
 * below n: the m slopes for m heads, then slopes 0, 2, 4, … of the 2m-head sequence.
 */
export function alibiSlopes(heads: number): Vector {
  const geometric = (n: number): Vector => {
    const start = Math.pow(2, -8 / n);
    const out: Vector = [];
    for (let h = 0; h < n; h++) out.push(Math.pow(start, h + 1));
    return out;
  };
  if (Number.isInteger(Math.log2(heads))) return geometric(heads);
  const m = Math.pow(2, Math.floor(Math.log2(heads)));
  const extra = geometric(2 * m).filter((_, i) => i % 2 === 0);
  return [...geometric(m), ...extra.slice(0, heads - m)];
}

/**
 * ALiBi bias, causal: bias[h][i][j] = −slope_h·(i − j) for keys j ≤ i, and −1e9 (masked)
 * for j > i. Added to the attention scores before the softmax.
 * @returns [heads, n, n]
 */
export function alibiBias(n: number, heads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const slopes = tf.reshape(tf.tensor1d(alibiSlopes(heads)), [heads, 1, 1]);
    const i = tf.reshape(tf.range(0, n), [n, 1]);
    const j = tf.reshape(tf.range(0, n), [1, n]);
    const distance = tf.sub(i, j); // [n, n], i − j
    const bias = tf.mul(tf.neg(slopes), distance); // [heads, n, n]
    const causal = tf.lessEqual(j, i); // [n, n]
    return tf.where(tf.broadcastTo(causal, [heads, n, n]), bias, tf.fill([heads, n, n], -1e9)) as tf.Tensor3D;
  });
}

// ───────────────────────── Part 3: extrapolation study ─────────────────────────

function cosine(a: Vector, b: Vector): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

/**
 * How position p relates to position 0, for p = 0 .. maxPosition−1, under each scheme.
 * The learned table [trainLength, d] ends at trainLength: past it the series holds null.
 * Async: the rotated rows and the table rows are read with `await t.array()`, the only read a
 * GPU backend has (arraySync is unavailable there).
 * @param table   [trainLength, d]  @param content [d], the query/key content for RoPE
 */
export async function extrapolationStudy(
  table: tf.Tensor2D,
  content: Vector,
  heads: number,
  maxPosition: number,
): Promise<{ sinusoidal: Vector; learned: (number | null)[]; rope: Vector; alibi: Vector }> {
  const d = content.length;
  const pe = sinusoidalEncoding(maxPosition, d);
  const slopes = alibiSlopes(heads);
  const positions = Array.from({ length: maxPosition }, (_, p) => p);
  // tf.tidy cannot span an await: build the tensor in it, read it after, dispose it ourselves.
  const rotatedTensor = tf.tidy(() => applyRope(tf.tensor2d(positions.map(() => content)), positions));
  let rotated: Matrix;
  try {
    rotated = await rotatedTensor.array();
  } finally {
    rotatedTensor.dispose();
  }
  const sinusoidal: Vector = [];
  const learned: (number | null)[] = [];
  const rope: Vector = [];
  const alibi: Vector = [];
  for (const p of positions) {
    sinusoidal.push(cosine(pe[p], pe[0]));
    rope.push(cosine(rotated[p], rotated[0]));
    let s = 0;
    for (const m of slopes) s += Math.exp(-m * p);
    alibi.push(s / slopes.length);
    let rows: tf.Tensor2D;
    try {
      // Only the lookup may throw for a missing row: a failed read below is a real error.
      rows = tf.tidy(() => lookupPositions(table, [0, p]));
    } catch {
      learned.push(null); // no row for p: the table never saw this position
      continue;
    }
    try {
      const [e0, ep] = await rows.array();
      learned.push(cosine(ep, e0));
    } finally {
      rows.dispose();
    }
  }
  return { sinusoidal, learned, rope, alibi };
}

// ───────────────────────── Part 4: the permutation experiment ─────────────────────────

/**
 * Single-head self-attention with no position information:
 * softmax((xWq)(xWk)ᵀ / √d)(xWv).
 * @param x [n, d]   @returns [n, d]
 */
export function selfAttention(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }): tf.Tensor2D {
  return tf.tidy(() => {
    const q = tf.matMul(x, w.wq);
    const k = tf.matMul(x, w.wk);
    const v = tf.matMul(x, w.wv);
    const d = w.wq.shape[1]; // width of each query
    const weights = tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)));
    return tf.matMul(weights, v);
  });
}

/**
 * A sentence vector: the mean over tokens of selfAttention(x), after adding the sinusoidal
 * encoding of each token's position when addPositions is true.
 * Async: the vector is read with `await t.array()` (arraySync is unavailable on a GPU backend).
 * @param x [n, d]   @returns [d]
 */
export async function pooledSentence(
  x: tf.Tensor2D,
  w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D },
  addPositions: boolean,
): Promise<Vector> {
  const pooled = tf.tidy(() => {
    const [n, d] = x.shape;
    const input = addPositions ? tf.add(x, tf.tensor2d(sinusoidalEncoding(n, d))) : x;
    return tf.mean(selfAttention(input as tf.Tensor2D, w), 0);
  });
  try {
    return (await pooled.array()) as Vector;
  } finally {
    pooled.dispose();
  }
}
