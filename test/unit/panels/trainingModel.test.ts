// The training page's state and chart arithmetic (no DOM).
import assert from 'node:assert/strict';
import type { FineTuneTaskResult, HostToTrainingMessage } from '../../../core/protocol/trainingPanel';
import type { TrainingStepPoint } from '../../../core/protocol/views/trainingView';
import { clsWeights, downsample, initialModel, liveLine, PageModel, reduce, rowShares, smooth } from '../../../webviews/training/model';

const INPUT = { subset: 100, seqLen: 32, epochs: 3, lr: 1e-3, batchSize: 16, freezeEncoder: false, seed: 1, init: 'pretrained' as const, pooling: 'cls' as const };
const step = (s: number, loss = 1): TrainingStepPoint => ({ kind: 'step', step: s, totalSteps: 30, epoch: Math.floor(s / 10), loss, lr: 1e-3, gradNorm: 1, paddedTokens: 512, elapsedMs: 10 * s });
const evalAt = (s: number) => ({ kind: 'eval' as const, step: s, loss: 0.5, accuracy: 0.8, precision: 0.7, recall: 0.7, f1: 0.7, macroF1: 0.75, hardHamAccuracy: 0.6 });

function apply(model: PageModel, ...msgs: HostToTrainingMessage[]) {
  let m = model;
  const changed = [];
  for (const msg of msgs) {
    const r = reduce(m, msg);
    m = r.model;
    changed.push(r.changed);
  }
  return { m, changed };
}

describe('training panel page: state', () => {
  it('progress appends and redraws only the status and the curves', () => {
    const { m, changed } = apply(
      initialModel(),
      { type: 'phase', body: { phase: 'running', note: 'go', input: INPUT } },
      { type: 'progress', body: { steps: [step(0), step(1)], evals: [], totalSteps: 30, elapsedMs: 100 } },
      { type: 'progress', body: { steps: [step(2)], evals: [evalAt(2)], elapsedMs: 200 } },
    );
    assert.deepEqual(m.steps.map((s) => s.step), [0, 1, 2]);
    assert.equal(m.evals.length, 1);
    assert.equal(m.totalSteps, 30, 'kept when a later message has none');
    assert.deepEqual(changed[1], { status: true, curves: true, result: false });
  });

  it('a new run clears the last run\'s curves and result; cancelling does not', () => {
    const result = { status: 'cancelled' } as FineTuneTaskResult;
    let { m } = apply(
      initialModel(),
      { type: 'phase', body: { phase: 'running', note: 'go', input: INPUT } },
      { type: 'progress', body: { steps: [step(0)], evals: [], elapsedMs: 1 } },
      { type: 'phase', body: { phase: 'cancelling', note: 'stopping' } },
      { type: 'result', body: { result } },
      { type: 'phase', body: { phase: 'cancelled', note: 'stopped' } },
    );
    assert.equal(m.steps.length, 1);
    assert.equal(m.result, result);
    assert.deepEqual(m.input, INPUT, 'the run\'s input survives phase messages without one');
    ({ m } = apply(m, { type: 'phase', body: { phase: 'running', note: 'again', input: { ...INPUT, epochs: 1 } } }));
    assert.deepEqual(m.steps, []);
    assert.equal(m.result, undefined);
    assert.equal(m.input!.epochs, 1);
  });

  it('a snapshot replaces everything (a re-shown page)', () => {
    const { m, changed } = apply(initialModel(), {
      type: 'snapshot',
      body: { phase: 'running', note: 'n', input: INPUT, steps: [step(0), step(1)], evals: [], totalSteps: 30, elapsedMs: 5000, labTitle: 'Lab 5' },
    });
    assert.equal(m.steps.length, 2);
    assert.equal(m.labTitle, 'Lab 5');
    assert.deepEqual(changed[0], { status: true, curves: true, result: true });
    assert.equal(liveLine(m), 'Epoch 1 of 3 · step 2 of 30 · loss 1.000 · 5.0 s');
  });

  it('says what the run is doing before the first step and after the last, and shows a diverged loss as it is', () => {
    const m = { ...initialModel(), phase: 'running' as const, elapsedMs: 1500 };
    assert.equal(liveLine(m), 'Preparing the data and the model… 1.5 s');
    assert.equal(liveLine({ ...m, activity: 'encoding 320 messages with the frozen encoder' }), 'Encoding 320 messages with the frozen encoder… 1.5 s');
    assert.match(liveLine({ ...m, steps: [step(29)], input: INPUT, totalSteps: 30, activity: 'attention of [CLS]' }), /step 30 of 30 · loss 1\.000 · 1\.5 s · attention of \[CLS\]$/);
    assert.match(liveLine({ ...m, steps: [step(4, NaN)] }), /loss NaN/);
    assert.equal(liveLine(initialModel()), '');
  });
});

describe('training panel page: chart arithmetic', () => {
  it('downsamples to at most max points (+ the last), keeping the first and the last', () => {
    const pts = Array.from({ length: 1001 }, (_, i) => i);
    const d = downsample(pts, 100);
    assert.ok(d.length <= 101, `${d.length}`);
    assert.equal(d[0], 0);
    assert.equal(d[d.length - 1], 1000);
    assert.equal(downsample([1, 2, 3], 100).length, 3);
  });

  it('smooths with a bias-corrected moving average: a constant stays constant, NaN passes as a gap', () => {
    assert.deepEqual(smooth([2, 2, 2]).map((v) => Number(v.toFixed(12))), [2, 2, 2]);
    const s = smooth([1, NaN, 0], 0.5);
    assert.equal(s[0], 1);
    assert.ok(Number.isNaN(s[1]));
    assert.ok(Math.abs(s[2] - (0.5 * 0.5 * 1 + 0) / (1 - 0.25)) < 1e-12);
  });

  it('row shares of a confusion matrix, 0 for an empty row', () => {
    assert.deepEqual(rowShares([[3, 1], [0, 0]]), [[0.75, 0.25], [0, 0]]);
  });

  it('[CLS] weights of a layer and head, or the mean over heads; out-of-range picks are clamped', () => {
    const att = [[[1, 0], [0, 1]], [[0.5, 0.5], [0.25, 0.75]]];
    assert.deepEqual(clsWeights(att, 0, 1), [0, 1]);
    assert.deepEqual(clsWeights(att, 1, -1), [0.375, 0.625]);
    assert.deepEqual(clsWeights(att, 9, 0), [0.5, 0.5]);
    assert.deepEqual(clsWeights([], 0, 0), []);
  });
});
