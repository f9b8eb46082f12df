// Lab 5 — Training: the learning-rate schedule, gradient clipping, which parameters train, and
// one update that puts them together.
// Replace each `throw` with your implementation.
import * as tf from '@tensorflow/tfjs-core';

export interface ScheduleOptions {
  peakLr: number;
  /** Steps of linear warm-up; 0 = none. */
  warmupSteps: number;
  /** Steps in the whole run: updates 0 … totalSteps − 1. */
  totalSteps: number;
}

/**
 * Linear warm-up, then linear decay: 0 at step 0, peakLr at step warmupSteps, falling on a
 * straight line to 0 at step totalSteps, and 0 from then on (INSTRUCTIONS.md §4 has the rule).
 */
export function learningRate(step: number, o: ScheduleOptions): number {
  // Three cases, by where the step falls.
  throw new Error('TODO: implement learningRate');
}

/**
 * Global gradient-norm clipping, as PyTorch's clip_grad_norm_: when the norm of all gradients
 * together is above maxNorm, shrink them so it becomes maxNorm; otherwise leave them alone.
 * Returns the gradients (same keys) and the norm BEFORE clipping.
 * Async because the norm is a number read from a tensor: on a GPU that read can only be awaited
 * (`(await t.data())[0]`), so the function returns a promise (INSTRUCTIONS.md §4).
 */
export async function clipGradNorm(grads: Record<string, tf.Tensor>, maxNorm: number): Promise<{ grads: Record<string, tf.Tensor>; norm: number }> {
  // One norm for all the gradients together, one factor for all of them.
  throw new Error('TODO: implement clipGradNorm');
}

/** The head's parameters are named "head.w" and "head.b"; every other name is the encoder's. */
export function trainableParameters(names: string[], freezeEncoder: boolean): string[] {
  // The head's names share a prefix.
  throw new Error('TODO: implement trainableParameters');
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
 * One update of the trainable parameters with this step's learning rate and clipped gradients.
 * The optimizer (AdamW, given) does the update itself. Returns the loss, lr and norm.
 * Async like clipGradNorm: the loss is a number read from a tensor, and clipGradNorm gives a
 * promise — await what you read.
 */
export async function trainStep(params: Record<string, tf.Variable>, loss: () => tf.Scalar, optimizer: Optimizer, o: StepOptions): Promise<StepResult> {
  // Use your own learningRate, trainableParameters and clipGradNorm.
  throw new Error('TODO: implement trainStep');
}
