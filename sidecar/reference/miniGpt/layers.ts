// The GPT-2 block math shared by training (batched, differentiable), the full forward pass
// and the KV-cache step. tf is passed in: no module-level tfjs import (the checks bundle
// reference code and must use the sidecar's tf instance).
import type * as tfTypes from '@tensorflow/tfjs-core';
import { LN_EPS, type MiniGptConfig } from './config';

export type Tf = typeof tfTypes;
export type Tensor = tfTypes.Tensor;
/** Parameters by nanoGPT name (see tensorSpecs). */
export type Params = Record<string, Tensor>;

/**
 * Lab 1's attention signature: q, k, v [..., T, headDim], mask broadcastable to [..., Tq, Tk]
 * with 1 = may attend. Returns output [..., Tq, headDim] and weights [..., Tq, Tk].
 */
export type AttentionFn = (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) => { output: Tensor; weights: Tensor };

/** LayerNorm over the last axis: (x − mean) / √(var + 1e-5) · g + b, biased variance as PyTorch. */
export function layerNorm(tf: Tf, x: Tensor, g: Tensor, b: Tensor): Tensor {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), -1, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, LN_EPS))), g), b);
}

const GELU_K = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation (GPT-2): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(tf: Tf, x: Tensor): Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), 0.044715)), GELU_K);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** x [N, in] · W [in, out] + b [out], as one fused kernel (fewer ops per generated token). */
export function linear(tf: Tf, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return tf.fused.matMul({ a: x as tfTypes.Tensor2D, b: w as tfTypes.Tensor2D, bias: b });
}

/** The fused Q, K, V projection of block i: x [N, C] → three [N, C] tensors. */
export function qkv(tf: Tf, p: Params, i: number, x: Tensor): Tensor[] {
  const h = layerNorm(tf, x, p[`h.${i}.ln_1.weight`], p[`h.${i}.ln_1.bias`]);
  const fused = linear(tf, h, p[`h.${i}.attn.c_attn.weight`], p[`h.${i}.attn.c_attn.bias`]); // [N, 3C]
  return tf.split(fused, 3, 1);
}

/** Attention output projection + residual, then the MLP sub-block + residual. x, y: [N, C]. */
export function finishBlock(tf: Tf, p: Params, i: number, x: Tensor, y: Tensor): Tensor {
  const a = tf.add(x, linear(tf, y, p[`h.${i}.attn.c_proj.weight`], p[`h.${i}.attn.c_proj.bias`]));
  const h = layerNorm(tf, a, p[`h.${i}.ln_2.weight`], p[`h.${i}.ln_2.bias`]);
  const f = gelu(tf, linear(tf, h, p[`h.${i}.mlp.c_fc.weight`], p[`h.${i}.mlp.c_fc.bias`])); // [N, 4C]
  return tf.add(a, linear(tf, f, p[`h.${i}.mlp.c_proj.weight`], p[`h.${i}.mlp.c_proj.bias`]));
}

/** Final LayerNorm and the tied head: x [N, C] → logits [N, V] = ln_f(x) · wteᵀ. */
export function head(tf: Tf, p: Params, x: Tensor): Tensor {
  const h = layerNorm(tf, x, p['ln_f.weight'], p['ln_f.bias']);
  return tf.matMul(h, p['wte'], false, true);
}

/** [B·T, C] → [B, H, T, C/H] */
export function toHeads(tf: Tf, x: Tensor, B: number, T: number, H: number): Tensor {
  return tf.transpose(tf.reshape(x, [B, T, H, x.shape[1]! / H]), [0, 2, 1, 3]);
}

/** [B, H, T, hd] → [B·T, H·hd] */
export function fromHeads(tf: Tf, x: Tensor): Tensor {
  const [B, H, T, hd] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * T, H * hd]);
}

export interface BatchForwardOptions {
  /** Called per layer on q, k, v [B, H, T, hd] with the causal mask [T, T]. */
  attention: AttentionFn;
  /** 'onehot' (one-hot · wte: differentiable on wasm, which has no gather gradient) or 'gather'. */
  embed: 'onehot' | 'gather';
  /** Receives each layer's attention weights [B, H, T, T]; keep() them to use after a tidy. */
  onAttention?: (layer: number, weights: Tensor) => void;
}

/**
 * The whole model on a batch: tokens [B, T] (int32, T ≤ blockSize) → logits [B·T, V].
 * Differentiable with respect to every parameter when embed = 'onehot'.
 */
export function forwardBatch(tf: Tf, p: Params, cfg: MiniGptConfig, tokens: Tensor, opts: BatchForwardOptions): Tensor {
  const [B, T] = tokens.shape as [number, number];
  if (T > cfg.blockSize) throw new Error(`context of ${T} tokens is longer than blockSize ${cfg.blockSize}`);
  const flat = tf.reshape(tokens, [B * T]);
  const tok =
    opts.embed === 'onehot'
      ? tf.matMul(tf.oneHot(tf.cast(flat, 'int32'), cfg.vocabSize), p['wte']) // [B·T, C]
      : tf.gather(p['wte'], tf.cast(flat, 'int32'));
  const pos = tf.slice(p['wpe'], [0, 0], [T, cfg.nEmbd]); // [T, C]
  let x = tf.reshape(tf.add(tf.reshape(tok, [B, T, cfg.nEmbd]), pos), [B * T, cfg.nEmbd]);
  const mask = tf.linalg.bandPart(tf.ones([T, T]), -1, 0); // [T, T], 1 = may attend
  for (let i = 0; i < cfg.nLayer; i++) {
    const [q, k, v] = qkv(tf, p, i, x).map((t) => toHeads(tf, t, B, T, cfg.nHead));
    const { output, weights } = opts.attention(q, k, v, mask);
    opts.onAttention?.(i, weights);
    x = finishBlock(tf, p, i, x, fromHeads(tf, output));
  }
  return head(tf, p, x);
}

/** Mean cross-entropy (nats) of logits [N, V] against targets [N] (int32). */
export function crossEntropy(tf: Tf, logits: Tensor, targets: Tensor, vocabSize: number): Tensor {
  const logp = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(targets, 'int32'), vocabSize)), -1);
  return tf.neg(tf.mean(picked));
}
