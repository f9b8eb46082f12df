// tf.tidy for an async body: the checks' assertions are async (they read with `await
// tensor.array()`), and tf.tidy refuses a function that returns a promise. Tests run one at a
// time, so the scope holds exactly the tensors the body made.
import type * as tfTypes from '@tensorflow/tfjs-core';

export async function tidyAsync(tf: typeof tfTypes, body: () => Promise<void>): Promise<void> {
  tf.engine().startScope();
  try {
    await body();
  } finally {
    tf.engine().endScope();
  }
}
