// A correct Lab 3 written unlike the reference solution passes every check, hidden ones too:
// tensors (float32) where the solution loops (sinusoidalEncoding, alibiSlopes' closed form),
// loops over plain arrays where it uses tensor ops (lookupPositions, applyRope, alibiBias),
// tf.transpose for kᵀ, and a pooled sum divided by n. extrapolationStudy and pooledSentence
// come twice: synchronous with arraySync/dataSync, as they were written before the lab made them
// async (such a file must keep passing on wasm and cpu), and async in a way the solution is not
// (every read started at once and awaited with Promise.all; `await t.data()`).
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { describeOtherStyle } from '../../support/plantedMistakes';

export const OTHER_STYLE: Record<string, string> = {
  sinusoidalEncoding: String.raw`export function sinusoidalEncoding(maxLen: number, d: number): Matrix {
  return tf.tidy(() => {
    const pos = tf.reshape(tf.range(0, maxLen), [maxLen, 1]);
    const j = tf.range(0, d);
    const pairStart = tf.sub(j, tf.mod(j, 2));
    const freq = tf.pow(10000, tf.neg(tf.div(pairStart, d)));
    const angles = tf.mul(pos, tf.reshape(freq, [1, d]));
    const even = tf.equal(tf.mod(j, 2), 0);
    return tf.where(tf.broadcastTo(even, [maxLen, d]), tf.sin(angles), tf.cos(angles)).arraySync() as Matrix;
  });
}`,
  lookupPositions: String.raw`export function lookupPositions(table: tf.Tensor2D, positions: number[]): tf.Tensor2D {
  const rows = table.arraySync();
  const picked = positions.map((p) => {
    if (!(p >= 0 && p < rows.length && Math.floor(p) === p)) {
      throw new Error('no learned row for position ' + p + ': maxLen is ' + rows.length);
    }
    return rows[p];
  });
  return tf.tensor2d(picked, [positions.length, table.shape[1]]);
}`,
  applyRope: String.raw`export function applyRope(x: tf.Tensor2D, positions: number[]): tf.Tensor2D {
  const rows = x.arraySync();
  const d = x.shape[1];
  const out = rows.map((row, t) => {
    const r = row.slice();
    for (let i = 0; i < d / 2; i++) {
      const a = positions[t] * Math.pow(10000, (-2 * i) / d);
      r[2 * i] = row[2 * i] * Math.cos(a) - row[2 * i + 1] * Math.sin(a);
      r[2 * i + 1] = row[2 * i] * Math.sin(a) + row[2 * i + 1] * Math.cos(a);
    }
    return r;
  });
  return tf.tensor2d(out);
}`,
  alibiSlopes: String.raw`export function alibiSlopes(heads: number): Vector {
  const closest = 2 ** Math.floor(Math.log2(heads));
  const base = Array.from({ length: closest }, (_, h) => 2 ** ((-8 * (h + 1)) / closest));
  const extra = Array.from({ length: heads - closest }, (_, k) => 2 ** ((-8 * (2 * k + 1)) / (2 * closest)));
  return base.concat(extra);
}`,
  alibiBias: String.raw`export function alibiBias(n: number, heads: number): tf.Tensor3D {
  const slopes = alibiSlopes(heads);
  const data = slopes.map((m) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j > i ? -1e9 : -m * (i - j)))));
  return tf.tensor3d(data);
}`,
  extrapolationStudy: String.raw`export function extrapolationStudy(table: tf.Tensor2D, content: Vector, heads: number, maxPosition: number): { sinusoidal: Vector; learned: (number | null)[]; rope: Vector; alibi: Vector } {
  const cos = (a: Vector, b: Vector) => {
    const dotAB = a.reduce((s, v, i) => s + v * b[i], 0);
    return dotAB / Math.hypot(...a) / Math.hypot(...b);
  };
  const ps = Array.from({ length: maxPosition }, (_, p) => p);
  const pe = sinusoidalEncoding(maxPosition, content.length);
  const turned = applyRope(tf.tensor2d(ps.map(() => content)), ps).arraySync();
  const slopes = alibiSlopes(heads);
  const learned = ps.map((p) => {
    try {
      const [r0, rp] = lookupPositions(table, [0, p]).arraySync();
      return cos(rp, r0);
    } catch {
      return null;
    }
  });
  return {
    sinusoidal: ps.map((p) => cos(pe[p], pe[0])),
    learned,
    rope: ps.map((p) => cos(turned[p], turned[0])),
    alibi: ps.map((p) => slopes.map((m) => Math.exp(-m * p)).reduce((a, b) => a + b, 0) / heads),
  };
}`,
  selfAttention: String.raw`export function selfAttention(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }): tf.Tensor2D {
  const q = tf.matMul(x, w.wq);
  const kT = tf.transpose(tf.matMul(x, w.wk));
  const scores = tf.div(tf.matMul(q, kT), Math.sqrt(q.shape[1]));
  return tf.matMul(tf.softmax(scores), tf.matMul(x, w.wv)) as tf.Tensor2D;
}`,
  pooledSentence: String.raw`export function pooledSentence(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }, addPositions: boolean): Vector {
  const [n, d] = x.shape;
  const input = addPositions ? (tf.add(x, sinusoidalEncoding(n, d)) as tf.Tensor2D) : x;
  return Array.from(tf.div(tf.sum(selfAttention(input, w), 0), n).dataSync());
}`,
};

