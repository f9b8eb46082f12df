// Calling TensorFlow.js kernels directly (tf.engine().runKernel), for the few hot paths where the
// ops API's wrapping costs more than the arithmetic: the KV-cache step works on one position
// [1, 1, C], where each matmul, mean or batchNorm op adds reshapes and casts (237 kernels per
// token through the ops API, 132 with these forms). The maths stays in the concept's own unit
// (normalisation.ts, activations.ts); this file only says how a kernel is called.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

export function kernel(tf: Tf, name: string, inputs: Record<string, Tensor> | Tensor[], attrs: Record<string, unknown> = {}): Tensor {
  return tf.engine().runKernel(name, inputs as unknown as tfTypes.NamedTensorMap, attrs as tfTypes.NamedAttrMap) as Tensor;
}
