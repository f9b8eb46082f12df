// Lab 1's solution/ (the instructor-facing model answer) and the reference library the checks
// use (activations.ts, loopsAttention.ts, tensorAttention.ts) on random inputs: neither can drift.
import * as tf from '@tensorflow/tfjs-core';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { expectAllClose } from '../../../core/checks/expect';
import { softmaxRef } from '../../../sidecar/reference/activations';
import { attentionLoopsRef } from '../../../sidecar/reference/loopsAttention';
import { attentionRef, causalMaskRef, combineHeadsRef, multiHeadAttentionRef, paddingMaskRef, splitHeadsRef } from '../../../sidecar/reference/tensorAttention';
import { DRAWS, randomInputs, solutionBeforeAll } from '../../support/labSolution';

const F32 = { atol: 1e-5, rtol: 1e-5 };

describe('Lab 1 solution agrees with the reference library on random inputs', function () {
  this.timeout(60_000);
  const sol = solutionBeforeAll('01-attention', ['attention.ts']);

  it('softmax and attentionLoops (masks with a fully blocked row)', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(100 + s);
      const xs = r.vector(r.int(1, 9), 10 ** r.int(0, 3));
      await expectAllClose(sol.softmax(xs), softmaxRef(xs), `softmax, draw ${s}`, { atol: 1e-12 });
      const [nq, nk, d, dv] = [r.int(1, 5), r.int(1, 6), r.int(1, 4), r.int(1, 4)];
      const Q = r.matrix(nq, d, 2);
      const K = r.matrix(nk, d, 2);
      const V = r.matrix(nk, dv);
      const mask = s % 2 ? r.mask(nq, nk, true) : undefined;
      const got = sol.attentionLoops(Q, K, V, mask);
      const ref = attentionLoopsRef(Q, K, V, mask);
      await expectAllClose(got.weights, ref.weights, `attentionLoops weights, draw ${s}`, { atol: 1e-12 });
      await expectAllClose(got.output, ref.output, `attentionLoops output, draw ${s}`, { atol: 1e-12 });
    }
  });

  it('attention, masks, heads and multi-head attention on tensors', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(200 + s);
      await inTensorScope(tf, async () => {
        const [b, n, heads, dHead] = [r.int(1, 3), r.int(1, 7), r.int(1, 4), r.int(1, 4)];
        const d = heads * dHead;
        const q = tf.tensor(r.matrix(b * n, d).flat(), [b, n, d]);
        const k = tf.tensor(r.matrix(b * n, d).flat(), [b, n, d]);
        const v = tf.tensor(r.matrix(b * n, d).flat(), [b, n, d]);
        const lengths = Array.from({ length: b }, () => r.int(0, n));
        await expectAllClose(sol.paddingMask(lengths, n), paddingMaskRef(tf, lengths, n), `paddingMask, draw ${s}`, F32);
        await expectAllClose(sol.causalMask(n), causalMaskRef(tf, n), `causalMask, draw ${s}`, F32);
        const mask = s % 2 ? paddingMaskRef(tf, lengths, n) : causalMaskRef(tf, n);
        const got = sol.attention(q, k, v, mask);
        const ref = attentionRef(tf, q, k, v, mask);
        await expectAllClose(got.weights, ref.weights, `attention weights, draw ${s}`, F32);
        await expectAllClose(got.output, ref.output, `attention output, draw ${s}`, F32);
        const x = tf.tensor2d(r.matrix(n, d));
        await expectAllClose(sol.splitHeads(x, heads), splitHeadsRef(tf, x, heads), `splitHeads, draw ${s}`, F32);
        const h = splitHeadsRef(tf, x, heads);
        await expectAllClose(sol.combineHeads(h), combineHeadsRef(tf, h), `combineHeads, draw ${s}`, F32);
        const w = { wq: tf.tensor2d(r.matrix(d, d, 0.5)), wk: tf.tensor2d(r.matrix(d, d, 0.5)), wv: tf.tensor2d(r.matrix(d, d, 0.5)), wo: tf.tensor2d(r.matrix(d, d, 0.5)) };
        const causal = s % 2 ? causalMaskRef(tf, n) : undefined;
        const mg = sol.multiHeadAttention(x, w, heads, causal);
        const mr = multiHeadAttentionRef(tf, x, w, heads, causal);
        await expectAllClose(mg.weights, mr.weights, `multiHeadAttention weights, draw ${s}`, F32);
        await expectAllClose(mg.output, mr.output, `multiHeadAttention output, draw ${s}`, F32);
      });
    }
  });
});
