// The BERT-style encoder: token + learned position embeddings, LayerNorm, then Post-LN blocks
// (as BERT: LN(x + Attention(x)), LN(x + FFN(x))) built from Lab 2's reference pieces, on a
// batch of padded sequences. tf is passed in (the caller's instance and backend).
// Shapes: B sequences, T positions (padded), C = dModel, H heads, hd = C / H.
import type * as tfTypes from '@tensorflow/tfjs-core';
import { feedForwardRef, layerNormRef, postLNRef } from '../block';
import type { EncoderBlockParams, LayerNormParams } from '../block/params';
import { attentionRef } from '../tensorAttention';
import type { EncoderConfig } from './config';
import { gatherRows } from './embedding';

export type Tf = typeof tfTypes;
export type Tensor = tfTypes.Tensor;
/** Parameters by name (see tensorSpecs), plus "head.w" / "head.b" once fine-tuning adds them. */
export type Params = Record<string, Tensor>;

export function lnParams(p: Params, prefix: string): LayerNormParams {
  return { gamma: p[`${prefix}.gamma`], beta: p[`${prefix}.beta`] };
}

/** Layer i's weights in Lab 2's EncoderBlockParams layout (attention without biases, as there). */
export function blockParams(p: Params, i: number): EncoderBlockParams {
  const q = `layers.${i}.`;
  return {
    attn: { wq: p[q + 'attn.wq'], wk: p[q + 'attn.wk'], wv: p[q + 'attn.wv'], wo: p[q + 'attn.wo'] },
    ffn: { w1: p[q + 'ffn.w1'], b1: p[q + 'ffn.b1'], w2: p[q + 'ffn.w2'], b2: p[q + 'ffn.b2'] },
    ln1: lnParams(p, q + 'ln1'),
    ln2: lnParams(p, q + 'ln2'),
  };
}

/** [B·T, C] → [B, H, T, hd] */
function toHeads(tf: Tf, x: Tensor, B: number, T: number, H: number): Tensor {
  return tf.transpose(tf.reshape(x, [B, T, H, x.shape[1]! / H]), [0, 2, 1, 3]);
}

/** [B, H, T, hd] → [B·T, C] */
function fromHeads(tf: Tf, x: Tensor): Tensor {
  const [B, H, T, hd] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * T, H * hd]);
}

/**
 * Multi-head self-attention over a batch, with Lab 1's scaled dot-product attention per head.
 * x [B·T, C], keyMask [B, 1, 1, T] (1 = real token) → output [B·T, C], weights [B, H, T, T].
 */
export function batchedSelfAttention(tf: Tf, x: Tensor, w: EncoderBlockParams['attn'], B: number, T: number, H: number, keyMask: Tensor): { output: Tensor; weights: Tensor } {
  const q = toHeads(tf, tf.matMul(x, w.wq), B, T, H);
  const k = toHeads(tf, tf.matMul(x, w.wk), B, T, H);
  const v = toHeads(tf, tf.matMul(x, w.wv), B, T, H);
  const { output, weights } = attentionRef(tf, q, k, v, keyMask); // [B, H, T, hd], [B, H, T, T]
  return { output: tf.matMul(fromHeads(tf, output), w.wo), weights };
}

export interface EncodeOptions {
  /** Keep each layer's attention weights [B, H, T, T] (kept tensors: the caller disposes them). */
  collectAttention?: boolean;
}

export interface EncodeResult {
  /** The last layer's hidden states [B, T, C]. */
  hidden: Tensor;
  /** Per layer, [B, H, T, T], when collectAttention. */
  attention?: Tensor[];
}

/**
 * ids [B, T] int32 (padded with anything), mask [B, T] (1 = real token, 0 = padding).
 * Padding never influences a real position: every attention row masks padded keys, and every
 * other operation is position-wise. Differentiable in every parameter on wasm.
 */
export function encode(tf: Tf, p: Params, cfg: EncoderConfig, ids: Tensor, mask: Tensor, opts: EncodeOptions = {}): EncodeResult {
  const [B, T] = ids.shape as [number, number];
  if (T > cfg.maxLen) throw new RangeError(`sequences of ${T} tokens are longer than the encoder's ${cfg.maxLen} positions`);
  const C = cfg.dModel;
  const attention: Tensor[] | undefined = opts.collectAttention ? [] : undefined;
  const tok = gatherRows(tf, p['tok_emb'], tf.reshape(tf.cast(ids, 'int32'), [B * T])); // [B·T, C]
  const pos = tf.slice(p['pos_emb'], [0, 0], [T, C]); // [T, C], broadcast over the batch
  let x = tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [B * T, C]);
  x = layerNormRef(tf, x, lnParams(p, 'emb_ln'));
  const keyMask = tf.reshape(tf.cast(mask, 'float32'), [B, 1, 1, T]);
  for (let i = 0; i < cfg.nLayer; i++) {
    const w = blockParams(p, i);
    const attend = (h: Tensor) => {
      const r = batchedSelfAttention(tf, h, w.attn, B, T, cfg.nHead, keyMask);
      if (attention) attention.push(tf.keep(r.weights));
      return r.output;
    };
    x = postLNRef(tf, x, attend, w.ln1); // [B·T, C]
    x = postLNRef(tf, x, (h) => feedForwardRef(tf, h, w.ffn), w.ln2);
  }
  const hidden = tf.reshape(x, [B, T, C]);
  return attention ? { hidden, attention } : { hidden };
}
