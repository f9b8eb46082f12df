// The training panel's host logic: bounded inputs, one run at a time, progress batched to a few
// messages a second and kept whole for a re-shown page, cancel, and a sentence for every ending.
// Runs against the real sidecar and the fixture lab's small fine-tuning task; the endings the
// sidecar cannot be made to produce on demand use a stand-in source.
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { RunTaskResult } from '../../../core/protocol/sidecar';
import type { FineTuneTaskResult, HostToTrainingMessage, TrainingInput } from '../../../core/protocol/trainingPanel';
import type { TrainingStepPoint } from '../../../core/protocol/views/trainingView';
import type { Unavailable } from '../../../src/panels/labViewController';
import { RunHandle, statusLine, TrainingController, TrainingSource } from '../../../src/panels/trainingController';
import { checkTrainingResult, DEFAULT_TRAINING_INPUT, parseTrainingInput, progressItem } from '../../../src/panels/trainingData';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const WORK = `
export function two(): number { return 2; }
export function lrAt(step: number, total: number, peak: number): number { return peak * (1 - step / total); }
export function confusion(labels: number[], preds: number[]): number[][] {
  const m = [[0, 0], [0, 0]];
  labels.forEach((l, i) => m[l][preds[i]]++);
  return m;
}
`;
const BROKEN_CONFUSION = WORK.replace('const m = [[0, 0], [0, 0]];', 'throw new Error("confusion is not written yet");');
const INPUT: TrainingInput = { subset: 96, seqLen: 14, epochs: 2, lr: 0.05, batchSize: 16, freezeEncoder: false, seed: 3, init: 'pretrained', pooling: 'cls' };
const STEP: TrainingStepPoint = { kind: 'step', step: 3, totalSteps: 40, epoch: 0, loss: 0.5, lr: 1e-3, gradNorm: 2.5, paddedTokens: 512, elapsedMs: 900 };
const EVAL = { kind: 'eval', step: 9, loss: 0.2, accuracy: 0.9, precision: 0.8, recall: 0.7, f1: 0.75, macroF1: 0.8, hardHamAccuracy: 0.6 };

function harness(source: TrainingSource, flushMs = 250) {
  const posted: HostToTrainingMessage[] = [];
  const runs: RunHandle[] = [];
  const notified: { fraction?: number; message: string }[] = [];
  const c = new TrainingController({
    source,
    flushMs,
    post: (m) => posted.push(m),
    onRunStarted: (r) => {
      runs.push(r);
      r.onProgress((p) => notified.push(p));
    },
  });
  const phases = () => posted.filter((m) => m.type === 'phase').map((m) => (m.body as { phase: string }).phase);
  const note = () => [...posted].reverse().find((m) => m.type === 'phase')?.body as { note: string; detail?: string } | undefined;
  return { c, posted, runs, notified, phases, note };
}

function fake(answer: () => Promise<RunTaskResult | Unavailable>): TrainingSource {
  return { run: () => answer(), labTitle: () => 'Fake lab' };
}

