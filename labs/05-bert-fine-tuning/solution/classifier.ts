// Lab 5 — The classification head on the pretrained encoder. Reference solution (not shipped).
// B messages, T positions (padded), C = the encoder's width, K classes.
import * as tf from '@tensorflow/tfjs-core';

/** The [CLS] vector: the hidden state at position 0 of each row. hidden [B, T, C] → [B, C]. */
export function clsPool(hidden: tf.Tensor3D): tf.Tensor2D {
  const [B, , C] = hidden.shape;
  return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, C]), [B, C]);
}

/** The mean of the hidden states over the REAL tokens only. hidden [B, T, C], mask [B, T] → [B, C]. */
export function meanPool(hidden: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const m = tf.expandDims(tf.cast(mask, 'float32'), 2); // [B, T, 1]
  const summed = tf.sum(tf.mul(hidden, m), 1); // [B, C]
  const counts = tf.sum(m, 1); // [B, 1]
  return tf.div(summed, counts) as tf.Tensor2D;
}

/** One linear layer: pooled [B, C] · w [C, K] + b [K] → logits [B, K]. */
export function classifierLogits(pooled: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(pooled, w), b) as tf.Tensor2D;
}

/**
 * Mean cross-entropy over the batch: −(1/B) Σ_i log softmax(logits_i)[labels_i].
 * logits [B, K], labels [B] (int32 class indices) → a scalar. Must be finite for any logits.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const logProbs = tf.logSoftmax(logits); // log softmax with the row maximum subtracted inside
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), 1); // [B]
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}
