// The fine-tuning run behind the training panel (fineTuneRun in the lab's check module), in
// process the way the sidecar's worker calls it: the learner's functions through the sandbox and
// the check context, the shipped encoder and data. It streams steps and evaluations, returns to
// the event loop between steps, stops on a cancel with every tensor freed (and a new run can
// start at once), repeats exactly with a seed, and uses the reference for functions still at TODO.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { CheckContext, Tf } from '../../../core/checks/checkApi';
import { findBuildPaths } from '../../../core/compute/paths';
import type { FineTuneInput, TrainingProgress, TrainingResult } from '../../../core/protocol/views/trainingView';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import { createCheckContext } from '../../../sidecar/runner/checkContext';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { FILES, LAB_DIR } from './support';

type RunFn = (ctx: CheckContext, input: FineTuneInput, hooks: { progress(p: TrainingProgress): void; aborted(): boolean }) => Promise<TrainingResult & { referenceParts: string[] }>;

function context(which: 'solution' | 'starter'): CheckContext {
  const { files, diagnostics } = transpile(FILES.map((path) => ({ path, text: readFileSync(join(LAB_DIR, which, path), 'utf8') })));
  assert.deepEqual(diagnostics, []);
  return createCheckContext(tf as unknown as Tf, new Sandbox(files, { tf, helpers, log: () => undefined }));
}

const SMALL: FineTuneInput = { subset: 32, seqLen: 24, epochs: 2, lr: 1e-3, freezeEncoder: false, seed: 9, batchSize: 8, validationSize: 16, evalEvery: 2 };

describe('Lab 5 fineTuneRun (the training panel\'s run)', function () {
  this.timeout(240_000);
  let fineTuneRun: RunFn;

  before(async () => {
    await loadBackend('wasm');
    fineTuneRun = (require(join(findBuildPaths(__dirname).labsDist, '05-bert-fine-tuning', 'checks.js')) as { fineTuneRun: RunFn }).fineTuneRun;
  });

  it('streams every step and evaluation, fine-tunes all weights with the learner\'s functions, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const events: TrainingProgress[] = [];
    const r = await fineTuneRun(context('solution'), SMALL, { progress: (p) => events.push(p), aborted: () => false });
    assert.equal(r.status, 'done');
    assert.deepEqual(r.referenceParts, []);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    const steps = events.filter((e) => e.kind === 'step');
    assert.equal(steps.length, 8); // 32 messages / 8 × 2 epochs
    assert.deepEqual(r.steps.map((s) => s.step), [0, 1, 2, 3, 4, 5, 6, 7]);
    // The schedule the learner wrote: 10 % of 8 steps rounds to 1 warm-up step.
    assert.equal(r.steps[0].lr, 0);
    assert.equal(r.steps[1].lr, SMALL.lr);
    assert.ok(Math.abs(r.steps[7].lr - SMALL.lr / 7) < 1e-12);
    assert.deepEqual(r.evals.map((e) => e.step), [0, 2, 4, 6, 8]);
    assert.ok(r.steps.every((s) => Number.isFinite(s.loss) && s.gradNorm > 0));
    assert.equal(r.confusion!.flat().reduce((a, b) => a + b, 0), 16);
    assert.equal(r.model.trainedParameters, r.model.parameters);
    for (const m of r.misclassified) {
      assert.equal(m.tokens[0], '[CLS]');
      assert.equal(m.clsAttention.length, r.model.layers);
      for (const head of m.clsAttention.flat()) {
        assert.equal(head.length, m.tokens.length);
        assert.ok(Math.abs(head.reduce((a, b) => a + b, 0) - 1) < 1e-4);
      }
    }
  });

  it('returns to the event loop between steps, and a cancel stops it cleanly; a new run starts at once', async () => {
    const before = tf.memory().numTensors;
    let ticks = 0;
    let stepsSeen = 0;
    let cancel = false;
    const ticker = setInterval(() => ticks++, 0);
    const r = await fineTuneRun(context('solution'), { ...SMALL, epochs: 4 }, {
      progress: (p) => {
        if (p.kind === 'step' && ++stepsSeen === 3) cancel = true;
      },
      aborted: () => cancel,
    });
    clearInterval(ticker);
    assert.equal(r.status, 'cancelled');
    assert.equal(r.steps.length, 3);
    assert.equal(r.final, null);
    assert.ok(ticks >= 3, `the event loop ran only ${ticks} times during the run`);
    assert.equal(tf.memory().numTensors, before, 'a cancelled run leaked tensors');
    const again = await fineTuneRun(context('solution'), { ...SMALL, epochs: 1 }, { progress: () => undefined, aborted: () => false });
    assert.equal(again.status, 'done');
  });

  it('repeats exactly with the same seed, and differs with another', async () => {
    const run = (seed: number) => fineTuneRun(context('solution'), { ...SMALL, seed, epochs: 1 }, { progress: () => undefined, aborted: () => false });
    const [a, b, c] = [await run(4), await run(4), await run(5)];
    assert.deepEqual(a.steps.map((s) => s.loss), b.steps.map((s) => s.loss));
    assert.equal(JSON.stringify(a.confusion), JSON.stringify(b.confusion)); // arrays from the sandbox: another realm
    assert.notDeepEqual(a.steps.map((s) => s.loss), c.steps.map((s) => s.loss));
  });

  it('uses the reference for every function still at its TODO, and says which', async () => {
    const r = await fineTuneRun(context('starter'), { ...SMALL, epochs: 1, freezeEncoder: true, pooling: 'mean' }, { progress: () => undefined, aborted: () => false });
    assert.equal(r.status, 'done');
    assert.deepEqual(r.referenceParts, ['classificationMetrics', 'classifierLogits', 'confusionMatrix', 'crossEntropy', 'makeBatch', 'meanPool', 'trainStep']);
    assert.ok(r.model.trainedParameters < r.model.parameters / 100, 'a frozen encoder trains only the head');
  });
});
