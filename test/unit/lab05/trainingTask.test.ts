// Lab 5's "fine-tune" task (the training panel's run) through the real sidecar with the shipped
// encoder and data: progress streamed in order, the result the panel draws, cancel mid-run with
// every tensor released and the worker warm, and what the run does with the learner's mistakes.
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { RunTaskResult } from '../../../core/protocol/sidecar';
import type { FineTuneTaskResult } from '../../../core/protocol/trainingPanel';
import type { FineTuneInput, TrainingProgress } from '../../../core/protocol/views/trainingView';
import { checkTrainingResult, DEFAULT_TRAINING_INPUT, parseTrainingInput } from '../../../src/panels/trainingData';
import { PAGE_DEFAULTS, PRESETS } from '../../../webviews/training/model';
import { FROZEN_PANEL_RUN, PANEL_RUN } from '../../../labs/05-bert-fine-tuning/checks';
import { testSidecar } from '../../support/sidecar';
import { FILES, LAB_DIR, LAB_ID, LabFile, solution } from './support';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMITS = { timeoutMs: 300_000, memoryMb: 768 };
/** Small enough for a unit test: a frozen encoder and a few dozen messages. */
const QUICK: FineTuneInput = { subset: 48, seqLen: 24, epochs: 1, lr: 1e-2, freezeEncoder: true, seed: 7, pooling: 'cls', validationSize: 32, batchSize: 16 };
type Done = Extract<RunTaskResult, { status: 'done' }>;
type Failed = Extract<RunTaskResult, { error: unknown }>;

const starter = (file: LabFile) => readFileSync(join(LAB_DIR, 'starter', file), 'utf8');

