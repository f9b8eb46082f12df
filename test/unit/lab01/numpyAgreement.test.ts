// Lab 1's reference math — the plain-loop and tensor references the checks use, and the
// reference solution itself — against values computed independently with NumPy
// (scripts/fixtures/lab01_numpy.py → test/fixtures/numpy/lab01.json).
import assert from 'node:assert/strict';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expectAllClose } from '../../../core/checks/expect';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import { softmaxRef } from '../../../sidecar/reference/activations';
import { attentionLoopsRef } from '../../../sidecar/reference/loopsAttention';
import { sinusoidalRef } from '../../../sidecar/reference/positionalEncodings';
import { attentionRef, multiHeadAttentionRef } from '../../../sidecar/reference/tensorAttention';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const { cases: C } = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'numpy', 'lab01.json'), 'utf8'));
const F32 = { atol: 2e-5, rtol: 2e-5 };

function solution(): Record<string, any> {
  const text = readFileSync(join(root, 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8');
  const { files, diagnostics } = transpile([{ path: 'attention.ts', text }]);
  assert.deepEqual(diagnostics, []);
  return new Sandbox(files, { tf, helpers, log: () => undefined }).exportsOf('attention.ts');
}

describe('Lab 1 reference math agrees with NumPy', function () {
  this.timeout(30_000);
  let sol: Record<string, any>;
  before(async () => {
    await loadBackend('wasm');
    sol = solution();
  });

  it('the course\'s worked example is 12.689…, not the ~10 the seed text claims', async () => {
    const { query, keys, values, output, weights } = C.seedExample;
    assert.ok(Math.abs(output[0] - 12.689414) < 1e-6);
    assert.deepEqual(weights.map((w: number) => Number(w.toFixed(4))), [0.7311, 0.2689]);
    await expectAllClose(attentionLoopsRef([query], keys, values).output[0], output, 'loops reference', { atol: 1e-9 });
    await expectAllClose(sol.attendOne(query, keys, values), output, 'solution attendOne', { atol: 1e-9 });
  });

  it('softmax of [1000, 1001, 1002] is finite and right (reference and solution)', async () => {
    await expectAllClose(softmaxRef(C.softmaxLarge.x), C.softmaxLarge.y, 'softmaxRef', { atol: 1e-12 });
    await expectAllClose(sol.softmax(C.softmaxLarge.x), C.softmaxLarge.y, 'solution softmax', { atol: 1e-12 });
  });

  it('batched scaled dot-product attention (tensor reference and solution)', async () => {
    const { q, k, v, output, weights } = C.batched;
    await inTensorScope(tf, async () => {
      const ref = attentionRef(tf, tf.tensor(q), tf.tensor(k), tf.tensor(v));
      await expectAllClose(ref.weights, weights, 'reference weights', F32);
      await expectAllClose(ref.output, output, 'reference output', F32);
      const got = sol.attention(tf.tensor(q), tf.tensor(k), tf.tensor(v));
      await expectAllClose(got.weights, weights, 'solution weights', F32);
      await expectAllClose(got.output, output, 'solution output', F32);
    });
  });

  it('a mask with a fully masked row: zeros there, softmax over visible keys elsewhere', async () => {
    const { x, mask, output, weights } = C.maskedSelf;
    const boolMask = mask.map((row: number[]) => row.map((m) => m === 1));
    await expectAllClose(attentionLoopsRef(x, x, x, boolMask).weights, weights, 'loops reference weights', { atol: 1e-12 });
    await expectAllClose(sol.attentionLoops(x, x, x, boolMask).output, output, 'solution attentionLoops output', { atol: 1e-12 });
    await inTensorScope(tf, async () => {
      const t = tf.tensor(x);
      const ref = attentionRef(tf, t, t, t, tf.tensor(mask));
      await expectAllClose(ref.weights, weights, 'tensor reference weights', F32);
      await expectAllClose(ref.output, output, 'tensor reference output', F32);
      await expectAllClose(sol.attention(t, t, t, tf.tensor(mask)).output, output, 'solution output', F32);
    });
  });

  it('multi-head attention, 4 heads and 2 causal heads (reference and solution)', async () => {
    const m = C.multiHead;
    await inTensorScope(tf, async () => {
      const x = tf.tensor2d(m.x);
      const w = { wq: tf.tensor2d(m.wq), wk: tf.tensor2d(m.wk), wv: tf.tensor2d(m.wv), wo: tf.tensor2d(m.wo) };
      const ref = multiHeadAttentionRef(tf, x, w, 4);
      await expectAllClose(ref.weights, m.weights, 'reference weights', F32);
      await expectAllClose(ref.output, m.output, 'reference output', F32);
      const got = sol.multiHeadAttention(x, w, 4);
      await expectAllClose(got.output, m.output, 'solution output', F32);
      const causal = tf.linalg.bandPart(tf.ones([5, 5]), -1, 0);
      const refC = multiHeadAttentionRef(tf, x, w, 2, causal);
      await expectAllClose(refC.weights, C.multiHeadCausal.weights, 'causal reference weights', F32);
      await expectAllClose(sol.multiHeadAttention(x, w, 2, causal).output, C.multiHeadCausal.output, 'causal solution output', F32);
    });
  });

  it('sinusoidal positions follow "Attention Is All You Need" exactly', async () => {
    await expectAllClose(sinusoidalRef(C.sinusoidal.n, C.sinusoidal.d), C.sinusoidal.pe, 'sinusoidal', { atol: 1e-12 });
  });
});

describe('FastMultiHeadAttention (the reference models\' inference layout)', function () {
  this.timeout(30_000);
  it('equals NumPy\'s multi-head attention, with and without a causal mask', async () => {
    await loadBackend('wasm');
    const m = C.multiHead;
    await inTensorScope(tf, async () => {
      const { FastMultiHeadAttention } = require('../../../sidecar/reference/fastMultiHead');
      const w = { wq: tf.tensor2d(m.wq), wk: tf.tensor2d(m.wk), wv: tf.tensor2d(m.wv), wo: tf.tensor2d(m.wo) };
      const layer4 = new FastMultiHeadAttention(tf, w, 4);
      await expectAllClose(layer4.apply(tf.tensor2d(m.x)), m.output, 'fast MHA output', F32);
      const layer2 = new FastMultiHeadAttention(tf, w, 2);
      const causal = tf.linalg.bandPart(tf.ones([5, 5]), -1, 0);
      await expectAllClose(layer2.apply(tf.tensor2d(m.x), causal), C.multiHeadCausal.output, 'fast causal MHA output', F32);
      layer4.dispose();
      layer2.dispose();
    });
  });
});
