// LayerNorm, once for the whole course (Lab 2's Level 1 and 2, the encoder, the mini-GPT):
// y = γ (x − μ) / √(σ² + ε) + β over the last axis, μ and the biased σ² (÷ d, as PyTorch) per row.
// TensorFlow.js is passed in so checks use the learner's own instance and backend.
import type * as tfTypes from '@tensorflow/tfjs-core';
import type { LayerNormParams } from './block/params';
import { kernel } from './kernels';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

/** PyTorch's default: small enough not to bias the variance, large enough that a constant row gives β, not NaN. */
export const LN_EPS = 1e-5;

/** y[i][j] = γ_j (x[i][j] − μ_i) / √(σ²_i + ε) + β_j with μ, σ² (biased, ÷d) over row i. x [n][d]. */
export function layerNormLoopsRef(x: number[][], gamma: number[], beta: number[], eps = LN_EPS): number[][] {
  return x.map((row) => {
    const d = row.length;
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
    const inv = 1 / Math.sqrt(variance + eps);
    return row.map((v, j) => gamma[j] * (v - mean) * inv + beta[j]);
  });
}

/** LayerNorm over the last axis of x [..., d]; γ, β [d] → [..., d]. Differentiable. */
export function layerNormRef(tf: Tf, x: Tensor, p: LayerNormParams, eps = LN_EPS): Tensor {
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const mean = tf.mean(x, axis, true); // [..., 1]
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), axis, true); // biased: ÷ d
    return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, eps))), p.gamma), p.beta);
  });
}

/**
 * The same LayerNorm of one row x [1, 1, C] in 4 kernels (the KV-cache step, see kernels.ts):
 * mean, squared difference, mean, then FusedBatchNorm = (x − mean) · γ / √(var + ε) + β.
 */
export function layerNormRowKernels(tf: Tf, x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const mean = kernel(tf, 'Mean', { x }, { axis: [2], keepDims: true }); // [1, 1, 1]
  const variance = kernel(tf, 'Mean', { x: kernel(tf, 'SquaredDifference', { a: x, b: mean }) }, { axis: [2], keepDims: true });
  return kernel(tf, 'FusedBatchNorm', { x, mean, variance, offset: beta, scale: gamma }, { varianceEpsilon: LN_EPS });
}
