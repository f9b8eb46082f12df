// The GPT (GPT-2 layout, nanoGPT names) as small layers over a record of weights: one set of
// layers for Lab 6's checks (layer by layer, with the learner's attention plugged in), the
// shipped model's forward pass (MiniGpt), the KV-cache prefill and training (batched,
// differentiable). Pre-LN blocks, GELU tanh approximation, LayerNorm ε 1e-5, lm_head tied to
// wte. LayerNorm, GELU and attention are the shared units; tf is passed in (no module-level
// tfjs import: the checks bundle reference code and must use the sidecar's tf instance).
// Shapes: T positions, C = nEmbd, H = nHead heads of hd = C / H, V = vocabSize, B sequences.
import type * as tfTypes from '@tensorflow/tfjs-core';
import { geluRef } from '../activations';
import { layerNormRef } from '../normalisation';
import { attentionRef, causalMaskRef, combineBatchHeadsRef, combineHeadsRef, splitBatchHeadsRef, splitHeadsRef } from '../tensorAttention';
import type { MiniGptConfig } from './config';

export type Tf = typeof tfTypes;
export type Tensor = tfTypes.Tensor;
/** Parameters by nanoGPT name (see tensorSpecs): wte, wpe, h.{i}.ln_1.weight, …, ln_f.bias; linear weights [in, out]. */
export type Params = Record<string, Tensor>;

/**
 * Lab 1's attention signature: q, k, v [..., T, hd], mask broadcastable to [..., Tq, Tk]
 * with 1 = may attend. Returns output [..., Tq, hd] and weights [..., Tq, Tk].
 */
export type AttentionFn = (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) => { output: Tensor; weights: Tensor };

/** The course's attention (tensorAttention.ts) as an AttentionFn on `tf`. */
export const referenceAttentionFn =
  (tf: Tf): AttentionFn =>
  (q, k, v, mask) =>
    attentionRef(tf, q, k, v, mask);

/** x [N, in] · W [in, out] + b [out] → [N, out], as one fused kernel. */
export function linear(tf: Tf, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return tf.fused.matMul({ a: x as tfTypes.Tensor2D, b: w as tfTypes.Tensor2D, bias: b });
}

/** LayerNorm `name` (h.{i}.ln_1, h.{i}.ln_2, ln_f) on x [N, C]. */
export function layerNormOf(tf: Tf, p: Params, name: string, x: Tensor): Tensor {
  return layerNormRef(tf, x, { gamma: p[`${name}.weight`], beta: p[`${name}.bias`] });
}

/** Token + position embeddings of one sequence: ids [T] → [T, C]. */
export function embed(tf: Tf, p: Params, tokens: number[]): Tensor {
  const C = p['wte'].shape[1]!;
  return tf.add(tf.gather(p['wte'], tf.tensor1d(tokens, 'int32')), tf.slice(p['wpe'], [0, 0], [tokens.length, C]));
}

/** The fused projection c_attn of layer `layer`: h [N, C] (already ln_1'd) → q, k, v [N, C] each. */
export function qkvProjection(tf: Tf, h: Tensor, p: Params, layer: number): Tensor[] {
  const a = `h.${layer}.attn.c_attn.`;
  return tf.split(linear(tf, h, p[a + 'weight'], p[a + 'bias']), 3, 1); // [N, 3C] → 3 × [N, C]
}

/**
 * Causal multi-head self-attention of layer `layer` on h [T, C]: c_attn → q, k, v as heads
 * [H, T, hd]; attention under the causal mask; heads combined and projected by c_proj [C, C].
 * Returns output [T, C] and weights [H, T, T].
 */
