// Lab 5's solution/ and the reference library (encoder/finetune.ts, classifier.ts, metrics.ts,
// schedule.ts, clipping.ts, trainStep.ts) on random inputs: neither can drift.
import assert from 'node:assert/strict';
import { inTensorScope } from '../../../core/checks/tensorScope';
import * as tf from '@tensorflow/tfjs-core';
import type { Tf } from '../../../core/checks/checkApi';
import { expectAllClose } from '../../../core/checks/expect';
import { classifierLogitsRef, clsPoolRef, crossEntropyRef, meanPoolRef } from '../../../sidecar/reference/encoder/classifier';
import { clipGradNormRef } from '../../../sidecar/reference/encoder/clipping';
import { makeBatchRef } from '../../../sidecar/reference/encoder/finetune';
import { classificationMetricsRef, confusionMatrixRef } from '../../../sidecar/reference/encoder/metrics';
import { linearWarmupDecayRef } from '../../../sidecar/reference/encoder/schedule';
import { trainableParametersRef } from '../../../sidecar/reference/encoder/trainStep';
import { DRAWS, plain, randomInputs, solutionBeforeAll } from '../../support/labSolution';

const ID = '05-bert-fine-tuning';
const F32 = { atol: 1e-5, rtol: 1e-5 };
const T = tf as unknown as Tf;

describe('Lab 5 solution agrees with the reference library on random inputs', function () {
  this.timeout(60_000);
  const sol = solutionBeforeAll(ID, ['batching.ts', 'classifier.ts', 'metrics.ts', 'training.ts']);

  it('makeBatch, metrics, the schedule and the trainable parameters', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(1000 + s);
      const texts = Array.from({ length: r.int(1, 5) }, () => 'x'.repeat(r.int(0, 12)));
      const tokenize = (t: string) => Array.from(t, (_, i) => 10 + ((i * 7 + t.length) % 50));
      const special = { cls: 1, sep: 2, pad: 0 };
      const maxLen = r.int(2, 10);
      assert.deepEqual(plain(sol.makeBatch(texts, tokenize, special, maxLen)), makeBatchRef(texts, tokenize, special, maxLen), `makeBatch, draw ${s}`);
      const classes = r.int(2, 4);
      const n = r.int(0, 30);
      const predicted = Array.from({ length: n }, () => r.int(0, classes - 1));
      const actual = Array.from({ length: n }, () => r.int(0, classes - 1));
      const matrix = confusionMatrixRef(predicted, actual, classes);
      assert.deepEqual(plain(sol.confusionMatrix(predicted, actual, classes)), matrix, `confusionMatrix, draw ${s}`);
      assert.deepEqual(plain(sol.classificationMetrics(matrix)), classificationMetricsRef(matrix), `classificationMetrics, draw ${s}`);
      const o = { peakLr: r.rand(), warmupSteps: r.int(0, 5), totalSteps: r.int(6, 20) };
      for (let step = 0; step <= o.totalSteps + 1; step++) {
        await expectAllClose(sol.learningRate(step, o), linearWarmupDecayRef(step, o), `learningRate(${step}, ${JSON.stringify(o)})`, { atol: 1e-15 });
      }
      const names = ['tok_emb', 'layers.0.attn.wq', 'head.w', 'head.b', 'emb_ln.gamma'].filter(() => r.rand() < 0.7);
      for (const freeze of [false, true]) assert.deepEqual(plain(sol.trainableParameters(names, freeze)), trainableParametersRef(names, freeze), `trainableParameters, draw ${s}`);
    }
  });

  it('pooling, the classifier head, cross-entropy and gradient clipping on tensors', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(1100 + s);
      await inTensorScope(tf, async () => {
        const [B, L, C, K] = [r.int(1, 4), r.int(1, 6), r.int(1, 8), r.int(2, 3)];
        const hidden = tf.tensor3d(r.matrix(B * L, C).flat(), [B, L, C]);
        const mask = tf.tensor2d(Array.from({ length: B }, () => { const len = r.int(1, L); return Array.from({ length: L }, (_, t) => (t < len ? 1 : 0)); }));
        await expectAllClose(sol.clsPool(hidden), clsPoolRef(T, hidden), `clsPool, draw ${s}`, F32);
        await expectAllClose(sol.meanPool(hidden, mask), meanPoolRef(T, hidden, mask), `meanPool, draw ${s}`, F32);
        const pooled = tf.tensor2d(r.matrix(B, C));
        const w = tf.tensor2d(r.matrix(C, K));
        const b = tf.tensor1d(r.vector(K));
        const logits = sol.classifierLogits(pooled, w, b);
        await expectAllClose(logits, classifierLogitsRef(T, pooled, w, b), `classifierLogits, draw ${s}`, F32);
        const labels = tf.tensor1d(Array.from({ length: B }, () => r.int(0, K - 1)), 'int32');
        const big = tf.mul(logits, 10 ** r.int(0, 3));
        await expectAllClose(sol.crossEntropy(big, labels), crossEntropyRef(T, big, labels), `crossEntropy, draw ${s}`, { atol: 1e-3, rtol: 1e-5 });
        const grads = { a: tf.tensor2d(r.matrix(2, 3, 2)), b: tf.tensor1d(r.vector(4, 2)) };
        const maxNorm = r.rand() * 6;
        const got = await sol.clipGradNorm(grads, maxNorm);
        const ref = await clipGradNormRef(T, grads, maxNorm);
        await expectAllClose(got.norm, ref.norm, `clipGradNorm norm, draw ${s}`, F32);
        for (const k of Object.keys(grads)) await expectAllClose(got.grads[k], ref.grads[k], `clipGradNorm grads.${k}, draw ${s}`, F32);
      });
    }
  });
});
