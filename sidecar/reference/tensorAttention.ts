// Scaled dot-product and multi-head attention with tensor ops: the reference for Levels 2
// and 3, the panel, and later labs. TensorFlow.js is passed in so the caller's instance
// (and backend) is the one used.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

/** Added to blocked scores: exp(-1e9) is exactly 0 in float32, unlike -Infinity it gives no NaN. */
export const MASKED_SCORE = -1e9;

/**
 * q: [..., Nq, d], k: [..., Nk, d], v: [..., Nk, dv]
 * mask: 1 = may attend, 0 = blocked; broadcastable to [..., Nq, Nk].
 * returns output [..., Nq, dv], weights [..., Nq, Nk]; a fully masked row is all zeros.
 */
export function attentionRef(tf: Tf, q: Tensor, k: Tensor, v: Tensor, mask?: Tensor): { output: Tensor; weights: Tensor } {
  return tf.tidy(() => {
    const d = q.shape[q.rank - 1];
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)); // [..., Nq, Nk]
    let weights: Tensor;
    if (mask) {
      const m = tf.cast(mask, 'float32');
      const blocked = tf.mul(tf.sub(1, m), MASKED_SCORE);
      // × m zeroes a fully masked row, which the softmax alone would make uniform.
      weights = tf.mul(tf.softmax(tf.add(scores, blocked)), m);
    } else {
      weights = tf.softmax(scores);
    }
    const output = tf.matMul(weights, v); // [..., Nq, dv]
    return { output, weights };
  });
}

/** [n, n] lower-triangular ones: query i may see keys 0..i. */
export function causalMaskRef(tf: Tf, n: number): Tensor {
  return tf.linalg.bandPart(tf.ones([n, n]), -1, 0);
}

/** [batch, 1, maxLen]: 1 where the key position is a real token (index < length). */
export function paddingMaskRef(tf: Tf, lengths: number[], maxLen: number): Tensor {
  return tf.tidy(() => {
    const positions = tf.reshape(tf.range(0, maxLen), [1, 1, maxLen]);
    const lens = tf.tensor(lengths, [lengths.length, 1, 1]);
    return tf.cast(tf.less(positions, lens), 'float32');
  });
}

/** [N, dModel] → [heads, N, dModel / heads] */
export function splitHeadsRef(tf: Tf, x: Tensor, heads: number): Tensor {
  const [n, dModel] = x.shape;
  return tf.tidy(() => tf.transpose(tf.reshape(x, [n, heads, dModel / heads]), [1, 0, 2]));
}

/** [heads, N, dHead] → [N, heads · dHead] */
export function combineHeadsRef(tf: Tf, x: Tensor): Tensor {
  const [heads, n, dHead] = x.shape;
  return tf.tidy(() => tf.reshape(tf.transpose(x, [1, 0, 2]), [n, heads * dHead]));
}

/** [B·T, C] → [B, H, T, C / H]: the batched layout (the encoder, mini-GPT training). */
export function splitBatchHeadsRef(tf: Tf, x: Tensor, B: number, T: number, H: number): Tensor {
  return tf.transpose(tf.reshape(x, [B, T, H, x.shape[1]! / H]), [0, 2, 1, 3]);
}

/** [B, H, T, hd] → [B·T, H·hd] */
export function combineBatchHeadsRef(tf: Tf, x: Tensor): Tensor {
  const [B, H, T, hd] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * T, H * hd]);
}

export interface MultiHeadParams {
  /** Each [dModel, dModel]. */
  wq: Tensor;
  wk: Tensor;
  wv: Tensor;
  wo: Tensor;
}

/**
 * x: [N, dModel] → output [N, dModel], weights [heads, N, N].
 * mask broadcastable to [heads, N, N] (e.g. a causal [N, N]).
 */
export function multiHeadAttentionRef(
  tf: Tf,
  x: Tensor,
  p: MultiHeadParams,
  heads: number,
  mask?: Tensor,
): { output: Tensor; weights: Tensor } {
  return tf.tidy(() => {
    const q = splitHeadsRef(tf, tf.matMul(x, p.wq), heads); // [h, N, dh]
    const k = splitHeadsRef(tf, tf.matMul(x, p.wk), heads);
    const v = splitHeadsRef(tf, tf.matMul(x, p.wv), heads);
    const { output, weights } = attentionRef(tf, q, k, v, mask); // [h, N, dh], [h, N, N]
    return { output: tf.matMul(combineHeadsRef(tf, output), p.wo), weights };
  });
}
