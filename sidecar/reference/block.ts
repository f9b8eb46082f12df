// Lab 2's reference math: LayerNorm, GELU, the position-wise FFN, Pre-LN and Post-LN
// residual sublayers, encoder and decoder blocks and their stacks. TensorFlow.js is passed in
// (never imported at module level) so checks use the learner's own instance and backend.
// Shapes: n tokens, d = d_model, h heads; every block maps [n, d] → [n, d].
import type * as tfTypes from '@tensorflow/tfjs-core';
import type { AttentionParams, DecoderBlockParams, EncoderBlockParams, FfnParams, LayerNormParams, StackParams } from './block/params';
import { attentionRef, causalMaskRef, combineHeadsRef, multiHeadAttentionRef, splitHeadsRef } from './tensorAttention';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

/** PyTorch's default: small enough not to bias the variance, large enough that a constant row gives β, not NaN. */
export const LN_EPS = 1e-5;
export type Norm = 'pre' | 'post';

// ───────────── plain numbers (Level 1) ─────────────

/** y[i][j] = γ_j (x[i][j] − μ_i) / √(σ²_i + ε) + β_j with μ, σ² (biased, ÷d) over row i. */
export function layerNormLoopsRef(x: number[][], gamma: number[], beta: number[], eps = LN_EPS): number[][] {
  return x.map((row) => {
    const d = row.length;
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
    const inv = 1 / Math.sqrt(variance + eps);
    return row.map((v, j) => gamma[j] * (v - mean) * inv + beta[j]);
  });
}

/**
 * erf to about 1e-15: the Maclaurin series below |x| = 2.5 (its terms stay below e^{x²} ≈ 520, so
 * little cancellation), the continued fraction of erfc above (it converges fast there).
 */
export function erfRef(x: number): number {
  if (x < 0) return -erfRef(-x);
  if (x < 2.5) {
    let sum = 0;
    let power = x; // (−1)^n x^{2n+1} / n!
    for (let n = 0; n < 200; n++) {
      const term = power / (2 * n + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
      power *= (-x * x) / (n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 6) return 1; // 1 − erf(6) ≈ 2e-17, below double precision at 1
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail.
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + k / 2 / f;
  return 1 - Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** GELU(x) = x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
export function geluExactRef(x: number): number {
  return 0.5 * x * (1 + erfRef(x / Math.SQRT2));
}

/** The tanh approximation (Hendrycks & Gimpel 2016) GPT-2 uses. */
export function geluTanhRef(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

// ───────────── tensors (Level 2) ─────────────

/** LayerNorm over the last axis of x [..., d]; γ, β [d]. */
export function layerNormRef(tf: Tf, x: Tensor, p: LayerNormParams, eps = LN_EPS): Tensor {
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const mean = tf.mean(x, axis, true); // [..., 1]
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), axis, true); // biased: ÷ d
    return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, eps))), p.gamma), p.beta);
  });
}

/** GELU elementwise; 'none' is exact (tf.erf, which the wasm backend implements), 'tanh' the approximation. */
export function geluRef(tf: Tf, x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  return tf.tidy(() => {
    if (approximate === 'tanh') {
      const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  });
}

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
