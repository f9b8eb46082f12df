// Lab 2 — The transformer block. Reference solution (instructors only; not shipped).
import * as tf from '@tensorflow/tfjs-core';
import type { Matrix, MultiHeadWeights, Vector } from '@transformer-labs/helpers';
import { attention, causalMask, combineHeads, multiHeadAttention, splitHeads } from './attention';

/** LayerNorm's ε (PyTorch's default): it goes inside the square root. */
export const EPS = 1e-5;

/** Gain γ and bias β of a LayerNorm, each [d]. */
export interface LayerNormParams {
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
}
/** The position-wise feed-forward network: w1 [d, 4d], b1 [4d], w2 [4d, d], b2 [d]. */
export interface FfnParams {
  w1: tf.Tensor2D;
  b1: tf.Tensor1D;
  w2: tf.Tensor2D;
  b2: tf.Tensor1D;
}
export interface EncoderBlockParams {
  attn: MultiHeadWeights;
  ffn: FfnParams;
  ln1: LayerNormParams;
  ln2: LayerNormParams;
}
export interface DecoderBlockParams {
  selfAttn: MultiHeadWeights;
  crossAttn: MultiHeadWeights;
  ffn: FfnParams;
  ln1: LayerNormParams;
  ln2: LayerNormParams;
  ln3: LayerNormParams;
}
/** N blocks, and the final LayerNorm a Pre-LN stack ends with. */
export interface StackParams<B> {
  layers: B[];
  final: LayerNormParams;
}
/** 'pre': x + F(LN(x)) (GPT-2 and later). 'post': LN(x + F(x)) (the 2017 paper). */
export type Norm = 'pre' | 'post';

// ───────────────────────── Level 1: plain numbers ─────────────────────────

/**
 * LayerNorm of each row of x over its d features:
 * y[i][j] = γ[j] · (x[i][j] − μ_i) / √(σ²_i + ε) + β[j], μ and σ² (divide by d) of row i.
 * @param x [n][d]  @param gamma [d]  @param beta [d]  @returns [n][d]
 */
export function layerNormLoops(x: Matrix, gamma: Vector, beta: Vector, eps = EPS): Matrix {
  return x.map((row) => {
    const d = row.length;
    let mean = 0;
    for (const v of row) mean += v;
    mean /= d;
    let variance = 0;
    for (const v of row) variance += (v - mean) * (v - mean);
    variance /= d;
    const inv = 1 / Math.sqrt(variance + eps);
    return row.map((v, j) => gamma[j] * (v - mean) * inv + beta[j]);
  });
}

/**
 * The error function, Abramowitz & Stegun 7.1.26: |error| ≤ 1.5e-7 for every x.
 * erf(x) = 1 − (a1 t + a2 t² + a3 t³ + a4 t⁴ + a5 t⁵) e^{−x²}, t = 1 / (1 + p x), for x ≥ 0;
 * erf is odd, so erf(−x) = −erf(x).
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-ax * ax));
}

/** GELU(x) = x · Φ(x) = 0.5 · x · (1 + erf(x / √2)). */
export function geluExact(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** The tanh approximation: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

// ───────────────────────── Level 2: tensor ops ─────────────────────────

/** LayerNorm over the last axis of x [..., d] (any leading shape); γ, β [d]. */
export function layerNorm(x: tf.Tensor, p: LayerNormParams, eps = EPS): tf.Tensor {
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const mean = tf.mean(x, axis, true); // [..., 1]
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), axis, true); // [..., 1], biased (÷ d)
    return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, eps))), p.gamma), p.beta);
  });
}

/** GELU elementwise: 'none' = exact with tf.erf, 'tanh' = the approximation. */
export function gelu(x: tf.Tensor, approximate: 'none' | 'tanh' = 'none'): tf.Tensor {
  return tf.tidy(() => {
    if (approximate === 'tanh') {
      const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  });
}

/** FFN(x) = GELU(x W1 + b1) W2 + b2 with the EXACT GELU (gelu's default, not 'tanh'): [n, d] → [n, 4d] → [n, d]. */
export function feedForward(x: tf.Tensor2D, w: FfnParams): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(gelu(tf.add(tf.matMul(x, w.w1), w.b1)), w.w2), w.b2) as tf.Tensor2D);
}

/** Pre-LN residual sublayer: x + F(LN(x)). */
export function preLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  return tf.tidy(() => tf.add(x, sublayer(layerNorm(x, ln) as tf.Tensor2D)) as tf.Tensor2D);
}

/** Post-LN residual sublayer: LN(x + F(x)). */
export function postLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  return tf.tidy(() => layerNorm(tf.add(x, sublayer(x)), ln) as tf.Tensor2D);
}

function residual(norm: Norm, x: tf.Tensor2D, f: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  return norm === 'pre' ? preLN(x, f, ln) : postLN(x, f, ln);
}

// ───────────────────────── Level 3: blocks and stacks ─────────────────────────

