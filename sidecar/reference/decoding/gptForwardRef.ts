// The mini-GPT forward pass written out as plain functions over a record of weights with
// nanoGPT names, so Lab 6 can compare the learner's forward layer by layer and plug the
// learner's own attention into an otherwise reference model. Pre-LN blocks, GELU (tanh
// approximation), LayerNorm eps 1e-5, lm_head tied to wte. `tf` is a parameter: reference
// code used by checks never imports TensorFlow.js at module level.
import type { Tf } from '../../../core/checks/checkApi';

type Tensor = ReturnType<Tf['tensor']>;

export interface GptConfig {
  vocabSize: number;
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
}

/** nanoGPT names: wte, wpe, h.{i}.ln_1.weight, …, ln_f.bias (linear weights stored [in, out]). */
export type GptWeights = Record<string, Tensor>;

/** Lab 1's attention: q, k, v [heads, T, dHead], mask [T, T] (1 = may attend). */
export type AttentionFn = (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) => { output: Tensor; weights: Tensor };

export const LN_EPS = 1e-5;

/** (x − mean) / √(var + eps) · γ + β over the last axis (biased variance, as PyTorch). */
export function layerNormRef(tf: Tf, x: Tensor, gamma: Tensor, beta: Tensor, eps = LN_EPS): Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
  });
}

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function geluRef(tf: Tf, x: Tensor): Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

function linear(tf: Tf, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return tf.add(tf.matMul(x, w), b);
}

/** The course's Lab 1 attention (same math as labs/01-attention/solution). */
export const referenceAttentionFn =
  (tf: Tf): AttentionFn =>
  (q, k, v, mask) =>
    tf.tidy(() => {
      const d = q.shape[q.rank - 1];
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d));
      if (!mask) {
        const weights = tf.softmax(scores);
        return { output: tf.matMul(weights, v), weights };
      }
      const m = tf.cast(mask, 'float32');
      const weights = tf.mul(tf.softmax(tf.add(scores, tf.mul(tf.sub(1, m), -1e9))), m);
      return { output: tf.matMul(weights, v), weights };
    });

/**
 * Causal multi-head self-attention of layer `layer` on x [T, C]: one fused projection
 * c_attn [C, 3C] → q, k, v; heads [nHead, T, C/nHead]; attention under a causal mask;
 * heads combined and projected by c_proj [C, C]. Returns output [T, C] and weights [nHead, T, T].
 */
export function causalSelfAttentionRef(
  tf: Tf,
  x: Tensor,
  w: GptWeights,
  layer: number,
  nHead: number,
  attention: AttentionFn = referenceAttentionFn(tf),
): { output: Tensor; weights: Tensor } {
  const [T, C] = x.shape;
  const p = `h.${layer}.attn.`;
  const qkv = linear(tf, x, w[p + 'c_attn.weight'], w[p + 'c_attn.bias']); // [T, 3C]
  const heads = (t: Tensor) => tf.transpose(tf.reshape(t, [T, nHead, C / nHead]), [1, 0, 2]); // [nHead, T, dHead]
  const [q, k, v] = tf.split(qkv, 3, 1);
  const mask = tf.linalg.bandPart(tf.ones([T, T]), -1, 0);
  const { output, weights } = attention(heads(q), heads(k), heads(v), mask);
  const combined = tf.reshape(tf.transpose(output, [1, 0, 2]), [T, C]);
  return { output: linear(tf, combined, w[p + 'c_proj.weight'], w[p + 'c_proj.bias']), weights };
}

/** MLP: c_fc [C, 4C], GELU, c_proj [4C, C]. */
export function mlpRef(tf: Tf, x: Tensor, w: GptWeights, layer: number): Tensor {
  const p = `h.${layer}.mlp.`;
  return linear(tf, geluRef(tf, linear(tf, x, w[p + 'c_fc.weight'], w[p + 'c_fc.bias'])), w[p + 'c_proj.weight'], w[p + 'c_proj.bias']);
}

/** Pre-LN block: x + attn(ln_1(x)), then + mlp(ln_2(·)). */
export function blockRef(
  tf: Tf,
  x: Tensor,
  w: GptWeights,
  layer: number,
  nHead: number,
  attention?: AttentionFn,
): { output: Tensor; weights: Tensor } {
  const p = `h.${layer}.`;
  const a = causalSelfAttentionRef(tf, layerNormRef(tf, x, w[p + 'ln_1.weight'], w[p + 'ln_1.bias']), w, layer, nHead, attention);
  const x1 = tf.add(x, a.output);
  const output = tf.add(x1, mlpRef(tf, layerNormRef(tf, x1, w[p + 'ln_2.weight'], w[p + 'ln_2.bias']), w, layer));
  return { output, weights: a.weights };
}

/** Token + position embeddings → blocks → ln_f → logits = x · wteᵀ: [T, V]. Call inside a tidy. */
export function gptForwardRef(
  tf: Tf,
  w: GptWeights,
  config: GptConfig,
  tokens: number[],
  opts: { attention?: AttentionFn; collectAttention?: boolean } = {},
): { logits: Tensor; attention?: number[][][][] } {
  const T = tokens.length;
  if (T < 1 || T > config.blockSize) throw new Error(`the model reads 1 to ${config.blockSize} tokens, got ${T}`);
  const ids = tf.tensor1d(tokens, 'int32');
  let x = tf.add(tf.gather(w['wte'], ids), tf.slice(w['wpe'], [0, 0], [T, config.nEmbd])); // [T, C]
  const maps: number[][][][] = [];
  for (let l = 0; l < config.nLayer; l++) {
    const b = blockRef(tf, x, w, l, config.nHead, opts.attention);
    if (opts.collectAttention) maps.push(b.weights.arraySync() as number[][][]);
    x = b.output;
  }
  const h = layerNormRef(tf, x, w['ln_f.weight'], w['ln_f.bias']);
  return { logits: tf.matMul(h, w['wte'], false, true), attention: opts.collectAttention ? maps : undefined };
}

/** The logits of the next token after `tokens` (cropped to the last blockSize), as numbers. */
export function nextLogitsRef(tf: Tf, w: GptWeights, config: GptConfig, tokens: number[], attention?: AttentionFn): number[] {
  const ctx = tokens.slice(-config.blockSize);
  return tf.tidy(() => {
    const { logits } = gptForwardRef(tf, w, config, ctx, { attention });
    return Array.from(tf.slice(logits, [ctx.length - 1, 0], [1, config.vocabSize]).dataSync());
  });
}
