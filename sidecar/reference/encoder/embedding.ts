// Row lookup with a gradient the wasm backend can run: token embeddings, and picking the
// masked positions out of the hidden states. tf.gather's gradient needs UnsortedSegmentSum,
// which tfjs-backend-wasm lacks; the mini-GPT multiplied a one-hot matrix by the table instead
// (N·V·C FLOPs each way). Here the forward pass is a gather and the backward pass a scatter-add
// (tf.scatterND sums the updates of rows that share an index): O(N·C) both ways.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

/** table [R, C], index [N] (int32, values in 0..R−1) → rows [N, C]; d table[r] = Σ of d rows[n] with index[n] = r. */
export function gatherRows(tf: Tf, table: Tensor, index: Tensor): Tensor {
  // The index is saved for the backward pass: the forward scope disposes what the tape did not keep.
  const lookup = tf.customGrad(((t: Tensor, save: (ts: Tensor[]) => void) => {
    save([index]);
    return {
      value: tf.gather(t, index),
      gradFunc: (dy: Tensor, [saved]: Tensor[]) => tf.scatterND(tf.reshape(saved, [-1, 1]), dy, t.shape),
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);
  return lookup(table);
}
