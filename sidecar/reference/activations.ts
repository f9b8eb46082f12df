// Activations, once for the whole course: softmax and log-softmax on plain numbers (Lab 1's
// loops, Lab 6's decoding), GELU exact and tanh-approximated on numbers (Lab 2's Level 1) and on
// tensors (Lab 2's FFN, the encoder, the mini-GPT). TensorFlow.js is passed in (never imported
// at module level) so checks use the learner's own instance and backend.
import type * as tfTypes from '@tensorflow/tfjs-core';
import { kernel } from './kernels';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

// ───────────── softmax on plain numbers ─────────────

/** Stable softmax: exp(x − max) / Σ exp(x − max). xs [V] → [V]. */
export function softmaxRef(xs: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  const e = Array.from(xs, (x) => Math.exp(x - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** log softmax, stably and in float64: x − max − log Σ exp(x − max). xs [V] → [V]. */
export function logSoftmaxRef(xs: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i] - max);
  const lse = max + Math.log(s);
  return Array.from(xs, (x) => x - lse);
}

// ───────────── GELU on plain numbers ─────────────

/**
 * erf to about 1e-15: the Maclaurin series below |x| = 2.5 (its terms stay below e^{x²} ≈ 520, so
 * little cancellation), the continued fraction of erfc above (it converges fast there).
 */
export function erfRef(x: number): number {
  if (x < 0) return -erfRef(-x);
  if (x < 2.5) {
    let sum = 0;
    let power = x; // (−1)^n x^{2n+1} / n!
    for (let n = 0; n < 200; n++) {
      const term = power / (2 * n + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
      power *= (-x * x) / (n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 6) return 1; // 1 − erf(6) ≈ 2e-17, below double precision at 1
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail.
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + k / 2 / f;
  return 1 - Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** GELU(x) = x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
export function geluExactRef(x: number): number {
  return 0.5 * x * (1 + erfRef(x / Math.SQRT2));
}

/** √(2/π), the tanh approximation's scale. */
export const GELU_TANH_SCALE = Math.sqrt(2 / Math.PI);
/** The cubic term's coefficient in the tanh approximation. */
export const GELU_TANH_CUBIC = 0.044715;

/** The tanh approximation (Hendrycks & Gimpel 2016) GPT-2 uses. */
export function geluTanhRef(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * x ** 3)));
}

// ───────────── GELU on tensors ─────────────

/**
 * GELU elementwise, x [...] → [...]: 'none' is exact (tf.erf, which the wasm backend
 * implements; Lab 2 and the encoder), 'tanh' the approximation (GPT-2, the mini-GPT).
 */
export function geluRef(tf: Tf, x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  return tf.tidy(() => {
    if (approximate === 'tanh') {
      const inner = tf.mul(GELU_TANH_SCALE, tf.add(x, tf.mul(GELU_TANH_CUBIC, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  });
}

/**
 * The tanh GELU in 6 kernels instead of 9 (the KV-cache step, see kernels.ts), since
 * ½(1 + tanh z) = σ(2z): x · σ(x · (a + b·x²)) with a = 2·√(2/π) and b = a·0.044715 passed as
 * kept scalars (a number operand would be uploaded on every call).
 */
export function geluTanhKernels(tf: Tf, x: Tensor, a: Tensor, b: Tensor): Tensor {
  const sq = kernel(tf, 'Square', { x });
  const inner = kernel(tf, 'Multiply', { a: x, b: kernel(tf, 'Add', { a: kernel(tf, 'Multiply', { a: sq, b }), b: a }) });
  return kernel(tf, 'Multiply', { a: x, b: kernel(tf, 'Sigmoid', { x: inner }) });
}
