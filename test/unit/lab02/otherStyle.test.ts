// A correct Lab 2 written unlike the reference solution passes every check, hidden ones too:
// reduce instead of loops, Horner's rule in a loop for erf, tf.moments and tf.rsqrt for the
// tensor LayerNorm, tf.dot, no tf.tidy (so no tf.keep either), blocks written out without the
// residual helper, heads split with tf.split/tf.stack, stacks with reduce.
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { describeOtherStyle } from '../../support/plantedMistakes';

export const OTHER_STYLE: Record<string, string> = {
  layerNormLoops: String.raw`export function layerNormLoops(x: Matrix, gamma: Vector, beta: Vector, eps = EPS): Matrix {
  const out: Matrix = [];
  for (const row of x) {
    const mu = row.reduce((a, b) => a + b, 0) / row.length;
    const sq = row.reduce((a, b) => a + (b - mu) ** 2, 0) / row.length;
    const sd = Math.sqrt(sq + eps);
    out.push(row.map((v, j) => ((v - mu) / sd) * gamma[j] + beta[j]));
  }
  return out;
}`,
  erf: String.raw`export function erf(x: number): number {
  const a = [1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592];
  const z = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * z);
  let poly = 0;
  for (const c of a) poly = poly * t + c;
  const y = 1 - poly * t * Math.exp(-z * z);
  return x < 0 ? -y : y;
}`,
  geluExact: String.raw`export function geluExact(x: number): number {
  return x * 0.5 * (1 + erf(x * Math.SQRT1_2));
}`,
  geluTanh: String.raw`export function geluTanh(x: number): number {
  const c = Math.sqrt(2 / Math.PI);
  return (x / 2) * (1 + Math.tanh(c * (x + 0.044715 * x ** 3)));
}`,
  layerNorm: String.raw`export function layerNorm(x: tf.Tensor, p: LayerNormParams, eps = EPS): tf.Tensor {
  const { mean, variance } = tf.moments(x, x.rank - 1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), p.gamma), p.beta);
}`,
  gelu: String.raw`export function gelu(x: tf.Tensor, approximate: 'none' | 'tanh' = 'none'): tf.Tensor {
  const half = tf.mul(x, 0.5);
  if (approximate === 'none') return tf.mul(half, tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const cube = tf.mul(tf.mul(x, x), x);
  return tf.mul(half, tf.add(tf.tanh(tf.mul(tf.add(x, tf.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI))), 1));
}`,
  feedForward: String.raw`export function feedForward(x: tf.Tensor2D, w: FfnParams): tf.Tensor2D {
  const hidden = gelu(tf.add(tf.dot(x, w.w1), w.b1));
  return tf.add(tf.dot(hidden, w.w2), w.b2) as tf.Tensor2D;
}`,
  preLN: String.raw`export function preLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  const normalised = layerNorm(x, ln) as tf.Tensor2D;
  return tf.add(sublayer(normalised), x) as tf.Tensor2D;
}`,
  postLN: String.raw`export function postLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  const sum = tf.add(sublayer(x), x);
  return layerNorm(sum, ln) as tf.Tensor2D;
}`,
  encoderBlock: String.raw`export function encoderBlock(x: tf.Tensor2D, p: EncoderBlockParams, opts: { heads: number; norm: Norm; mask?: tf.Tensor }): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  const attend = (h: tf.Tensor2D) => multiHeadAttention(h, p.attn, opts.heads, opts.mask);
  if (opts.norm === 'pre') {
    const a = attend(layerNorm(x, p.ln1) as tf.Tensor2D);
    const h = tf.add(x, a.output) as tf.Tensor2D;
    const output = tf.add(h, feedForward(layerNorm(h, p.ln2) as tf.Tensor2D, p.ffn)) as tf.Tensor2D;
    return { output, weights: a.weights };
  }
  const a = attend(x);
  const h = layerNorm(tf.add(x, a.output), p.ln1) as tf.Tensor2D;
  const output = layerNorm(tf.add(h, feedForward(h, p.ffn)), p.ln2) as tf.Tensor2D;
  return { output, weights: a.weights };
}`,
  crossAttention: String.raw`export function crossAttention(x: tf.Tensor2D, memory: tf.Tensor2D, w: MultiHeadWeights, heads: number, mask?: tf.Tensor): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  const heads3 = (t: tf.Tensor) => tf.stack(tf.split(t, heads, 1));
  const r = attention(heads3(tf.matMul(x, w.wq)), heads3(tf.matMul(memory, w.wk)), heads3(tf.matMul(memory, w.wv)), mask);
  const joined = tf.concat(tf.unstack(r.output), 1);
  return { output: tf.matMul(joined, w.wo) as tf.Tensor2D, weights: r.weights as tf.Tensor3D };
}`,
  decoderBlock: String.raw`export function decoderBlock(x: tf.Tensor2D, memory: tf.Tensor2D, p: DecoderBlockParams, opts: { heads: number; norm: Norm; memoryMask?: tf.Tensor }): { output: tf.Tensor2D; selfWeights: tf.Tensor3D; crossWeights: tf.Tensor3D } {
  const pre = opts.norm === 'pre';
  const wrap = (h: tf.Tensor2D, ln: LayerNormParams, f: (z: tf.Tensor2D) => tf.Tensor2D) =>
    (pre ? tf.add(h, f(layerNorm(h, ln) as tf.Tensor2D)) : layerNorm(tf.add(h, f(h)), ln)) as tf.Tensor2D;
  let selfWeights = undefined as unknown as tf.Tensor3D;
  let crossWeights = undefined as unknown as tf.Tensor3D;
  const n = x.shape[0];
  let h = wrap(x, p.ln1, (z) => {
    const r = multiHeadAttention(z, p.selfAttn, opts.heads, causalMask(n));
    selfWeights = r.weights;
    return r.output;
  });
  h = wrap(h, p.ln2, (z) => {
    const r = crossAttention(z, memory, p.crossAttn, opts.heads, opts.memoryMask);
    crossWeights = r.weights;
    return r.output;
  });
  return { output: wrap(h, p.ln3, (z) => feedForward(z, p.ffn)), selfWeights, crossWeights };
}`,
  encoderStack: String.raw`export function encoderStack(x: tf.Tensor2D, p: StackParams<EncoderBlockParams>, opts: { heads: number; norm: Norm; mask?: tf.Tensor }): { output: tf.Tensor2D; hidden: tf.Tensor2D[]; weights: tf.Tensor3D[] } {
  const runs = p.layers.reduce<{ output: tf.Tensor2D; weights: tf.Tensor3D }[]>(
    (acc, layer) => [...acc, encoderBlock(acc.length ? acc[acc.length - 1].output : x, layer, opts)],
    [],
  );
  const hidden = runs.map((r) => r.output);
  const last = hidden[hidden.length - 1];
  return { output: opts.norm === 'post' ? last : (layerNorm(last, p.final) as tf.Tensor2D), hidden, weights: runs.map((r) => r.weights) };
}`,
  decoderStack: String.raw`export function decoderStack(x: tf.Tensor2D, memory: tf.Tensor2D, p: StackParams<DecoderBlockParams>, opts: { heads: number; norm: Norm; memoryMask?: tf.Tensor }): { output: tf.Tensor2D; hidden: tf.Tensor2D[]; weights: tf.Tensor3D[] } {
  const hidden: tf.Tensor2D[] = [];
  const weights: tf.Tensor3D[] = [];
  for (let l = 0; l < p.layers.length; l++) {
    const r = decoderBlock(l === 0 ? x : hidden[l - 1], memory, p.layers[l], opts);
    hidden.push(r.output);
    weights.push(r.selfWeights);
  }
  const last = hidden[hidden.length - 1];
  return { output: opts.norm === 'post' ? last : (layerNorm(last, p.final) as tf.Tensor2D), hidden, weights };
}`,
};

const LAB = new LabInProcess('02-transformer-block');

describeOtherStyle('Lab 2: a correct solution in another style', () => LAB, () => ({ 'block.ts': LAB.withFunctions('block.ts', OTHER_STYLE) }), () => loadBackend('wasm'));
