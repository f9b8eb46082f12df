// Lab 6 — The mini-GPT forward pass. Reference solution (not shipped).
// Weights use nanoGPT's names; linear weights are stored [in, out], so a layer is x·W + b.
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
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor2D;
  });
}

/** GELU, GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
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
  return tf.tidy(() => {
    const T = x.shape[0];
    const p = `h.${layer}.attn.`;
    const qkv = tf.add(tf.matMul(x, weights[p + 'c_attn.weight'] as tf.Tensor2D), weights[p + 'c_attn.bias']) as tf.Tensor2D;
    const [q, k, v] = tf.split(qkv, 3, 1) as tf.Tensor2D[];
    const att = attention(splitHeads(q, nHead), splitHeads(k, nHead), splitHeads(v, nHead), causalMask(T));
    const combined = combineHeads(att.output as tf.Tensor3D);
    const output = tf.add(tf.matMul(combined, weights[p + 'c_proj.weight'] as tf.Tensor2D), weights[p + 'c_proj.bias']) as tf.Tensor2D;
    return { output, weights: att.weights as tf.Tensor3D };
  });
}

/** The feed-forward network: x·c_fc + b [T, 4C] → GELU → ·c_proj + b [T, C]. */
export function mlp(x: tf.Tensor2D, weights: GptWeights, layer: number): tf.Tensor2D {
  return tf.tidy(() => {
    const p = `h.${layer}.mlp.`;
    const hidden = gelu(tf.add(tf.matMul(x, weights[p + 'c_fc.weight'] as tf.Tensor2D), weights[p + 'c_fc.bias']));
    return tf.add(tf.matMul(hidden as tf.Tensor2D, weights[p + 'c_proj.weight'] as tf.Tensor2D), weights[p + 'c_proj.bias']) as tf.Tensor2D;
  });
}

/**
 * One Pre-LN transformer block: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)).
 * @param x [T, C]  @returns [T, C]
 */
export function block(x: tf.Tensor2D, weights: GptWeights, layer: number, config: GptConfig): tf.Tensor2D {
  return tf.tidy(() => {
    const p = `h.${layer}.`;
    const ln1 = layerNorm(x, weights[p + 'ln_1.weight'] as tf.Tensor1D, weights[p + 'ln_1.bias'] as tf.Tensor1D);
    const x1 = tf.add(x, causalSelfAttention(ln1, weights, layer, config.nHead).output) as tf.Tensor2D;
    const ln2 = layerNorm(x1, weights[p + 'ln_2.weight'] as tf.Tensor1D, weights[p + 'ln_2.bias'] as tf.Tensor1D);
    return tf.add(x1, mlp(ln2, weights, layer)) as tf.Tensor2D;
  });
}

/**
 * The whole model: embeddings wte[tokens] + wpe[0..T-1] → nLayer blocks → ln_f → logits
 * x·wteᵀ (the LM head shares the token embedding).
 * @param tokens T token ids, 1 ≤ T ≤ blockSize  @returns logits [T, V]
 */
export function forward(weights: GptWeights, tokens: number[], config: GptConfig): tf.Tensor2D {
  return tf.tidy(() => {
    const T = tokens.length;
    const tok = tf.gather(weights['wte'], tf.tensor1d(tokens, 'int32'));
    const pos = tf.slice(weights['wpe'], [0, 0], [T, config.nEmbd]);
    let x = tf.add(tok, pos) as tf.Tensor2D;
    for (let l = 0; l < config.nLayer; l++) x = block(x, weights, l, config);
    const h = layerNorm(x, weights['ln_f.weight'] as tf.Tensor1D, weights['ln_f.bias'] as tf.Tensor1D);
    return tf.matMul(h, weights['wte'] as tf.Tensor2D, false, true);
  });
}
