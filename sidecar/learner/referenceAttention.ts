// The course's Lab 1 attention, offered to later labs (2 and 6) through
// "@transformer-labs/helpers" when the learner's own Lab 1 code was not found. Same
// signatures and conventions as labs/01-attention/solution/attention.ts: masks are
// 1 = may attend, 0 = blocked; a fully masked row gives zero weights and zero output.
import * as tf from '@tensorflow/tfjs-core';

/** [n, n]: 1 on and below the diagonal (query i may see keys 0..i). */
function causalMask(n: number): tf.Tensor2D {
  return tf.linalg.bandPart(tf.ones([n, n]), -1, 0) as tf.Tensor2D;
}

/** [batch, 1, maxLen]: 1 where the key is a real token (position < length). */
function paddingMask(lengths: number[], maxLen: number): tf.Tensor3D {
  return tf.tidy(() => {
    const positions = tf.reshape(tf.range(0, maxLen), [1, 1, maxLen]);
    const lens = tf.tensor3d(lengths, [lengths.length, 1, 1]);
    return tf.cast(tf.less(positions, lens), 'float32') as tf.Tensor3D;
  });
}

/** softmax(Q Kᵀ / √d + mask) V on q [..., nq, d], k [..., nk, d], v [..., nk, dv]. */
function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor): { output: tf.Tensor; weights: tf.Tensor } {
  return tf.tidy(() => {
    const d = q.shape[q.rank - 1];
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d));
    let weights: tf.Tensor;
    if (mask) {
      const m = tf.cast(mask, 'float32');
      // -1e9, not -Infinity: a row of only -Infinity would give NaN.
      weights = tf.mul(tf.softmax(tf.add(scores, tf.mul(tf.sub(1, m), -1e9))), m);
    } else {
      weights = tf.softmax(scores);
    }
    return { output: tf.matMul(weights, v), weights };
  });
}

/** [n, dModel] → [heads, n, dModel / heads]. */
function splitHeads(x: tf.Tensor2D, heads: number): tf.Tensor3D {
  const [n, dModel] = x.shape;
  return tf.tidy(() => tf.transpose(tf.reshape(x, [n, heads, dModel / heads]), [1, 0, 2]) as tf.Tensor3D);
}

/** [heads, n, dHead] → [n, heads · dHead]. */
function combineHeads(x: tf.Tensor3D): tf.Tensor2D {
  const [heads, n, dHead] = x.shape;
  return tf.tidy(() => tf.reshape(tf.transpose(x, [1, 0, 2]), [n, heads * dHead]) as tf.Tensor2D);
}

export interface MultiHeadWeights {
  /** Each [dModel, dModel]. */
  wq: tf.Tensor2D;
  wk: tf.Tensor2D;
  wv: tf.Tensor2D;
  wo: tf.Tensor2D;
}

/** Multi-head self-attention on x [n, dModel] → output [n, dModel], weights [heads, n, n]. */
function multiHeadAttention(
  x: tf.Tensor2D,
  w: MultiHeadWeights,
  heads: number,
  mask?: tf.Tensor,
): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  return tf.tidy(() => {
    const q = splitHeads(tf.matMul(x, w.wq), heads);
    const k = splitHeads(tf.matMul(x, w.wk), heads);
    const v = splitHeads(tf.matMul(x, w.wv), heads);
    const { output, weights } = attention(q, k, v, mask);
    return { output: tf.matMul(combineHeads(output as tf.Tensor3D), w.wo) as tf.Tensor2D, weights: weights as tf.Tensor3D };
  });
}

/** Marks the course's own functions, so a lab can tell them from the learner's (CheckContext.isReference). */
export const REFERENCE_MARK = Symbol.for('transformer-labs.reference');

const fns = { causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention };
for (const f of Object.values(fns)) Object.defineProperty(f, REFERENCE_MARK, { value: true });

/** Frozen so that learner code cannot replace the reference for every later run. */
export const referenceAttention = Object.freeze(fns);