/** The two functions that read numbers out of tensors, async unlike the solution's sequential awaits. */
export const OTHER_STYLE_ASYNC: Record<string, string> = {
  ...OTHER_STYLE,
  extrapolationStudy: String.raw`export async function extrapolationStudy(table: tf.Tensor2D, content: Vector, heads: number, maxPosition: number): Promise<{ sinusoidal: Vector; learned: (number | null)[]; rope: Vector; alibi: Vector }> {
  const cos = (a: Vector, b: Vector) => {
    const dotAB = a.reduce((s, v, i) => s + v * b[i], 0);
    return dotAB / Math.hypot(...a) / Math.hypot(...b);
  };
  const ps = Array.from({ length: maxPosition }, (_, p) => p);
  const pe = sinusoidalEncoding(maxPosition, content.length);
  const turnedT = applyRope(tf.tensor2d(ps.map(() => content)), ps);
  const slopes = alibiSlopes(heads);
  const [turned, learned] = await Promise.all([
    turnedT.array(),
    Promise.all(
      ps.map(async (p) => {
        let rows: tf.Tensor2D;
        try {
          rows = lookupPositions(table, [0, p]);
        } catch {
          return null;
        }
        const [r0, rp] = await rows.array();
        rows.dispose();
        return cos(rp, r0);
      }),
    ),
  ]);
  turnedT.dispose();
  return {
    sinusoidal: ps.map((p) => cos(pe[p], pe[0])),
    learned,
    rope: ps.map((p) => cos(turned[p], turned[0])),
    alibi: ps.map((p) => slopes.map((m) => Math.exp(-m * p)).reduce((a, b) => a + b, 0) / heads),
  };
}`,
  pooledSentence: String.raw`export async function pooledSentence(x: tf.Tensor2D, w: { wq: tf.Tensor2D; wk: tf.Tensor2D; wv: tf.Tensor2D }, addPositions: boolean): Promise<Vector> {
  const [n, d] = x.shape;
  const input = addPositions ? (tf.add(x, sinusoidalEncoding(n, d)) as tf.Tensor2D) : x;
  const pooled = tf.div(tf.sum(selfAttention(input, w), 0), n);
  const values = await pooled.data();
  pooled.dispose();
  return Array.from(values);
}`,
};

const LAB = new LabInProcess('03-positional-encodings');
const solutionWith = (functions: Record<string, string>) => () => ({ 'positions.ts': LAB.withFunctions('positions.ts', functions) });

describeOtherStyle('Lab 3: a correct solution in another style (synchronous reads, arraySync/dataSync)', () => LAB, solutionWith(OTHER_STYLE), () => loadBackend('wasm'));
describeOtherStyle('Lab 3: a correct solution in another style (async reads)', () => LAB, solutionWith(OTHER_STYLE_ASYNC), () => loadBackend('wasm'));
