// Gradient-norm clipping over all parameters together (PyTorch's clip_grad_norm_): the update
// keeps its direction, only a step whose gradient is unusually large is shortened.
import type { Tensor, Tf } from './encoder';

export const CLIP_EPS = 1e-6;

/**
 * norm = √(Σ over every tensor of Σ g²). If norm > maxNorm every gradient is multiplied by
 * maxNorm / (norm + 1e-6); otherwise they are returned unchanged. Returns the norm before clipping.
 * Async: the norm is read with `await`, the only read the webgpu backend offers in Node.
 */
export async function clipGradNormRef(tf: Tf, grads: Record<string, Tensor>, maxNorm: number): Promise<{ grads: Record<string, Tensor>; norm: number }> {
  const names = Object.keys(grads);
  let norm = 0;
  if (names.length > 0) {
    const total = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))));
    norm = (await total.data())[0];
    total.dispose();
  }
  if (!(norm > maxNorm)) return { grads: { ...grads }, norm };
  const scale = maxNorm / (norm + CLIP_EPS);
  return { grads: Object.fromEntries(names.map((n) => [n, tf.mul(grads[n], scale)])), norm };
}
