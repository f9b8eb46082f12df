// Lab 2 — The transformer block.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above
// each function shows how many pass, and "Hint 1 of 3" beside it opens hints one at a time.
// Instructions: INSTRUCTIONS.md (opened beside this file).
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
  // Nudge: each row on its own — centre it, bring it to unit variance. Where must ε sit so that a constant row is safe?
  throw new Error('TODO: implement layerNormLoops');
}

/**
 * The error function, Abramowitz & Stegun 7.1.26: |error| ≤ 1.5e-7 for every x.
 * erf(x) = 1 − (a1 t + a2 t² + a3 t³ + a4 t⁴ + a5 t⁵) e^{−x²}, t = 1 / (1 + p x), for x ≥ 0;
 * erf is odd, so erf(−x) = −erf(x).
 */
export function erf(x: number): number {
  // Nudge: the formula above holds only for x ≥ 0. What does an odd function do with a negative x?
  throw new Error('TODO: implement erf');
}

/** GELU(x) = x · Φ(x) = 0.5 · x · (1 + erf(x / √2)). */
export function geluExact(x: number): number {
  // Nudge: Φ is the standard normal CDF — Math has no erf, but you just wrote one.
  throw new Error('TODO: implement geluExact');
}

/** The tanh approximation: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))). */
export function geluTanh(x: number): number {
  // Nudge: the formula in the comment above, term by term; Math.tanh exists.
  throw new Error('TODO: implement geluTanh');
}

// ───────────────────────── Level 2: tensor ops ─────────────────────────

/** LayerNorm over the last axis of x [..., d] (any leading shape); γ, β [d]. */
export function layerNorm(x: tf.Tensor, p: LayerNormParams, eps = EPS): tf.Tensor {
  // Nudge: layerNormLoops for a tensor of any shape — statistics of the last axis, kept so they broadcast back.
  throw new Error('TODO: implement layerNorm');
}

/** GELU elementwise: 'none' = exact with tf.erf, 'tanh' = the approximation. */
export function gelu(x: tf.Tensor, approximate: 'none' | 'tanh' = 'none'): tf.Tensor {
  // Nudge: your two GELUs on tensors; TensorFlow.js has an erf and a tanh.
  throw new Error('TODO: implement gelu');
}

/** FFN(x) = GELU(x W1 + b1) W2 + b2 with the EXACT GELU (gelu's default, not 'tanh'): [n, d] → [n, 4d] → [n, d]. */
export function feedForward(x: tf.Tensor2D, w: FfnParams): tf.Tensor2D {
  // Nudge: widen, activate with the exact GELU, narrow again — each linear map with its bias.
  throw new Error('TODO: implement feedForward');
}

/** Pre-LN residual sublayer: x + F(LN(x)). */
export function preLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  // Nudge: which of x and LN(x) does the sublayer see, and which one travels along the residual path?
  throw new Error('TODO: implement preLN');
}

/** Post-LN residual sublayer: LN(x + F(x)). */
export function postLN(x: tf.Tensor2D, sublayer: (h: tf.Tensor2D) => tf.Tensor2D, ln: LayerNormParams): tf.Tensor2D {
  // Nudge: here the normalisation comes last.
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
  // Nudge: two sublayers, each wrapped by residual(); the weights you return must outlive the tf.tidy inside preLN/postLN.
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
  // Nudge: Lab 1's multi-head attention — except that the keys and values come from memory.
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
  // Nudge: three sublayers in a row; only the first one must not look ahead.
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
  // Nudge: the blocks one after the other — and what does a Pre-LN stack still need at the very end?
  throw new Error('TODO: implement encoderStack');
}

/** N decoder blocks over the same memory; a Pre-LN stack ends with the final LayerNorm. */
export function decoderStack(
  x: tf.Tensor2D,
  memory: tf.Tensor2D,
  p: StackParams<DecoderBlockParams>,
  opts: { heads: number; norm: Norm; memoryMask?: tf.Tensor },
): { output: tf.Tensor2D; hidden: tf.Tensor2D[]; weights: tf.Tensor3D[] } {
  // Nudge: like encoderStack, with every block reading the same memory.
  throw new Error('TODO: implement decoderStack');
}
