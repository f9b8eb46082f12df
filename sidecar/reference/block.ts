// The Transformer block (Lab 2) from the shared units (LayerNorm in normalisation.ts, GELU in
// activations.ts, attention in tensorAttention.ts): the position-wise FFN, Pre-LN and Post-LN
// residual sublayers, encoder and decoder blocks and their stacks. TensorFlow.js is passed in
// (never imported at module level) so checks use the learner's own instance and backend.
// Shapes: n tokens, d = d_model, h heads; every block maps [n, d] → [n, d].
import type * as tfTypes from '@tensorflow/tfjs-core';
import type { AttentionParams, DecoderBlockParams, EncoderBlockParams, FfnParams, LayerNormParams, StackParams } from './block/params';
import { geluRef } from './activations';
import { layerNormRef } from './normalisation';
import { attentionRef, causalMaskRef, combineHeadsRef, multiHeadAttentionRef, splitHeadsRef } from './tensorAttention';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

export type Norm = 'pre' | 'post';

// ───────────── tensors (Level 2) ─────────────

/** FFN(x) = GELU(x W1 + b1) W2 + b2: [n, d] → [n, 4d] → [n, d], each position on its own. */
export function feedForwardRef(tf: Tf, x: Tensor, w: FfnParams): Tensor {
  return tf.tidy(() => tf.add(tf.matMul(geluRef(tf, tf.add(tf.matMul(x, w.w1), w.b1)), w.w2), w.b2));
}

/** Pre-LN sublayer: x + F(LN(x)). The residual path from input to output never passes a LayerNorm. */
export function preLNRef(tf: Tf, x: Tensor, sublayer: (h: Tensor) => Tensor, ln: LayerNormParams): Tensor {
  return tf.tidy(() => tf.add(x, sublayer(layerNormRef(tf, x, ln))));
}

/** Post-LN sublayer (the 2017 paper, and seed 004's block): LN(x + F(x)). */
export function postLNRef(tf: Tf, x: Tensor, sublayer: (h: Tensor) => Tensor, ln: LayerNormParams): Tensor {
  return tf.tidy(() => layerNormRef(tf, tf.add(x, sublayer(x)), ln));
}

function sublayerRef(tf: Tf, norm: Norm, x: Tensor, f: (h: Tensor) => Tensor, ln: LayerNormParams): Tensor {
  return norm === 'pre' ? preLNRef(tf, x, f, ln) : postLNRef(tf, x, f, ln);
}

// ───────────── blocks (Level 3) ─────────────

export interface BlockOptions {
  heads: number;
  norm: Norm;
  /** Encoder: a key mask broadcastable to [h, n, n] (1 = real token). */
  mask?: Tensor;
}

/** Self-attention then FFN, each wrapped Pre-LN or Post-LN. x [n, d] → output [n, d], weights [h, n, n]. */
export function encoderBlockRef(tf: Tf, x: Tensor, p: EncoderBlockParams, o: BlockOptions): { output: Tensor; weights: Tensor } {
  let weights: Tensor | undefined;
  const output = tf.tidy(() => {
    const attn = (h: Tensor) => {
      const r = multiHeadAttentionRef(tf, h, p.attn, o.heads, o.mask);
      weights = tf.keep(r.weights);
      return r.output;
    };
    const h = sublayerRef(tf, o.norm, x, attn, p.ln1);
    return sublayerRef(tf, o.norm, h, (z) => feedForwardRef(tf, z, p.ffn), p.ln2);
  });
  return { output, weights: weights! };
}

/** Queries from x [nq, d], keys and values from memory [nk, d] → output [nq, d], weights [h, nq, nk]. */
export function crossAttentionRef(tf: Tf, x: Tensor, memory: Tensor, w: AttentionParams, heads: number, mask?: Tensor): { output: Tensor; weights: Tensor } {
  return tf.tidy(() => {
    const q = splitHeadsRef(tf, tf.matMul(x, w.wq), heads); // [h, nq, dh]
    const k = splitHeadsRef(tf, tf.matMul(memory, w.wk), heads); // [h, nk, dh]
    const v = splitHeadsRef(tf, tf.matMul(memory, w.wv), heads);
    const r = attentionRef(tf, q, k, v, mask);
    return { output: tf.matMul(combineHeadsRef(tf, r.output), w.wo), weights: r.weights };
  });
}

export interface DecoderOptions {
  heads: number;
  norm: Norm;
  /** Which encoder positions are real: broadcastable to [h, nq, nk]. */
  memoryMask?: Tensor;
}

/** Causal self-attention, cross-attention to memory, FFN. x [n, d], memory [m, d] → [n, d]. */
export function decoderBlockRef(
  tf: Tf,
  x: Tensor,
  memory: Tensor,
  p: DecoderBlockParams,
  o: DecoderOptions,
): { output: Tensor; selfWeights: Tensor; crossWeights: Tensor } {
  let selfWeights: Tensor | undefined;
  let crossWeights: Tensor | undefined;
  const output = tf.tidy(() => {
    const causal = causalMaskRef(tf, x.shape[0]);
    const self = (h: Tensor) => {
      const r = multiHeadAttentionRef(tf, h, p.selfAttn, o.heads, causal);
      selfWeights = tf.keep(r.weights);
      return r.output;
    };
    const cross = (h: Tensor) => {
      const r = crossAttentionRef(tf, h, memory, p.crossAttn, o.heads, o.memoryMask);
      crossWeights = tf.keep(r.weights);
      return r.output;
    };
    let h = sublayerRef(tf, o.norm, x, self, p.ln1);
    h = sublayerRef(tf, o.norm, h, cross, p.ln2);
    return sublayerRef(tf, o.norm, h, (z) => feedForwardRef(tf, z, p.ffn), p.ln3);
  });
  return { output, selfWeights: selfWeights!, crossWeights: crossWeights! };
}

export interface StackResult {
  /** The stack's output: the last block's output, then the final LayerNorm for Pre-LN. */
  output: Tensor;
  /** The residual stream after each block (before any final LayerNorm): N × [n, d]. */
  hidden: Tensor[];
  /** Self-attention weights of each block: N × [h, n, n]. */
  weights: Tensor[];
}

/** N encoder blocks; Pre-LN ends with the final LayerNorm, Post-LN does not need one. */
export function encoderStackRef(tf: Tf, x: Tensor, p: StackParams<EncoderBlockParams>, o: BlockOptions): StackResult {
  const hidden: Tensor[] = [];
  const weights: Tensor[] = [];
  let h = x;
  for (const layer of p.layers) {
    const r = encoderBlockRef(tf, h, layer, o);
    h = r.output;
    hidden.push(h);
    weights.push(r.weights);
  }
  return { output: o.norm === 'pre' ? layerNormRef(tf, h, p.final) : h, hidden, weights };
}

/** N decoder blocks over the same memory (the encoder stack's output). */
export function decoderStackRef(tf: Tf, x: Tensor, memory: Tensor, p: StackParams<DecoderBlockParams>, o: DecoderOptions): StackResult & { crossWeights: Tensor[] } {
  const hidden: Tensor[] = [];
  const weights: Tensor[] = [];
  const crossWeights: Tensor[] = [];
  let h = x;
  for (const layer of p.layers) {
    const r = decoderBlockRef(tf, h, memory, layer, o);
    h = r.output;
    hidden.push(h);
    weights.push(r.selfWeights);
    crossWeights.push(r.crossWeights);
  }
  return { output: o.norm === 'pre' ? layerNormRef(tf, h, p.final) : h, hidden, weights, crossWeights };
}
