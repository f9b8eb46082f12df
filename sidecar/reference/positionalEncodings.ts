// Lab 3 references: sinusoidal, learned, rotary (RoPE) and ALiBi position schemes, the
// extrapolation study and the permutation experiment. Plain float64 loops over number[][],
// so they are independent of the TensorFlow.js code the learner writes and of its backend.
import { attentionLoopsRef } from './loopsAttention';
import { MASKED_SCORE } from './tensorAttention';

export type Matrix = number[][];

/**
 * "Attention Is All You Need" §3.5, interleaved layout: [maxLen][d] with
 * PE[pos][2i] = sin(pos / 10000^(2i/d)), PE[pos][2i+1] = cos(pos / 10000^(2i/d)).
 * An odd d ends with a sine column.
 */
export function sinusoidalRef(maxLen: number, d: number): Matrix {
  const pe: Matrix = [];
  for (let pos = 0; pos < maxLen; pos++) {
    const row = new Array<number>(d);
    for (let j = 0; j < d; j++) {
      const twoI = j - (j % 2); // 2i for both members of pair i
      const angle = pos / Math.pow(10000, twoI / d);
      row[j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
    pe.push(row);
  }
  return pe;
}

/** Rows of a learned table [maxLen][d] at `positions`; a position outside [0, maxLen) is an error. */
export function lookupRef(table: Matrix, positions: number[]): Matrix {
  return positions.map((p) => {
    if (!Number.isInteger(p) || p < 0 || p >= table.length) {
      throw new RangeError(`position ${p} is outside the learned table (maxLen ${table.length})`);
    }
    return table[p].slice();
  });
}

/** θ_i = 10000^(−2i/d) for the pairs i = 0 .. d/2 − 1. */
export function ropeThetas(d: number): number[] {
  return Array.from({ length: Math.floor(d / 2) }, (_, i) => Math.pow(10000, (-2 * i) / d));
}

/**
 * Rotary embedding of rows x [n][d] (d even): row t at position positions[t] has each pair
 * (x_2i, x_2i+1) rotated by the angle positions[t]·θ_i:
 *   x'_2i = x_2i cos − x_2i+1 sin,   x'_2i+1 = x_2i sin + x_2i+1 cos.
 */
export function ropeRef(x: Matrix, positions: number[]): Matrix {
  return x.map((row, t) => {
    const thetas = ropeThetas(row.length);
    const out = row.slice();
    thetas.forEach((theta, i) => {
      const a = positions[t] * theta;
      const c = Math.cos(a);
      const s = Math.sin(a);
      out[2 * i] = row[2 * i] * c - row[2 * i + 1] * s;
      out[2 * i + 1] = row[2 * i] * s + row[2 * i + 1] * c;
    });
    return out;
  });
}

/** 2^(−8/n), 2^(−16/n), …, 2^(−8): the geometric slopes for n heads when n is a power of two. */
function powerOfTwoSlopes(n: number): number[] {
  const start = Math.pow(2, -8 / n);
  return Array.from({ length: n }, (_, h) => Math.pow(start, h + 1));
}

/**
 * ALiBi head slopes (Press et al. 2022). For a power of two, the geometric sequence above.
 * Otherwise, with m the largest power of two below `heads`: the m slopes for m heads, then
 * every other slope of the 2m-head sequence (indices 0, 2, 4, …) for the remaining heads.
 */
export function alibiSlopesRef(heads: number): number[] {
  if (Number.isInteger(Math.log2(heads))) return powerOfTwoSlopes(heads);
  const m = Math.pow(2, Math.floor(Math.log2(heads)));
  const extra = powerOfTwoSlopes(2 * m).filter((_, i) => i % 2 === 0).slice(0, heads - m);
  return [...powerOfTwoSlopes(m), ...extra];
}

/** [heads][n][n]: −slope_h·(i − j) for keys j ≤ i, MASKED_SCORE (−1e9) above the diagonal. */
export function alibiBiasRef(n: number, heads: number): number[][][] {
  return alibiSlopesRef(heads).map((m) =>
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j <= i ? -m * (i - j) : MASKED_SCORE))),
  );
}

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function cosine(a: number[], b: number[]): number {
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

export interface ExtrapolationSeries {
  sinusoidal: number[];
  /** null where the learned table has no row (p ≥ its length). */
  learned: (number | null)[];
  rope: number[];
  alibi: number[];
}

/**
 * For p = 0 .. maxPosition−1, how position p relates to position 0 under each scheme:
 * - sinusoidal: cosine(PE(p), PE(0))
 * - learned: cosine(table[p], table[0]), or null past the table's length
 * - rope: cosine(RoPE(content, p), RoPE(content, 0)), the score a query and key with the same
 *   content get at distance p, normalised
 * - alibi: mean over heads of exp(−slope_h·p), the factor the bias multiplies a key's softmax
 *   numerator by at distance p
 * table: [trainLength][d], content: [d].
 */
export function extrapolationRef(table: Matrix, content: number[], heads: number, maxPosition: number): ExtrapolationSeries {
  const d = content.length;
  const pe = sinusoidalRef(maxPosition, d);
  const slopes = alibiSlopesRef(heads);
  const r0 = ropeRef([content], [0])[0];
  const sinusoidal: number[] = [];
  const learned: (number | null)[] = [];
  const rope: number[] = [];
  const alibi: number[] = [];
  for (let p = 0; p < maxPosition; p++) {
    sinusoidal.push(cosine(pe[p], pe[0]));
    learned.push(p < table.length ? cosine(table[p], table[0]) : null);
    rope.push(cosine(ropeRef([content], [p])[0], r0));
    alibi.push(slopes.reduce((s, m) => s + Math.exp(-m * p), 0) / slopes.length);
  }
  return { sinusoidal, learned, rope, alibi };
}

/** First index where a series has no value (null), or null when it never breaks. */
export function breaksAt(series: (number | null)[]): number | null {
  const i = series.findIndex((v) => v === null || !Number.isFinite(v));
  return i < 0 ? null : i;
}

function matMul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0].map((_, c) => row.reduce((s, v, k) => s + v * b[k][c], 0)));
}

/** Single-head self-attention without positions: softmax((xWq)(xWk)ᵀ/√d)(xWv), [n][d]. */
export function selfAttentionRef(x: Matrix, w: { wq: Matrix; wk: Matrix; wv: Matrix }): Matrix {
  return attentionLoopsRef(matMul(x, w.wq), matMul(x, w.wk), matMul(x, w.wv)).output;
}

/** Mean over tokens of selfAttention(x [+ PE]): a sentence vector [d]. */
export function pooledSentenceRef(x: Matrix, w: { wq: Matrix; wk: Matrix; wv: Matrix }, addPositions: boolean): number[] {
  const pe = sinusoidalRef(x.length, x[0].length);
  const input = addPositions ? x.map((row, i) => row.map((v, j) => v + pe[i][j])) : x;
  const out = selfAttentionRef(input, w);
  return out[0].map((_, c) => out.reduce((s, row) => s + row[c], 0) / out.length);
}
