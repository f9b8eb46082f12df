// The most tensor memory a computation holds at once, measured with tf.profile (the engine's
// byte count after every kernel): what the chunked-attention check and the profiler compare.
import type { Tf } from './checkApi';

type Tensor = ReturnType<Tf['tensor']>;

/**
 * Peak bytes above what existed before `run` (its inputs are not counted); what `run`
 * returned (or resolved to: it may be async, to read its result with `await`) is disposed. A
 * throw inside tf.profile would leave the engine profiling every later kernel, so `run`'s error
 * is caught there and rethrown after.
 */
export async function peakTensorBytes(tf: Tf, run: () => unknown): Promise<number> {
  const before = tf.memory().numBytes;
  let failure: { err: unknown } | undefined;
  const info = await tf.profile(async () => {
    try {
      return (await run()) as Tensor;
    } catch (err) {
      failure = { err };
      // Stryker disable next-line ArrayDeclaration: never read, the failure is rethrown below
      return [];
    }
  });
  if (failure) throw failure.err;
  const peak = Math.max(Number.isFinite(info.peakBytes) ? info.peakBytes : 0, tf.memory().numBytes);
  tf.dispose(info.result as Tensor);
  return Math.max(0, peak - before);
}