export function causalSelfAttentionRef(
  tf: Tf,
  h: Tensor,
  p: Params,
  layer: number,
  nHead: number,
  attention: AttentionFn = referenceAttentionFn(tf),
): { output: Tensor; weights: Tensor } {
  const T = h.shape[0]!;
  const [q, k, v] = qkvProjection(tf, h, p, layer).map((t) => splitHeadsRef(tf, t, nHead)); // [H, T, hd]
  const { output, weights } = attention(q, k, v, causalMaskRef(tf, T));
  expectShape(`attention output (layer ${layer})`, output, [nHead, T, q.shape[2]!]);
  const c = `h.${layer}.attn.c_proj.`;
  return { output: linear(tf, combineHeadsRef(tf, output), p[c + 'weight'], p[c + 'bias']), weights };
}

/** MLP of layer `layer`: c_fc [C, 4C], GELU (tanh), c_proj [4C, C]; x [N, C] → [N, C]. */
export function mlpRef(tf: Tf, x: Tensor, p: Params, layer: number): Tensor {
  const m = `h.${layer}.mlp.`;
  return linear(tf, geluRef(tf, linear(tf, x, p[m + 'c_fc.weight'], p[m + 'c_fc.bias']), 'tanh'), p[m + 'c_proj.weight'], p[m + 'c_proj.bias']);
}

/**
 * The rest of a block once its heads have been combined: a = x + c_proj(y), then a + mlp(ln_2(a)).
 * x, y [N, C] → [N, C]. The KV step and training reach it with their own head layouts.
 */
export function finishBlock(tf: Tf, p: Params, layer: number, x: Tensor, y: Tensor): Tensor {
  const c = `h.${layer}.attn.c_proj.`;
  const a = tf.add(x, linear(tf, y, p[c + 'weight'], p[c + 'bias']));
  return tf.add(a, mlpRef(tf, layerNormOf(tf, p, `h.${layer}.ln_2`, a), p, layer));
}

/** Pre-LN block: x + attn(ln_1(x)), then + mlp(ln_2(·)). x [T, C] → output [T, C], weights [H, T, T]. */
export function blockRef(tf: Tf, x: Tensor, p: Params, layer: number, nHead: number, attention?: AttentionFn): { output: Tensor; weights: Tensor } {
  const a = causalSelfAttentionRef(tf, layerNormOf(tf, p, `h.${layer}.ln_1`, x), p, layer, nHead, attention);
  const x1 = tf.add(x, a.output);
  return { output: tf.add(x1, mlpRef(tf, layerNormOf(tf, p, `h.${layer}.ln_2`, x1), p, layer)), weights: a.weights };
}

/** Final LayerNorm and the tied head: x [N, C] → logits [N, V] = ln_f(x) · wteᵀ. */
export function head(tf: Tf, p: Params, x: Tensor): Tensor {
  return tf.matMul(layerNormOf(tf, p, 'ln_f', x), p['wte'], false, true);
}

/** The throw a wrongly shaped learner attention meets, naming both shapes. */
export function expectShape(what: string, t: Tensor, expected: number[]): void {
  const ok = t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i]);
  if (!ok) throw new Error(`${what} has shape [${t.shape.join(', ')}], expected [${expected.join(', ')}] ([heads, T, headDim] / [heads, T, T])`);
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
 * The whole model on a batch (training): tokens [B, T] (int32, T ≤ blockSize) → logits [B·T, V].
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
  const mask = causalMaskRef(tf, T);
  for (let i = 0; i < cfg.nLayer; i++) {
    const [q, k, v] = qkvProjection(tf, layerNormOf(tf, p, `h.${i}.ln_1`, x), p, i).map((t) => splitBatchHeadsRef(tf, t, B, T, cfg.nHead));
    const { output, weights } = opts.attention(q, k, v, mask);
    opts.onAttention?.(i, weights);
    x = finishBlock(tf, p, i, x, combineBatchHeadsRef(tf, output));
  }
  return head(tf, p, x);
}

/** Mean cross-entropy (nats) of logits [N, V] against targets [N] (int32). */
export function crossEntropy(tf: Tf, logits: Tensor, targets: Tensor, vocabSize: number): Tensor {
  const logp = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(targets, 'int32'), vocabSize)), -1);
  return tf.neg(tf.mean(picked));
}
