// Lab 6 — The mini-GPT forward pass, with your Lab 1 attention inside (./attention.ts).
// Replace each `throw` with your implementation. The checks give your forward the trained
// weights (nanoGPT names; linear weights stored [in, out], so a layer is x·W + b).
import * as tf from '@tensorflow/tfjs-core';
import { attention, causalMask, combineHeads, splitHeads } from './attention';

export interface GptConfig {
  vocabSize: number; // V
  blockSize: number; // longest context T
  nLayer: number;
  nHead: number;
  nEmbd: number; // C
}

/** wte [V, C], wpe [blockSize, C], h.{i}.ln_1.weight [C], h.{i}.attn.c_attn.weight [C, 3C], … */
export type GptWeights = Record<string, tf.Tensor>;

/**
 * LayerNorm over the last axis: (x − mean) / √(var + eps) · gamma + beta, with the biased
 * variance (divide by C, as PyTorch) and eps = 1e-5.
 * @param x [T, C]  @param gamma [C]  @param beta [C]  @returns [T, C]
 */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  // Hint: tf.moments(x, -1, true) gives mean and variance with the last axis kept.
  throw new Error('TODO: implement layerNorm');
}

/** GELU, GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(x: tf.Tensor): tf.Tensor {
  // Hint: write the formula with tf.pow, tf.tanh, tf.mul, tf.add (not the erf version).
  throw new Error('TODO: implement gelu');
}

/**
 * Causal multi-head self-attention of block `layer`, on its (already normalised) input x.
 * q, k, v = split(x·c_attn.weight + c_attn.bias) into three [T, C]; each becomes
 * [nHead, T, C/nHead]; attention under causalMask(T); heads combined; x·c_proj.weight + bias.
 * @param x [T, C]  @returns output [T, C] and weights [nHead, T, T]
 */
export function causalSelfAttention(
  x: tf.Tensor2D,
  weights: GptWeights,
  layer: number,
  nHead: number,
): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  // Hint: the names are `h.${layer}.attn.c_attn.weight` etc.; tf.split(qkv, 3, 1) gives q, k, v.
  throw new Error('TODO: implement causalSelfAttention');
}

/** The feed-forward network: x·c_fc + b [T, 4C] → GELU → ·c_proj + b [T, C]. */
export function mlp(x: tf.Tensor2D, weights: GptWeights, layer: number): tf.Tensor2D {
  // Hint: `h.${layer}.mlp.c_fc.weight` is [C, 4C], `h.${layer}.mlp.c_proj.weight` is [4C, C].
  throw new Error('TODO: implement mlp');
}

/**
 * One Pre-LN transformer block: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)).
 * @param x [T, C]  @returns [T, C]
 */
export function block(x: tf.Tensor2D, weights: GptWeights, layer: number, config: GptConfig): tf.Tensor2D {
  // Hint: normalise BEFORE each sub-layer and add the sub-layer's output to the un-normalised x.
  throw new Error('TODO: implement block');
}

/**
 * The whole model: embeddings wte[tokens] + wpe[0..T-1] → nLayer blocks → ln_f → logits
 * x·wteᵀ (the LM head shares the token embedding).
 * @param tokens T token ids, 1 ≤ T ≤ blockSize  @returns logits [T, V]
 */
export function forward(weights: GptWeights, tokens: number[], config: GptConfig): tf.Tensor2D {
  // Hint: tf.gather(wte, tf.tensor1d(tokens, 'int32')) picks the token rows; tf.matMul(h, wte, false, true).
  throw new Error('TODO: implement forward');
}
