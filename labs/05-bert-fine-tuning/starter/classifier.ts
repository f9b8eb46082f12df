// Lab 5 — The classification head on the pretrained encoder. B messages, T positions (padded), C
// = the encoder's width, K classes.
// Replace each `throw` with your implementation.
import * as tf from '@tensorflow/tfjs-core';

/** The [CLS] vector: the hidden state at position 0 of each row. hidden [B, T, C] → [B, C]. */
export function clsPool(hidden: tf.Tensor3D): tf.Tensor2D {
  // [CLS] sits at the same position in every row.
  throw new Error('TODO: implement clsPool');
}

/** The mean of the hidden states over the REAL tokens only. hidden [B, T, C], mask [B, T] → [B, C]. */
export function meanPool(hidden: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  // Let the mask decide which positions count, in the sum and in the count.
  throw new Error('TODO: implement meanPool');
}

/** One linear layer: pooled [B, C] · w [C, K] + b [K] → logits [B, K]. */
export function classifierLogits(pooled: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  // One linear layer.
  throw new Error('TODO: implement classifierLogits');
}

/**
 * Mean cross-entropy over the batch: the average of −log p(label) under softmax(logits).
 * logits [B, K], labels [B] (int32 class indices) → a scalar. Must be finite for any logits.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  // Work in log space from the start; exp of a large logit overflows.
  throw new Error('TODO: implement crossEntropy');
}