describe('training panel: inputs and task payloads', () => {
  it('accepts the defaults and refuses each field out of range, naming it and its range', () => {
    assert.deepEqual(parseTrainingInput({ input: DEFAULT_TRAINING_INPUT }), DEFAULT_TRAINING_INPUT);
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, epochs: 0 } }), 'epochs must be a whole number from 1 to 50, not 0');
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, seqLen: 12.5 } }), 'seqLen must be a whole number from 8 to 128, not 12.5');
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, lr: 1 } }), 'lr must be a number from 0.000001 to 0.1, not 1');
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, subset: '400' } }), 'subset must be a whole number from 16 to 4000, not "400"');
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, batchSize: 0 } }), 'batchSize must be a whole number from 1 to 1024, not 0');
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, freezeEncoder: 'yes' } }), 'freezeEncoder must be true or false, not "yes"');
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, init: 'imagenet' } }), 'init must be pretrained or random, not "imagenet"');
    assert.equal(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, pooling: undefined } }), 'pooling must be cls or mean, not undefined');
    assert.deepEqual(parseTrainingInput({ input: { ...DEFAULT_TRAINING_INPUT, validationSize: 4096, extra: 'x' } }), DEFAULT_TRAINING_INPUT, 'fields the panel does not set are dropped');
    assert.equal(parseTrainingInput({ input: [1] }), 'input must be an object');
    assert.equal(parseTrainingInput(null), 'input must be an object');
  });

  it('reads the lab\'s step, evaluation and phase reports (a diverged NaN loss included) and ignores anything else', () => {
    assert.deepEqual(progressItem(STEP), { step: STEP });
    assert.ok(Number.isNaN((progressItem({ ...STEP, loss: NaN }) as { step: TrainingStepPoint }).step.loss));
    assert.deepEqual(progressItem(EVAL), { eval: EVAL });
    assert.deepEqual(progressItem({ kind: 'phase', phase: 'encoding', message: 'encoding 320 messages' }), { activity: 'encoding 320 messages' });
    assert.deepEqual(progressItem({ kind: 'phase', phase: 'training', message: '2 epochs' }), { activity: undefined }, 'while steps run the step line says it');
    assert.equal(progressItem({ ...STEP, step: '3' }), undefined);
    assert.equal(progressItem({ ...STEP, gradNorm: undefined }), undefined);
    assert.equal(progressItem({ ...EVAL, hardHamAccuracy: undefined }), undefined);
    assert.equal(progressItem('hello'), undefined);
  });

  it('says what is wrong with a result it cannot draw', () => {
    assert.equal(checkTrainingResult(null), 'no result');
    const ok = {
      status: 'done', input: DEFAULT_TRAINING_INPUT, classNames: ['ham', 'spam'], steps: [STEP], evals: [EVAL],
      confusion: [[1, 0], [0, 1]],
      final: { accuracy: 1, perClass: [{ precision: 1, recall: 1, f1: 1, support: 1 }, { precision: 1, recall: 1, f1: 1, support: 1 }], macroF1: 1, hardHamAccuracy: 1 },
      misclassified: [{ id: 'v/1', group: 'hard-ham', label: 0, predicted: 1, pSpam: 0.6, text: 'hi', tokens: ['[CLS]', 'hi'], clsAttention: [[[0.5, 0.5]]] }],
      data: { train: {}, validation: {} }, model: { layers: 2, heads: 4, parameters: 10, trainedParameters: 2 },
      timing: { totalMs: 5, trainMs: 4, examplesPerSecond: 100 }, referenceParts: [], partErrors: [],
    };
    assert.equal(checkTrainingResult(ok), undefined);
    assert.equal(checkTrainingResult({ ...ok, final: null, confusion: null, misclassified: [], status: 'cancelled' }), undefined, 'a cancelled run has no final evaluation');
    assert.equal(checkTrainingResult({ ...ok, status: 'partial' }), 'status must be done or cancelled');
    assert.equal(checkTrainingResult({ ...ok, confusion: [[1, 0]] }), 'confusion must be null or 2×2 numbers');
    assert.equal(checkTrainingResult({ ...ok, steps: [{ ...STEP, lr: 'x' }] }), 'steps must be training step points');
    assert.equal(checkTrainingResult({ ...ok, final: { ...ok.final, perClass: [] } }), 'final.perClass must have 2 entries');
    assert.equal(checkTrainingResult({ ...ok, misclassified: [{ ...ok.misclassified[0], clsAttention: [[[1]]] }] }), 'misclassified 1: clsAttention must be [layer][head][2 tokens]');
    assert.equal(checkTrainingResult({ ...ok, partErrors: undefined }), 'referenceParts and partErrors must be lists');
  });

  it('the notification line: epoch, step and loss of the last step', () => {
    assert.equal(statusLine([], 10, 2), 'preparing the data and the model…');
    assert.equal(statusLine([{ ...STEP, step: 4, epoch: 1, loss: 0.41234 }], 10, 2), 'epoch 2/2 · step 5/10 · loss 0.412');
    assert.equal(statusLine([], 10, 2, 'encoding 320 messages'), 'encoding 320 messages');
  });
});

