// The classification head on the encoder (Devlin et al. 2018, §4.1): a sentence vector — the
// final hidden state of [CLS], or the mean over the real tokens — then one linear layer to K
// class scores, trained with cross-entropy. B sequences, T positions, C = dModel, K classes.
import type { Tensor, Tf } from './encoder';

/** hidden [B, T, C] → [B, C]: position 0, where every sequence has its [CLS]. */
export function clsPoolRef(tf: Tf, hidden: Tensor): Tensor {
  const [B, , C] = hidden.shape;
  return tf.tidy(() => tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, C]), [B, C]));
}

/** hidden [B, T, C], mask [B, T] (1 = real) → [B, C]: Σ_t mask·h / Σ_t mask, padding ignored. */
export function meanPoolRef(tf: Tf, hidden: Tensor, mask: Tensor): Tensor {
  return tf.tidy(() => {
    const m = tf.expandDims(tf.cast(mask, 'float32'), 2); // [B, T, 1]
    return tf.div(tf.sum(tf.mul(hidden, m), 1), tf.sum(m, 1)); // [B, C] / [B, 1]
  });
}

/** pooled [B, C] · w [C, K] + b [K] → logits [B, K]. */
export function classifierLogitsRef(tf: Tf, pooled: Tensor, w: Tensor, b: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.matMul(pooled, w), b));
}

/** Mean over the batch of −log softmax(logits)[label]; logits [B, K], labels [B] int. Stable for any logits. */
export function crossEntropyRef(tf: Tf, logits: Tensor, labels: Tensor): Tensor {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits); // subtracts the row max inside
    const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]!)), 1);
    return tf.neg(tf.mean(picked));
  });
}
