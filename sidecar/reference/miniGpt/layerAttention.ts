// What one layer's attention of the trained mini-GPT sees on a text: each head's Q, K and V and
// the weights the model itself computes from them. Lab 1's attention panel feeds these Q, K, V
// to the learner's attention(), so the heatmap shows learned patterns instead of random ones.
// The whole model runs (MiniGpt.forward) with a hook at the chosen layer: no second copy of the
// forward pass.
import { attentionRef } from '../tensorAttention';
import { findModelDir, loadMiniGpt } from './loader';
import { MiniGpt } from './model';
import type { Tensor, Tf } from './layers';

export interface LayerAttention {
  /** [nHead, T, headDim] each: what layer `layer`'s heads attend with. */
  q: number[][][];
  k: number[][][];
  v: number[][][];
  /** [nHead, T, T]: the model's own attention weights at that layer (causal). */
  weights: number[][][];
}

const models = new WeakMap<object, MiniGpt>();

/** The shipped mini-GPT on `tf`, loaded once per tf instance (its weights stay as kept tensors). */
export function sharedMiniGpt(tf: Tf, fromDir: string = __dirname): MiniGpt {
  let m = models.get(tf);
  if (!m) {
    m = new MiniGpt(tf, loadMiniGpt(findModelDir(fromDir)));
    models.set(tf, m);
  }
  return m;
}

/** Layer `layer` (0-based) of `model` on tokens [T ≤ blockSize], read with `await` (webgpu reads no other way). */
export async function layerAttention(model: MiniGpt, tokens: number[], layer: number): Promise<LayerAttention> {
  const { tf, config } = model;
  if (!Number.isInteger(layer) || layer < 0 || layer >= config.nLayer) throw new RangeError(`layer must be 0..${config.nLayer - 1}, got ${layer}`);
  let seen = 0;
  let captured: Tensor[] = [];
  const { logits, attentionTensors } = model.forward(tokens, {
    keepAttention: true,
    attention: (q, k, v, mask) => {
      // Copies kept past the forward pass's tidy, which frees its intermediates.
      if (seen++ === layer) captured = [q, k, v].map((t) => tf.keep(tf.clone(t)));
      return attentionRef(tf, q, k, v, mask);
    },
  });
  logits.dispose();
  try {
    const [q, k, v, weights] = (await Promise.all([...captured, attentionTensors![layer]].map((t) => t.array()))) as number[][][][];
    return { q, k, v, weights };
  } finally {
    tf.dispose([...captured, ...attentionTensors!]);
  }
}