describe('training panel: host controller with the real sidecar', function () {
  this.timeout(120_000);
  let client: SidecarClient;
  const source = (text = WORK): TrainingSource => ({
    run: (input, onProgress, signal) => client.runTask({ labId: 'fixture-lab', files: [{ path: 'work.ts', text }], task: 'fine-tune', input, limits: { timeoutMs: 60_000, memoryMb: 256 } }, onProgress, signal),
    labTitle: () => 'Fixture lab',
  });

  before(() => {
    client = testSidecar({ labsDist: FIXTURE_LABS });
  });
  after(async () => client.dispose());

  it('a whole run: running, batched progress in step order, the result, done; the notification reaches 100 %', async () => {
    const { c, posted, runs, notified, phases, note } = harness(source());
    assert.equal(c.onStart({ input: INPUT }), undefined);
    assert.equal(runs.length, 1);
    await runs[0].done;
    assert.deepEqual(phases(), ['running', 'done']);
    const progress = posted.filter((m) => m.type === 'progress').map((m) => m.body as { steps: TrainingStepPoint[]; evals: unknown[] });
    const steps = progress.flatMap((p) => p.steps.map((s) => s.step));
    const result = (posted.find((m) => m.type === 'result')!.body as { result: FineTuneTaskResult }).result;
    const total = result.steps[0].totalSteps;
    assert.deepEqual(steps, Array.from({ length: total }, (_, i) => i), 'every step once, in order');
    assert.equal(progress.flatMap((p) => p.evals).length, 3, 'one evaluation per epoch and the final one');
    assert.ok(progress.length < steps.length / 2, `batched: ${progress.length} messages for ${steps.length} steps`);
    assert.equal(result.steps.length, total);
    assert.deepEqual(result.partErrors, [], 'the learner\'s confusion() ran');
    assert.match(note()!.note, new RegExp(`^Fine-tuned: ${total} of ${total} steps in .*; validation F1 \\(spam\\) \\d\\.\\d{3}, accuracy \\d\\.\\d{3}\\.$`));
    assert.equal(notified[notified.length - 1].fraction, 1);
    assert.match(notified[notified.length - 1].message, /^epoch 2\/2 · step \d+\/\d+ · loss /);
    // The learner's linear decay reached the task: the reported rates fall to near 0.
    const lrs = progress.flatMap((p) => p.steps.map((s) => s.lr));
    assert.equal(lrs[0], INPUT.lr);
    assert.ok(lrs[lrs.length - 1] < INPUT.lr * 0.1);
  });

  it('a page that reloads (hidden, then shown) gets everything so far in one snapshot', async () => {
    const { c, posted, runs } = harness(source());
    c.onStart({ input: INPUT });
    await new Promise((r) => setTimeout(r, 300));
    c.setVisible(false);
    const before = posted.length;
    await runs[0].done;
    assert.equal(posted.length, before, 'nothing is posted to a hidden page');
    c.setVisible(true);
    c.onReady();
    const snap = posted[posted.length - 1];
    assert.equal(snap.type, 'snapshot');
    const b = snap.body as { phase: string; steps: unknown[]; result?: FineTuneTaskResult; labTitle: string };
    assert.equal(b.phase, 'done');
    assert.equal(b.steps.length, b.result!.steps.length);
    assert.equal(b.labTitle, 'Fixture lab');
  });

  it('cancel mid-run: cancelling, then cancelled with the partial result; a second Start meanwhile is refused; checks answer at once after', async () => {
    const { c, posted, runs, phases, note } = harness(source(), 50);
    c.onStart({ input: { ...INPUT, subset: 4000, epochs: 20 } });
    assert.match(String(c.onStart({ input: INPUT })), /already under way/);
    while (!posted.some((m) => m.type === 'progress')) await new Promise((r) => setTimeout(r, 20));
    runs[0].cancel();
    assert.equal(c.phase, 'cancelling');
    await runs[0].done;
    assert.deepEqual(phases(), ['running', 'cancelling', 'cancelled']);
    assert.match(note()!.note, /^Cancelled after \d+ of 5000 steps in [\d.]+ s\.$/);
    const result = (posted.find((m) => m.type === 'result')!.body as { result: FineTuneTaskResult }).result;
    assert.equal(result.status, 'cancelled');
    assert.ok(result.steps.length < result.steps[0].totalSteps);
    assert.equal(result.final, null);
    const check = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: WORK }], checkIds: ['returns-two'], limits: { timeoutMs: 4000, memoryMb: 256 } });
    assert.equal(check.results[0].status, 'pass');
    // And a new run starts at once.
    assert.equal(c.onStart({ input: { ...INPUT, epochs: 1 } }), undefined);
    await c.idle();
    assert.equal(c.phase, 'done');
  });

  it('the learner\'s confusion() throws: the part error carries it with the learner\'s line, the reference stands in', async () => {
    const { c, posted } = harness(source(BROKEN_CONFUSION));
    c.onStart({ input: { ...INPUT, epochs: 1 } });
    await c.idle();
    assert.equal(c.phase, 'done');
    const result = (posted.find((m) => m.type === 'result')!.body as { result: FineTuneTaskResult }).result;
    assert.equal(result.partErrors.length, 1);
    assert.equal(result.partErrors[0].fn, 'confusion');
    assert.match(result.partErrors[0].error.message, /confusion is not written yet/);
    assert.equal(result.partErrors[0].error.location?.line, 5);
    assert.ok(result.confusion);
  });
});

