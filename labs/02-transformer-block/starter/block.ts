// Lab 2 — The transformer block.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above
// each function shows how many pass. Instructions: INSTRUCTIONS.md (opened beside this file).
// attention.ts holds multi-head attention from Lab 1 (yours, or the course's reference).
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
  // Hint: For each row: mean μ = Σx/d, variance σ² = Σ(x−μ)²/d (divide by d, not d−1),
  // then γ[j]·(x[j]−μ)/√(σ²+ε) + β[j]. ε goes INSIDE the square root.
  throw new Error('TODO: implement layerNormLoops');
}

/**
 * The error function, Abramowitz & Stegun 7.1.26: |error| ≤ 1.5e-7 for every x.
 * erf(x) = 1 − (a1 t + a2 t² + a3 t³ + a4 t⁴ + a5 t⁵) e^{−x²}, t = 1 / (1 + p x), for x ≥ 0;
 * erf is odd, so erf(−x) = −erf(x).
 */
export function erf(x: number): number {
  // Hint: Use Abramowitz & Stegun 7.1.26 for |x| (see the doc comment above) and give it x's sign.
  throw new Error('TODO: implement erf');
}

/** GELU(x) = x · Φ(x) = 0.5 · x · (1 + erf(x / √2)). */
export function geluExact(x: number): number {
  // Hint: 0.5 · x · (1 + erf(x / √2)), with your erf (Math has no erf).
  throw new Error('TODO: implement geluExact');
}

/** The tanh approximation: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))). */
export function geluTanh(x: number): number {
  // Hint: 0.5 · x · (1 + Math.tanh(√(2/π) · (x + 0.044715·x³))).
  throw new Error('TODO: implement geluTanh');
}

// ───────────────────────── Level 2: tensor ops ─────────────────────────

/** LayerNorm over the last axis of x [..., d] (any leading shape); γ, β [d]. */
export function layerNorm(x: tf.Tensor, p: LayerNormParams, eps = EPS): tf.Tensor {
  // Hint: tf.mean over the last axis (x.rank − 1) with keepDims = true, the same for the
  // squared deviations; then divide by tf.sqrt(variance + eps), multiply by γ and add β.
  throw new Error('TODO: implement layerNorm');
}

/** GELU elementwise: 'none' = exact with tf.erf, 'tanh' = the approximation. */
export function gelu(x: tf.Tensor, approximate: 'none' | 'tanh' = 'none'): tf.Tensor {
  // Hint: Exact: 0.5·x·(1 + tf.erf(x / √2)). 'tanh': 0.5·x·(1 + tf.tanh(√(2/π)·(x + 0.044715·x³))).
  throw new Error('TODO: implement gelu');
}

/** FFN(x) = GELU(x W1 + b1) W2 + b2: [n, d] → [n, 4d] → [n, d]. */
export function feedForward(x: tf.Tensor2D, w: FfnParams): tf.Tensor2D {
  // Hint: tf.matMul(x, w1) + b1 → gelu → tf.matMul(·, w2) + b2.
  throw new Error('TODO: implement feedForward');
}

/** Pre-LN residual sublayer: x + F(LN(x)). */
export function preLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  // Hint: x + sublayer(layerNorm(x, ln)).
  throw new Error('TODO: implement preLN');
}

/** Post-LN residual sublayer: LN(x + F(x)). */
export function postLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  // Hint: layerNorm(x + sublayer(x), ln).
  throw new Error('TODO: implement postLN');
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
  // Hint: Use residual(opts.norm, …) twice: once around multiHeadAttention(h, p.attn, opts.heads, opts.mask)
  // (with ln1), once around feedForward(z, p.ffn) (with ln2). Keep the attention weights to return them —
  // with tf.keep(weights), because preLN/postLN's tf.tidy would otherwise dispose them.
  throw new Error('TODO: implement encoderBlock');
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
  // Hint: Q from x, K and V from memory: splitHeads(tf.matMul(x, w.wq), heads), …;
  // attention(q, k, v, mask); combineHeads(output) · w.wo.
  throw new Error('TODO: implement crossAttention');
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
  // Hint: Three residual sublayers: causal self-attention (mask = causalMask(n)) with ln1,
  // crossAttention(h, memory, p.crossAttn, opts.heads, opts.memoryMask) with ln2, feedForward with ln3.
  // tf.keep the two attention weights you return (they are made inside preLN/postLN's tf.tidy).
  throw new Error('TODO: implement decoderBlock');
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
  // Hint: Loop over p.layers with encoderBlock, collecting each block's output (hidden) and weights;
  // for norm 'pre', apply layerNorm(h, p.final) at the end.
  throw new Error('TODO: implement encoderStack');
}

/** N decoder blocks over the same memory; a Pre-LN stack ends with the final LayerNorm. */
export function decoderStack(
  x: tf.Tensor2D,
  memory: tf.Tensor2D,
  p: StackParams<DecoderBlockParams>,
  opts: { heads: number; norm: Norm; memoryMask?: tf.Tensor },
): { output: tf.Tensor2D; hidden: tf.Tensor2D[]; weights: tf.Tensor3D[] } {
  // Hint: Like encoderStack with decoderBlock(h, memory, layer, opts); weights are the self-attention weights.
  throw new Error('TODO: implement decoderStack');
}