/**
 * Encoder block: bidirectional self-attention, then the FFN, each in a residual sublayer.
 * @param x [n, d]  @param opts.mask optional key mask broadcastable to [heads, n, n]
 * @returns output [n, d] and the self-attention weights [heads, n, n]
 */
export function encoderBlock(
  x: tf.Tensor2D,
  p: EncoderBlockParams,
  opts: { heads: number; norm: Norm; mask?: tf.Tensor },
): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  let weights!: tf.Tensor3D;
  const attn = (h: tf.Tensor2D) => {
    const r = multiHeadAttention(h, p.attn, opts.heads, opts.mask);
    weights = tf.keep(r.weights); // preLN/postLN run the sublayer inside tf.tidy: keep what escapes it
    return r.output;
  };
  const h = residual(opts.norm, x, attn, p.ln1);
  const output = residual(opts.norm, h, (z) => feedForward(z, p.ffn), p.ln2);
  return { output, weights };
}

/**
 * Multi-head cross-attention: queries from x [nq, d], keys and values from memory [nk, d].
 * @returns output [nq, d] and weights [heads, nq, nk]
 */
export function crossAttention(
  x: tf.Tensor2D,
  memory: tf.Tensor2D,
  w: MultiHeadWeights,
  heads: number,
  mask?: tf.Tensor,
): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  return tf.tidy(() => {
    const q = splitHeads(tf.matMul(x, w.wq), heads); // [h, nq, dh]
    const k = splitHeads(tf.matMul(memory, w.wk), heads); // [h, nk, dh]
    const v = splitHeads(tf.matMul(memory, w.wv), heads); // [h, nk, dh]
    const r = attention(q, k, v, mask); // [h, nq, dh], [h, nq, nk]
    return { output: tf.matMul(combineHeads(r.output as tf.Tensor3D), w.wo) as tf.Tensor2D, weights: r.weights as tf.Tensor3D };
  });
}

/**
 * Decoder block: causal self-attention, cross-attention to the encoder's output, FFN.
 * @param x [n, d]  @param memory [m, d]  @param opts.memoryMask optional, broadcastable to [heads, n, m]
 */
export function decoderBlock(
  x: tf.Tensor2D,
  memory: tf.Tensor2D,
  p: DecoderBlockParams,
  opts: { heads: number; norm: Norm; memoryMask?: tf.Tensor },
): { output: tf.Tensor2D; selfWeights: tf.Tensor3D; crossWeights: tf.Tensor3D } {
  let selfWeights!: tf.Tensor3D;
  let crossWeights!: tf.Tensor3D;
  const mask = causalMask(x.shape[0]);
  const self = (h: tf.Tensor2D) => {
    const r = multiHeadAttention(h, p.selfAttn, opts.heads, mask);
    selfWeights = tf.keep(r.weights); // escapes preLN/postLN's tf.tidy
    return r.output;
  };
  const cross = (h: tf.Tensor2D) => {
    const r = crossAttention(h, memory, p.crossAttn, opts.heads, opts.memoryMask);
    crossWeights = tf.keep(r.weights);
    return r.output;
  };
  let h = residual(opts.norm, x, self, p.ln1);
  h = residual(opts.norm, h, cross, p.ln2);
  const output = residual(opts.norm, h, (z) => feedForward(z, p.ffn), p.ln3);
  return { output, selfWeights, crossWeights };
}

/**
 * N encoder blocks, one after the other; a Pre-LN stack ends with the final LayerNorm.
 * @returns output [n, d], hidden = the residual stream after each block, weights per block
 */
export function encoderStack(
  x: tf.Tensor2D,
  p: StackParams<EncoderBlockParams>,
  opts: { heads: number; norm: Norm; mask?: tf.Tensor },
): { output: tf.Tensor2D; hidden: tf.Tensor2D[]; weights: tf.Tensor3D[] } {
  const hidden: tf.Tensor2D[] = [];
  const weights: tf.Tensor3D[] = [];
  let h = x;
  for (const layer of p.layers) {
    const r = encoderBlock(h, layer, opts);
    h = r.output;
    hidden.push(h);
    weights.push(r.weights);
  }
  const output = opts.norm === 'pre' ? (layerNorm(h, p.final) as tf.Tensor2D) : h;
  return { output, hidden, weights };
}

/** N decoder blocks over the same memory; a Pre-LN stack ends with the final LayerNorm. */
export function decoderStack(
  x: tf.Tensor2D,
  memory: tf.Tensor2D,
  p: StackParams<DecoderBlockParams>,
  opts: { heads: number; norm: Norm; memoryMask?: tf.Tensor },
): { output: tf.Tensor2D; hidden: tf.Tensor2D[]; weights: tf.Tensor3D[] } {
  const hidden: tf.Tensor2D[] = [];
  const weights: tf.Tensor3D[] = [];
  let h = x;
  for (const layer of p.layers) {
    const r = decoderBlock(h, memory, layer, opts);
    h = r.output;
    hidden.push(h);
    weights.push(r.selfWeights);
  }
  const output = opts.norm === 'pre' ? (layerNorm(h, p.final) as tf.Tensor2D) : h;
  return { output, hidden, weights };
}
