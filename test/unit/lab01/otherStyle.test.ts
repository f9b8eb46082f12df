// A correct Lab 1 written unlike the reference solution passes every check, hidden ones too:
// tensors where the solution loops (attendOne), loops and plain arrays where it uses tensor ops
// (paddingMask), comparisons instead of bandPart, tf.where and a hand-made stable softmax
// instead of tf.softmax, split/stack instead of reshape/transpose, one head at a time, and the bonus's online softmax
// over plain numbers one key at a time.
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { describeOtherStyle } from '../../support/plantedMistakes';

export const OTHER_STYLE: Record<string, string> = {
  softmax: String.raw`export function softmax(xs: Vector): Vector {
  const top = xs.reduce((a, b) => Math.max(a, b), -Infinity);
  const shifted = xs.map((x) => Math.exp(x - top));
  const total = shifted.reduce((a, b) => a + b, 0);
  return shifted.map((e) => e / total);
}`,
  attendOne: String.raw`export function attendOne(query: Vector, keys: Matrix, values: Matrix): Vector {
  return tf.tidy(() => {
    const q = tf.tensor2d([query]);
    const scores = tf.div(tf.matMul(q, tf.tensor2d(keys), false, true), Math.sqrt(query.length));
    return Array.from(tf.matMul(tf.softmax(scores), tf.tensor2d(values)).dataSync());
  });
}`,
  attentionLoops: String.raw`export function attentionLoops(Q: Matrix, K: Matrix, V: Matrix, mask?: boolean[][]): { output: Matrix; weights: Matrix } {
  const weights = Q.map((q, i) => {
    const visible = K.map((_, j) => j).filter((j) => mask === undefined || mask[i][j] !== false);
    const w: number[] = K.map(() => 0);
    if (visible.length === 0) return w;
    const s = softmax(visible.map((j) => q.reduce((acc, x, t) => acc + x * K[j][t], 0) / Math.sqrt(q.length)));
    visible.forEach((j, r) => (w[j] = s[r]));
    return w;
  });
  const output = weights.map((w) => V[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * V[j][c], 0)));
  return { output, weights };
}`,
  causalMask: String.raw`export function causalMask(n: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.greaterEqual(tf.reshape(tf.range(0, n), [n, 1]), tf.reshape(tf.range(0, n), [1, n])), 'float32') as tf.Tensor2D);
}`,
  paddingMask: String.raw`export function paddingMask(lengths: number[], maxLen: number): tf.Tensor3D {
  const rows = lengths.map((len) => [Array.from({ length: maxLen }, (_, j) => (j < len ? 1 : 0))]);
  return tf.tensor3d(rows);
}`,
  attention: String.raw`export function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor): { output: tf.Tensor; weights: tf.Tensor } {
  return tf.tidy(() => {
    const r = k.rank;
    const perm = Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
    let scores = tf.div(tf.matMul(q, tf.transpose(k, perm)), Math.sqrt(q.shape[q.rank - 1]));
    const keep = mask ? tf.greater(tf.broadcastTo(mask, scores.shape), 0) : undefined;
    if (keep) scores = tf.where(keep, scores, tf.fill(scores.shape, -1e9));
    const e = tf.exp(tf.sub(scores, tf.max(scores, -1, true)));
    let weights = tf.div(e, tf.sum(e, -1, true));
    if (keep) weights = tf.where(keep, weights, tf.zerosLike(weights));
    return { output: tf.matMul(weights, v), weights };
  });
}`,
  splitHeads: String.raw`export function splitHeads(x: tf.Tensor2D, heads: number): tf.Tensor3D {
  return tf.tidy(() => tf.stack(tf.split(x, heads, 1)) as tf.Tensor3D);
}`,
  combineHeads: String.raw`export function combineHeads(x: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => tf.concat(tf.unstack(x), 1) as tf.Tensor2D);
}`,
  multiHeadAttention: String.raw`export function multiHeadAttention(x: tf.Tensor2D, w: MultiHeadWeights, heads: number, mask?: tf.Tensor): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  return tf.tidy(() => {
    const dModel = x.shape[1];
    const dHead = dModel / heads;
    const cols = (m: tf.Tensor2D, h: number) => tf.slice(m, [0, h * dHead], [dModel, dHead]);
    const outs: tf.Tensor[] = [];
    const maps: tf.Tensor[] = [];
    for (let h = 0; h < heads; h++) {
      const r = attention(tf.matMul(x, cols(w.wq, h)), tf.matMul(x, cols(w.wk, h)), tf.matMul(x, cols(w.wv, h)), mask);
      outs.push(r.output);
      maps.push(r.weights);
    }
    return { output: tf.matMul(tf.concat(outs, 1), w.wo) as tf.Tensor2D, weights: tf.stack(maps) as tf.Tensor3D };
  });
}`,
  // Plain numbers, one query at a time, one key at a time (the streaming form of the online
  // softmax): a key that raises the maximum rescales what was summed so far.
  chunkedAttention: String.raw`export function chunkedAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, chunkSize: number, mask?: tf.Tensor2D): tf.Tensor2D {
  const Q = q.arraySync(), K = k.arraySync(), V = v.arraySync();
  const M = mask ? mask.arraySync() : undefined;
  const scale = 1 / Math.sqrt(Q[0]?.length ?? 1);
  const rows = Q.map((qi, i) => {
    let top = -Infinity;
    let total = 0;
    let acc = new Array<number>(V[0]?.length ?? 0).fill(0);
    for (let start = 0; start < K.length; start += chunkSize) {
      for (let j = start; j < Math.min(start + chunkSize, K.length); j++) {
        if (M && M[i][j] === 0) continue;
        const s = qi.reduce((a, x, t) => a + x * K[j][t], 0) * scale;
        if (s > top) {
          const shrink = Math.exp(top - s);
          total *= shrink;
          acc = acc.map((a) => a * shrink);
          top = s;
        }
        const e = Math.exp(s - top);
        total += e;
        acc = acc.map((a, c) => a + e * V[j][c]);
      }
    }
    return total === 0 ? acc : acc.map((a) => a / total);
  });
  return tf.tensor2d(rows, [Q.length, V[0]?.length ?? 0]);
}`,
};

const LAB = new LabInProcess('01-attention');

describeOtherStyle('Lab 1: a correct solution in another style', () => LAB, () => ({ 'attention.ts': LAB.withFunctions('attention.ts', OTHER_STYLE) }), () => loadBackend('wasm'));
