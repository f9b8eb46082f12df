// Lab 6's references (sidecar/reference/decoding) and its solution against values computed
// independently with NumPy (scripts/fixtures/lab06_numpy.py → test/fixtures/numpy/lab06.json).
import assert from 'node:assert/strict';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Tf } from '../../../core/checks/checkApi';
import { expectAllClose } from '../../../core/checks/expect';
import {
  applyTemperatureRef,
  beamSearchRef,
  exhaustiveSearchRef,
  topKRef,
  topPRef,
} from '../../../sidecar/reference/decoding/decodingRef';
import { gptForwardRef } from '../../../sidecar/reference/miniGpt/forward';
import type { Params as GptWeights } from '../../../sidecar/reference/miniGpt/layers';
import { chiSquareSurvival } from '../../../sidecar/reference/decoding/stats';
import { findMiniGptDir, readTrainedModel, weightTensors } from '../../../sidecar/reference/decoding/trainedModel';
import { GREEDY_TRAP, hashedLogits } from '../../../labs/06-mini-gpt/checks';
import { repoRoot } from '../../support/repoRoot';
import { sandboxOf, setUp, tearDown, trainedModelOnDisk } from './support';

const { cases: C } = JSON.parse(readFileSync(join(repoRoot(), 'test', 'fixtures', 'numpy', 'lab06.json'), 'utf8'));
const T = tf as unknown as Tf;

describe('Lab 6 reference math agrees with NumPy', function () {
  this.timeout(60_000);
  let sol: { decoding: Record<string, any>; model: Record<string, any> };
  before(async () => {
    await setUp();
    const sb = sandboxOf({});
    sol = { decoding: sb.exportsOf('decoding.ts'), model: sb.exportsOf('model.ts') };
  });
  after(tearDown);

  it('temperature: softmax(logits / T) (reference and solution)', async () => {
    for (const [i, t] of (C.temperature.T as number[]).entries()) {
      await expectAllClose(applyTemperatureRef(C.temperature.logits, t), C.temperature.probs[i], `ref T=${t}`, { atol: 1e-12 });
      await expectAllClose(sol.decoding.applyTemperature(C.temperature.logits, t), C.temperature.probs[i], `solution T=${t}`, { atol: 1e-12 });
    }
  });

  it('top-k with ties keeps exactly k, lower index first', async () => {
    for (const [i, k] of (C.topK.k as number[]).entries()) {
      await expectAllClose(topKRef(C.topK.probs, k), C.topK.out[i], `ref k=${k}`, { atol: 1e-12 });
      await expectAllClose(sol.decoding.topK(C.topK.probs, k), C.topK.out[i], `solution k=${k}`, { atol: 1e-12 });
    }
  });

  it('top-p includes the crossing token and stops at an exact hit', async () => {
    for (const [i, p] of (C.topP.p as number[]).entries()) {
      await expectAllClose(topPRef(C.topP.probs, p), C.topP.out[i], `ref p=${p}`, { atol: 1e-12 });
      await expectAllClose(sol.decoding.topP(C.topP.probs, p), C.topP.out[i], `solution p=${p}`, { atol: 1e-12 });
    }
  });

  it('chi-square survival probabilities (incomplete gamma vs numerical integration)', () => {
    for (const c of C.chi2) assert.ok(Math.abs(chiSquareSurvival(c.x, c.df) - c.sf) < 1e-8, `${c.x}, df ${c.df}: ${chiSquareSurvival(c.x, c.df)} vs ${c.sf}`);
  });

  it('the prefix-hashed logits table is the same in TypeScript and Python', async () => {
    const h = C.hashedLogits;
    await expectAllClose(hashedLogits(h.seed, h.vocab, h.spread)(h.tokens), h.logits, 'hashedLogits', { atol: 1e-12 });
  });

  it('the greedy trap: greedy gets 0.175, beam width 2 and exhaustive search get 0.36', () => {
    assert.ok(Math.abs(0.5 * 0.35 - C.trap.greedyProb) < 1e-12);
    const beam = beamSearchRef(GREEDY_TRAP.next, [0], { width: 2, maxLength: 2 });
    assert.deepEqual(beam.tokens, C.trap.best.tokens);
    assert.ok(Math.abs(beam.logProb - C.trap.best.logProb) < 1e-12);
    assert.deepEqual(Array.from(sol.decoding.beamSearch(GREEDY_TRAP.next, [0], { width: 2, maxLength: 2 }).tokens), C.trap.best.tokens);
  });

  it('exhaustive search (and a wide beam) match NumPy, with and without end token and length penalty', () => {
    for (const c of C.exhaustive) {
      const next = hashedLogits(c.seed, c.vocab);
      assert.deepEqual(exhaustiveSearchRef(next, [0], { maxLength: c.maxLength }).tokens, c.tokens);
      const beam = beamSearchRef(next, [0], { width: 27, maxLength: c.maxLength });
      assert.deepEqual(beam.tokens, c.tokens);
      assert.ok(Math.abs(beam.logProb - c.logProb) < 1e-9);
    }
    for (const c of C.exhaustiveEnd) {
      const next = hashedLogits(c.seed, c.vocab, 2);
      const opts = { maxLength: c.maxLength, lengthPenalty: c.alpha, endToken: c.endToken };
      const ex = exhaustiveSearchRef(next, [0], opts);
      assert.deepEqual(ex.tokens, c.tokens);
      assert.ok(Math.abs(ex.score - c.score) < 1e-9);
      const beam = sol.decoding.beamSearch(next, [0], { ...opts, width: 64 });
      assert.deepEqual(Array.from(beam.tokens), c.tokens); // the sandbox's arrays come from another realm
      assert.ok(Math.abs(beam.score - c.score) < 1e-9);
    }
  });

  it('a small GPT forward pass (reference and solution) matches NumPy', async () => {
    const g = C.smallGpt;
    await inTensorScope(tf, async () => {
      const w: GptWeights = {};
      for (const [name, t] of Object.entries<{ shape: number[]; data: number[] }>(g.weights)) w[name] = tf.tensor(t.data, t.shape);
      await expectAllClose(gptForwardRef(T, w, g.config, g.tokens).logits, g.logits, 'reference logits', { atol: 1e-4, rtol: 1e-4 });
      await expectAllClose(sol.model.forward(w, g.tokens, g.config), g.logits, 'solution logits', { atol: 1e-4, rtol: 1e-4 });
    });
  });

  it('the trained mini-GPT: reference logits for the lab prompt match NumPy on the same files', async function () {
    if (!trainedModelOnDisk()) this.skip(); // the model is built by scripts/train; the grading test requires it
    const t = C.trainedModel;
    const model = readTrainedModel(findMiniGptDir(__dirname));
    const sha = JSON.parse(readFileSync(join(findMiniGptDir(__dirname), 'model.json'), 'utf8')).weightsSha256;
    assert.ok(t, 'test/fixtures/numpy/lab06.json has no trainedModel case: run python3 scripts/fixtures/lab06_numpy.py');
    assert.equal(sha, t.weightsSha256, 'the model was retrained since the fixture was made: run python3 scripts/fixtures/lab06_numpy.py');
    await inTensorScope(tf, async () => {
      const logits = gptForwardRef(T, weightTensors(T, model), model.config, t.ids).logits;
      await expectAllClose(tf.reshape(tf.slice(logits, [t.ids.length - 1, 0], [1, model.config.vocabSize]), [-1]), t.lastLogits, 'last-position logits', { atol: 1e-3, rtol: 1e-3 });
      assert.deepEqual(Array.from(tf.argMax(logits, 1).dataSync()), t.argmaxPerPosition);
    });
  });
});
