// Attention over the keys one chunk at a time with an online softmax (Milakov & Gimelshein 2018,
// "Online normalizer calculation for softmax"; the idea FlashAttention builds on): the same
// output as attentionRef without a mask, but never more than [Nq, chunk] scores at once, so the
// memory it needs grows linearly in the sequence length instead of quadratically.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

/**
 * q: [Nq, d], k: [Nk, d], v: [Nk, dv], chunk ≥ 1 → output [Nq, dv] = softmax(q·kᵀ/√d)·v.
 * Per chunk c of keys: s = q·k_cᵀ/√d [Nq, C]; m' = max(m, rowmax s); the running sum and the
 * running output are rescaled by e^(m − m') before the chunk's e^(s − m') is added; at the end
 * output = acc / l. Each chunk's temporaries are released before the next.
 */
export function chunkedAttentionRef(tf: Tf, q: Tensor, k: Tensor, v: Tensor, chunk: number): Tensor {
  const [nq, d] = q.shape as [number, number];
  const nk = k.shape[0];
  const dv = v.shape[1] as number;
  if (nk < 1) throw new Error('chunkedAttentionRef needs at least one key');
  if (!Number.isInteger(chunk) || chunk < 1) throw new Error(`chunk must be a whole number ≥ 1, got ${chunk}`);
  let m: Tensor = tf.fill([nq, 1], -Infinity); // running row maximum of the scores seen so far
  let l: Tensor = tf.zeros([nq, 1]); // running Σ e^(s − m)
  let acc: Tensor = tf.zeros([nq, dv]); // running Σ e^(s − m) · v
  for (let start = 0; start < nk; start += chunk) {
    const size = Math.min(chunk, nk - start);
    const next = tf.tidy(() => {
      const kc = tf.slice(k, [start, 0], [size, d]);
      const vc = tf.slice(v, [start, 0], [size, dv]);
      const s = tf.div(tf.matMul(q, kc, false, true), Math.sqrt(d)); // [Nq, C]
      const mNew = tf.maximum(m, tf.max(s, 1, true)); // [Nq, 1]
      const p = tf.exp(tf.sub(s, mNew)); // [Nq, C], every entry ≤ 1
      const rescale = tf.exp(tf.sub(m, mNew)); // [Nq, 1]; e^(−∞) = 0 at the first chunk
      return {
        m: mNew,
        l: tf.add(tf.mul(l, rescale), tf.sum(p, 1, true)),
        acc: tf.add(tf.mul(acc, rescale), tf.matMul(p, vc)), // [Nq, dv]
      };
    });
    tf.dispose([m, l, acc]);
    ({ m, l, acc } = next);
  }
  const out = tf.div(acc, l);
  tf.dispose([m, l, acc]);
  return out;
}