/** The solution's `file` with `from` replaced by `to` (asserting that `from` is there). */
function mutate(file: LabFile, from: string, to: string): string {
  const text = solution(file);
  assert.ok(text.includes(from), `the solution's ${file} no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function run(client: SidecarClient, input: FineTuneInput, texts: Partial<Record<LabFile, string>> = {}, signal?: AbortSignal, seen: TrainingProgress[] = []) {
  const files = FILES.map((path) => ({ path, text: texts[path] ?? solution(path) }));
  return client.runTask({ labId: LAB_ID, files, task: 'fine-tune', input, limits: LIMITS }, (p) => seen.push(p as TrainingProgress), signal);
}

function resultOf(r: RunTaskResult): FineTuneTaskResult {
  assert.ok(r.status === 'done' || r.status === 'cancelled', JSON.stringify(r).slice(0, 400));
  return (r as Done).result as FineTuneTaskResult;
}

describe('Lab 5: the training panel\'s fine-tuning task', function () {
  this.timeout(600_000);
  let client: SidecarClient;

  before(() => {
    client = testSidecar();
  });
  after(async () => client?.dispose());

  it('the panel starts with the run npm run bench times (PANEL_RUN) and offers the quick one (FROZEN_PANEL_RUN), within the bounds', () => {
    const panel = ({ validationSize: _v, ...rest }: FineTuneInput) => ({ init: 'pretrained', ...rest });
    assert.deepEqual(DEFAULT_TRAINING_INPUT, panel(PANEL_RUN));
    assert.deepEqual(PAGE_DEFAULTS, DEFAULT_TRAINING_INPUT);
    assert.deepEqual(PRESETS.map((p) => p.input), [panel(PANEL_RUN), panel(FROZEN_PANEL_RUN)]);
    for (const p of PRESETS) assert.deepEqual(parseTrainingInput({ input: p.input }), p.input, p.name);
  });

  it('streams phases, evaluations and steps in order and ends with what the panel draws', async () => {
    const seen: TrainingProgress[] = [];
    const r = await run(client, QUICK, {}, undefined, seen);
    const result = resultOf(r);
    assert.equal(result.status, 'done');
    assert.equal(checkTrainingResult(result), undefined, 'the panel accepts it');
    const steps = seen.filter((p) => p.kind === 'step');
    assert.deepEqual(steps.map((s) => s.step), [0, 1, 2], '48 messages in batches of 16');
    assert.deepEqual(seen.filter((p) => p.kind === 'eval').map((e) => e.step), result.evals.map((e) => e.step));
    assert.equal(result.evals[0].step, 0, 'an evaluation before training');
    assert.equal(seen[0].kind, 'phase');
    assert.deepEqual(result.referenceParts, [], 'the solution runs every part itself');
    assert.deepEqual(result.partErrors, []);
    assert.equal(result.confusion!.flat().reduce((a, b) => a + b, 0), 32, 'the whole validation sample');
    for (const m of result.misclassified) {
      assert.equal(m.clsAttention.length, result.model.layers);
      assert.equal(m.clsAttention[0].length, result.model.heads);
      for (const head of m.clsAttention.flat()) assert.ok(Math.abs(head.reduce((a, b) => a + b, 0) - 1) < 1e-4, '[CLS] weights sum to 1');
      assert.equal(m.tokens[0], '[CLS]');
    }
  });

  it('cancel mid-run (full fine-tuning): stops with the steps so far, every tensor released, the worker warm, a new run at once', async () => {
    const full: FineTuneInput = { ...QUICK, subset: 640, seqLen: 48, freezeEncoder: false, epochs: 2 };
    await run(client, QUICK);
    const before = await client.stats();
    const seen: TrainingProgress[] = [];
    const ac = new AbortController();
    const pending = run(client, full, {}, ac.signal, seen);
    while (seen.filter((p) => p.kind === 'step').length < 2) await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    const r = await pending;
    assert.equal(r.status, 'cancelled');
    assert.equal((r as Extract<RunTaskResult, { status: 'cancelled' }>).message, 'cancelled', 'a clean stop between steps');
    const result = resultOf(r);
    assert.equal(result.status, 'cancelled');
    assert.ok(result.steps.length >= 2 && result.steps.length < result.steps[0].totalSteps);
    assert.equal(result.final, null);
    const later = await client.stats();
    assert.equal(later.taskWorker!.numTensors, before.taskWorker!.numTensors, 'no tensor left behind');
    assert.equal(later.taskWorker!.restarts, before.taskWorker!.restarts, 'the task worker was not replaced');
    assert.equal(resultOf(await run(client, QUICK)).status, 'done');
  });

  it('the learner\'s confusionMatrix throws: the run goes on with the reference, and the part error has their line', async () => {
    const broken = mutate('metrics.ts', '  const matrix = Array.from(', '  if (predicted.length > 0) throw new Error("counts not ready");\n  const matrix = Array.from(');
    const result = resultOf(await run(client, QUICK, { 'metrics.ts': broken }));
    assert.equal(result.status, 'done');
    assert.equal(result.partErrors.length, 1);
    const e = result.partErrors[0];
    assert.equal(e.fn, 'confusionMatrix');
    assert.match(e.error.message, /counts not ready/);
    assert.equal(e.error.location?.file, 'metrics.ts');
    assert.equal(e.error.location?.line, 6);
    assert.ok(result.confusion, 'the reference confusion matrix stands in');
  });

  it('the learner\'s classificationMetrics returns NaN: named, and the reference stands in', async () => {
    const broken = mutate('metrics.ts', 'return { accuracy: safeDivide(correct, total),', 'return { accuracy: correct / 0 - Infinity,');
    const result = resultOf(await run(client, QUICK, { 'metrics.ts': broken }));
    assert.equal(result.partErrors[0]?.fn, 'classificationMetrics');
    assert.match(result.partErrors[0].error.message, /^classificationMetrics returned .*not \{ accuracy, perClass/);
    assert.ok(result.evals.every((e) => Number.isFinite(e.accuracy)));
  });

  it('the starter: every part the run needs is still a TODO, so the reference runs it, and the result says which', async () => {
    const texts = Object.fromEntries(FILES.map((f) => [f, starter(f)]));
    const result = resultOf(await run(client, QUICK, texts));
    assert.equal(result.status, 'done');
    assert.deepEqual(result.referenceParts, ['classificationMetrics', 'classifierLogits', 'clsPool', 'confusionMatrix', 'crossEntropy', 'makeBatch', 'trainStep']);
  });

  it('a throw in a part training needs stops the run with the learner\'s line', async () => {
    const broken = mutate('batching.ts', 'export function makeBatch(', 'export function makeBatch(...a: unknown[]): never { throw new Error("no batches today"); }\nfunction unused(');
    const r = await run(client, QUICK, { 'batching.ts': broken });
    assert.equal(r.status, 'error');
    assert.match((r as Failed).error.message, /no batches today/);
    assert.equal((r as Failed).error.location?.file, 'batching.ts');
  });
});