describe('training panel: host controller endings', () => {
  it('the task stopped on the learner\'s throw: the sentence names it and their line', async () => {
    const { c, note } = harness(fake(async () => ({ status: 'error', error: { message: 'lrAt threw Error: no', location: { file: 'train.ts', line: 12, column: 3 } }, compileErrors: [], backend: 'wasm', durationMs: 5 })));
    c.onStart({ input: INPUT });
    await c.idle();
    assert.equal(c.phase, 'failed');
    assert.equal(note()!.note, 'Fine-tuning stopped: lrAt threw Error: no (train.ts:12:3)');
  });

  it('code that does not compile, a time limit, an unavailable lab, a sidecar failure, an undrawable result: each its own sentence', async () => {
    const cases: [() => Promise<RunTaskResult | Unavailable>, RegExp][] = [
      [async () => ({ status: 'error', error: { message: 'x' }, compileErrors: [{ file: 'train.ts', line: 2, column: 4, endLine: 2, endColumn: 5, message: "';' expected" }], backend: 'wasm', durationMs: 1 }), /^Your code does not compile: train\.ts:2:4 ';' expected$/],
      [async () => ({ status: 'timeout', error: { message: 'stopped at its time limit of 900 s' }, compileErrors: [], backend: 'wasm', durationMs: 1 }), /^Fine-tuning stopped after 0 steps in .*: stopped at its time limit of 900 s\.$/],
      [async () => ({ unavailable: 'Open a lab folder first (Transformer Labs: Open Lab…).' }), /^Open a lab folder first/],
      [async () => Promise.reject(Object.assign(new Error('the compute sidecar killed by SIGKILL during the task "fine-tune"; start it again'), { name: 'SidecarCrashedError' })), /^Fine-tuning stopped: the compute process failed\. Start again to retry\.$/],
      [async () => ({ status: 'done', result: { stepsDone: 1 }, backend: 'wasm', durationMs: 1 }), /^The fine-tuning task sent a result the panel cannot draw\.$/],
    ];
    for (const [answer, expected] of cases) {
      const { c, note } = harness(fake(answer));
      c.onStart({ input: INPUT });
      await c.idle();
      assert.equal(c.phase, 'failed');
      assert.match(note()!.note, expected);
    }
  });

  it('refuses out-of-range inputs with a sentence and starts nothing', () => {
    let ran = 0;
    const { c, note, runs } = harness({ run: async () => (ran++, { unavailable: 'x' }), labTitle: () => undefined });
    assert.match(String(c.onStart({ input: { ...INPUT, epochs: 99 } })), /epochs must be/);
    assert.equal(note()!.note, 'Not started: epochs must be a whole number from 1 to 50, not 99.');
    assert.equal(runs.length, 0);
    assert.equal(ran, 0);
    assert.equal(c.phase, 'idle');
  });

  it('closing the panel mid-run cancels the run', async () => {
    let signal: AbortSignal | undefined;
    const { c, runs } = harness({
      run: (_i, _p, s) => {
        signal = s;
        return new Promise((resolve) => s.addEventListener('abort', () => resolve({ status: 'cancelled', message: 'cancelled', backend: 'wasm', durationMs: 1 })));
      },
      labTitle: () => undefined,
    });
    c.onStart({ input: INPUT });
    c.dispose();
    assert.equal(signal?.aborted, true);
    await runs[0].done;
  });
});
