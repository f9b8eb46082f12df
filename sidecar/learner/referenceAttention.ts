// The course's Lab 1 attention, offered to later labs (2 and 6) through
// "@transformer-labs/helpers" when the learner's own Lab 1 code was not found. Same
// signatures and conventions as labs/01-attention/solution/attention.ts: masks are
// 1 = may attend, 0 = blocked; a fully masked row gives zero weights and zero output.
import * as tf from '@tensorflow/tfjs-core';
import { attentionRef, causalMaskRef, combineHeadsRef, multiHeadAttentionRef, paddingMaskRef, splitHeadsRef } from '../reference/tensorAttention';

type Tf = typeof tf;

// Thin typed wrappers over the course's reference units (sidecar/reference/tensorAttention.ts),
// bound to the learner's TensorFlow.js instance.
const tfs = tf as unknown as Tf;

/** [n, n]: 1 on and below the diagonal (query i may see keys 0..i). */
function causalMask(n: number): tf.Tensor2D {
  return causalMaskRef(tfs, n) as tf.Tensor2D;
}

/** [batch, 1, maxLen]: 1 where the key is a real token (position < length). */
function paddingMask(lengths: number[], maxLen: number): tf.Tensor3D {
  return paddingMaskRef(tfs, lengths, maxLen) as tf.Tensor3D;
}

/** softmax(Q Kᵀ / √d + mask) V on q [..., nq, d], k [..., nk, d], v [..., nk, dv]. */
function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor): { output: tf.Tensor; weights: tf.Tensor } {
  return attentionRef(tfs, q, k, v, mask);
}

/** [n, dModel] → [heads, n, dModel / heads]. */
function splitHeads(x: tf.Tensor2D, heads: number): tf.Tensor3D {
  return splitHeadsRef(tfs, x, heads) as tf.Tensor3D;
}

/** [heads, n, dHead] → [n, heads · dHead]. */
function combineHeads(x: tf.Tensor3D): tf.Tensor2D {
  return combineHeadsRef(tfs, x) as tf.Tensor2D;
}

// Declared here, not imported: learner workspaces get this file's declarations alone (dist/types/helpers).
export interface MultiHeadWeights {
  /** Each [dModel, dModel]. */
  wq: tf.Tensor2D;
  wk: tf.Tensor2D;
  wv: tf.Tensor2D;
  wo: tf.Tensor2D;
}

/** Multi-head self-attention on x [n, dModel] → output [n, dModel], weights [heads, n, n]. */
function multiHeadAttention(
  x: tf.Tensor2D,
  w: MultiHeadWeights,
  heads: number,
  mask?: tf.Tensor,
): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  const r = multiHeadAttentionRef(tfs, x, w, heads, mask);
  return { output: r.output as tf.Tensor2D, weights: r.weights as tf.Tensor3D };
}

/** Marks the course's own functions, so a lab can tell them from the learner's (CheckContext.isReference). */
export const REFERENCE_MARK = Symbol.for('transformer-labs.reference');

const fns = { causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention };
for (const f of Object.values(fns)) Object.defineProperty(f, REFERENCE_MARK, { value: true });

/** Frozen so that learner code cannot replace the reference for every later run. */
export const referenceAttention = Object.freeze(fns);
