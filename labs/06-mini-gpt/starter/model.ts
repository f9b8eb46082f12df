// Lab 6 — The mini-GPT forward pass, with your Lab 1 attention inside (./attention.ts).
// Replace each `throw` with your implementation ("Hint 1 of 3" above each function opens hints
// one at a time). The checks give your forward the trained weights (nanoGPT names; linear
// weights stored [in, out], so a layer is x·W + b).
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
  // Nudge: Lab 2's LayerNorm, over the last axis of a [T, C] tensor.
  throw new Error('TODO: implement layerNorm');
}

/** GELU, GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(x: tf.Tensor): tf.Tensor {
  // Nudge: which of the two GELUs from Lab 2 was this model trained with?
  throw new Error('TODO: implement gelu');
}

/**
 * Causal multi-head self-attention of block `layer`, on its (already normalised) input x, with
 * the layer's trained weights: c_attn (q, k and v fused, [C, 3C]) and the output projection c_proj.
 * @param x [T, C]  @returns output [T, C] and weights [nHead, T, T]
 */
export function causalSelfAttention(
  x: tf.Tensor2D,
  weights: GptWeights,
  layer: number,
  nHead: number,
): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  // Nudge: one projection gives q, k and v side by side; from there it is your Lab 1 attention.
  throw new Error('TODO: implement causalSelfAttention');
}

/** The feed-forward network: x·c_fc + b [T, 4C] → GELU → ·c_proj + b [T, C]. */
export function mlp(x: tf.Tensor2D, weights: GptWeights, layer: number): tf.Tensor2D {
  // Nudge: widen, activate, narrow — with this layer's weights.
  throw new Error('TODO: implement mlp');
}

/**
 * One Pre-LN transformer block (GPT-2's arrangement): attention, then the MLP, each with its
 * LayerNorm (ln_1, ln_2) and a residual connection.
 * @param x [T, C]  @returns [T, C]
 */
export function block(x: tf.Tensor2D, weights: GptWeights, layer: number, config: GptConfig): tf.Tensor2D {
  // Nudge: Pre-LN — what does each sub-layer see, and what does the residual path carry?
  throw new Error('TODO: implement block');
}

/**
 * The whole model: token and position embeddings (wte, wpe), the nLayer blocks, the final
 * LayerNorm ln_f, and the LM head, which shares the token embedding wte.
 * @param tokens T token ids, 1 ≤ T ≤ blockSize  @returns logits [T, V]
 */
export function forward(weights: GptWeights, tokens: number[], config: GptConfig): tf.Tensor2D {
  // Nudge: what the tokens are, where they are, every block, the last LayerNorm, then a score for every character.
  throw new Error('TODO: implement forward');
}
