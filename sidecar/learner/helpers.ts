// "@transformer-labs/helpers": the small toolbox learner code may import beside TensorFlow.js.
// Plain functions over plain arrays, so Level 1 code never needs a tensor.

/** A matrix as rows: m[i][j] is row i, column j. */
export type Matrix = number[][];
/** A vector. */
export type Vector = number[];

/** The shape [rows, cols] of a rectangular matrix; throws on ragged rows. */
export function shapeOf(m: Matrix): [number, number] {
  const cols = m.length > 0 ? m[0].length : 0;
  m.forEach((row, i) => {
    if (row.length !== cols) throw new Error(`row ${i} has ${row.length} entries, row 0 has ${cols}`);
  });
  return [m.length, cols];
}

/** [0, 1, …, n-1]. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** An n×m matrix filled with `value`. */
export function fill(rows: number, cols: number, value = 0): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(value));
}

/** Dot product of two equal-length vectors. */
export function dot(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new Error(`dot: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Transpose of a matrix. */
export function transpose(m: Matrix): Matrix {
  const [r, c] = shapeOf(m);
  return Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => m[i][j]));
}

/** Rounds every entry to `digits` decimals, for printing. */
export function round(m: Matrix | Vector, digits = 4): Matrix | Vector {
  const f = 10 ** digits;
  return (m as (number | number[])[]).map((x) =>
    Array.isArray(x) ? x.map((y) => Math.round(y * f) / f) : Math.round((x as number) * f) / f,
  ) as Matrix | Vector;
}

/**
 * The course's reference Lab 1 attention (causalMask, paddingMask, attention, splitHeads,
 * combineHeads, multiHeadAttention), for labs that build on Lab 1 when your own Lab 1 code
 * is not in the workspace.
 */
export { referenceAttention } from './referenceAttention';
export type { MultiHeadWeights } from './referenceAttention';
