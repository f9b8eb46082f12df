// An engine scope around an async body. tf.tidy refuses a function that returns a promise (its
// scope would end at the first await), and checks, views and tests read tensors with `await`
// (the webgpu backend has no other read in Node). Every tensor the body makes and does not
// tf.keep is disposed when it ends, however it ends. The engine has one scope stack: only one
// such body may run at a time (the worker runs one job at a time; mocha one test).
import type { Tf } from './checkApi';

export async function inTensorScope<T>(tf: Pick<Tf, 'engine'>, body: () => Promise<T>): Promise<T> {
  tf.engine().startScope();
  try {
    return await body();
  } finally {
    tf.engine().endScope();
  }
}
