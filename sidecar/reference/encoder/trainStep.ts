// One fine-tuning update, put together from its parts: the learning rate for this step, the
// parameters that train (only the head when the encoder is frozen), gradients of the loss,
// clipping of their global norm, then the optimizer. Lab 5's learner writes the same function.
import type * as tfTypes from '@tensorflow/tfjs-core';
import { clipGradNormRef } from './clipping';
import type { Tensor, Tf } from './encoder';
import { linearWarmupDecayRef, type ScheduleOptions } from './schedule';

/** The head's parameters are named "head.…"; everything else is the encoder. */
export const HEAD_PREFIX = 'head.';

export function trainableParametersRef(names: string[], freezeEncoder: boolean): string[] {
  return names.filter((n) => !freezeEncoder || n.startsWith(HEAD_PREFIX));
}

export interface Optimizer {
  /** Updates the parameters whose gradients are given (keyed by the variables' names) with learning rate lr. */
  apply(grads: Record<string, Tensor>, lr: number): void;
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
  /** The global gradient norm before clipping. */
  gradNorm: number;
}

/** Async, as the learner's may be: the loss and the norm are read with `await` (webgpu has no other read in Node). */
export async function trainStepRef(tf: Tf, params: Record<string, tfTypes.Variable>, loss: () => tfTypes.Scalar, optimizer: Optimizer, o: StepOptions): Promise<StepResult> {
  const lr = linearWarmupDecayRef(o.step, o.schedule);
  const names = trainableParametersRef(Object.keys(params), o.freezeEncoder);
  const { value, grads } = tf.variableGrads(loss, names.map((n) => params[n]));
  try {
    const clipped = await clipGradNormRef(tf, grads, o.maxGradNorm);
    try {
      optimizer.apply(clipped.grads, lr);
      return { loss: (await value.data())[0], lr, gradNorm: clipped.norm };
    } finally {
      tf.dispose(Object.values(clipped.grads));
    }
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}
