// Multi-head self-attention for inference with fixed weights (the reference models and,
// later, the mini-GPT). Same maths as multiHeadAttentionRef; laid out for the wasm backend,
// where batched matMul and strided slices are slow and 2-D matMul is fast: the weights are
// split per head ONCE, at construction, and each head runs as plain 2-D matMuls.
import type * as tfTypes from '@tensorflow/tfjs-core';
import { MASKED_SCORE, type MultiHeadParams } from './tensorAttention';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

interface HeadWeights {
  /** [dModel, dHead], pre-scaled by 1/√dHead so scores need no extra pass over n². */
  wq: Tensor;
  /** [dHead, dModel]: Wkᵀ of this head, so kᵀ = Wkᵀ·xᵀ comes out already transposed. */
  wkT: Tensor;
  /** [dModel, dHead] */
  wv: Tensor;
}

export class FastMultiHeadAttention {
  private readonly heads: HeadWeights[];
  private readonly wo: Tensor;

  constructor(private readonly tf: Tf, p: MultiHeadParams, readonly numHeads: number) {
    const dModel = p.wq.shape[0];
    const dHead = dModel / numHeads;
    if (!Number.isInteger(dHead)) throw new Error(`dModel ${dModel} is not divisible by ${numHeads} heads`);
    const scale = 1 / Math.sqrt(dHead);
    this.heads = Array.from({ length: numHeads }, (_, h) =>
      tf.tidy(() => ({
        wq: tf.keep(tf.mul(tf.slice(p.wq, [0, h * dHead], [dModel, dHead]), scale)),
        wkT: tf.keep(tf.transpose(tf.slice(p.wk, [0, h * dHead], [dModel, dHead]))),
        wv: tf.keep(tf.slice(p.wv, [0, h * dHead], [dModel, dHead])),
      })),
    );
    this.wo = tf.keep(tf.clone(p.wo));
  }

  /** x: [n, dModel], mask: [n, n] of 1/0 or undefined → [n, dModel]. */
  apply(x: Tensor, mask?: Tensor): Tensor {
    const tf = this.tf;
    return tf.tidy(() => {
      const xT = tf.transpose(x); // [dModel, n]
      const blocked = mask ? tf.mul(tf.sub(1, tf.cast(mask, 'float32')), MASKED_SCORE) : undefined;
      const outs = this.heads.map((h) => {
        const q = tf.matMul(x, h.wq); // [n, dHead]
        const kT = tf.matMul(h.wkT, xT); // [dHead, n]
        const v = tf.matMul(x, h.wv); // [n, dHead]
        let scores = tf.matMul(q, kT); // [n, n]
        if (blocked) scores = tf.add(scores, blocked);
        let weights = tf.softmax(scores);
        if (mask) weights = tf.mul(weights, tf.cast(mask, 'float32'));
        return tf.matMul(weights, v); // [n, dHead]
      });
      return tf.matMul(tf.concat(outs, 1), this.wo); // [n, dModel]
    });
  }

  dispose(): void {
    for (const h of this.heads) this.tf.dispose([h.wq, h.wkT, h.wv]);
    this.wo.dispose();
  }
}
