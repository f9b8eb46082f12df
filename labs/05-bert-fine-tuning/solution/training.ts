// Lab 5 — Training: the learning-rate schedule, gradient clipping, which parameters train,
// and one update that puts them together. Reference solution (not shipped).
import * as tf from '@tensorflow/tfjs-core';

export interface ScheduleOptions {
  peakLr: number;
  /** Steps of linear warm-up; 0 = none. */
  warmupSteps: number;
  /** Steps in the whole run: updates 0 … totalSteps − 1. */
  totalSteps: number;
}

/**
 * Linear warm-up from 0 to peakLr over warmupSteps, then linear decay to 0 at totalSteps:
 *   step < warmup:           peakLr · step / warmup
 *   warmup ≤ step < total:   peakLr · (total − step) / (total − warmup)
 *   step ≥ total:            0
 */
export function learningRate(step: number, o: ScheduleOptions): number {
  if (step >= o.totalSteps) return 0;
  if (step < o.warmupSteps) return (o.peakLr * step) / o.warmupSteps;
  return (o.peakLr * (o.totalSteps - step)) / (o.totalSteps - o.warmupSteps);
}

/**
 * Global gradient-norm clipping: norm = √(Σ over every tensor of Σ g²). If norm > maxNorm, every
 * gradient is multiplied by maxNorm / (norm + 1e-6); otherwise all are returned unchanged.
 * Returns the gradients (same keys) and the norm BEFORE clipping. Async: the norm is read from a
 * tensor with `await`, which works on every backend (a GPU hands numbers back asynchronously).
 */
export async function clipGradNorm(grads: Record<string, tf.Tensor>, maxNorm: number): Promise<{ grads: Record<string, tf.Tensor>; norm: number }> {
  const names = Object.keys(grads);
  // One sum on the device and one read, not a read per tensor.
  const sumSquares = tf.tidy(() => names.reduce((sum, name) => tf.add(sum, tf.sum(tf.square(grads[name]))), tf.scalar(0)));
  const norm = Math.sqrt((await sumSquares.data())[0]);
  sumSquares.dispose();
  if (norm <= maxNorm) return { grads, norm };
  const scale = maxNorm / (norm + 1e-6);
  const clipped: Record<string, tf.Tensor> = {};
  for (const name of names) clipped[name] = tf.mul(grads[name], scale);
  return { grads: clipped, norm };
}

/** The head's parameters are named "head.w" and "head.b"; every other name is the encoder's. */
export function trainableParameters(names: string[], freezeEncoder: boolean): string[] {
  return freezeEncoder ? names.filter((n) => n.startsWith('head.')) : names.slice();
}

/** Updates the parameters it is given gradients for (keyed by the variables' names). */
export interface Optimizer {
  apply(grads: Record<string, tf.Tensor>, lr: number): void;
}

export interface StepOptions {
  step: number;
  schedule: ScheduleOptions;
  maxGradNorm: number;
  freezeEncoder: boolean;
}

export interface StepResult {
  loss: number;
  lr: number;
  /** The gradient norm before clipping. */
  gradNorm: number;
}

/**
 * One update: lr for this step; gradients of loss() for the trainable parameters only
 * (tf.variableGrads); clip them; optimizer.apply(clipped, lr). Returns the loss, lr and norm.
 */
export async function trainStep(params: Record<string, tf.Variable>, loss: () => tf.Scalar, optimizer: Optimizer, o: StepOptions): Promise<StepResult> {
  const lr = learningRate(o.step, o.schedule);
  const names = trainableParameters(Object.keys(params), o.freezeEncoder);
  const { value, grads } = tf.variableGrads(loss, names.map((n) => params[n]));
  const clipped = await clipGradNorm(grads, o.maxGradNorm);
  optimizer.apply(clipped.grads, lr);
  const lossValue = (await value.data())[0];
  // Unclipped, clipped.grads are these same tensors: disposing twice is harmless.
  tf.dispose([value, ...Object.values(grads), ...Object.values(clipped.grads)]);
  return { loss: lossValue, lr, gradNorm: clipped.norm };
}
