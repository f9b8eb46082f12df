// Plain tf.matMul speed in GFLOP/s, the yardstick for "throughput as a fraction of matMul".
// The product is read back (dataSync) so the time includes the work, but nothing is returned
// from the tidy: tf.tidy walks a returned value looking for tensors, which for a Float32Array
// of 512² entries cost more than the product itself here.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;

/** [m, k] · [k, n], `reps` times after one warm-up, the mean GFLOP/s. */
export function matMulGflops(tf: Tf, m: number, k: number, n: number, reps: number): number {
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  tf.tidy(() => {
    tf.matMul(a, b).dataSync();
  });
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    tf.tidy(() => {
      tf.matMul(a, b).dataSync();
    });
  }
  const s = (performance.now() - t0) / 1000;
  a.dispose();
  b.dispose();
  return (2 * m * k * n * reps) / s / 1e9;
}
