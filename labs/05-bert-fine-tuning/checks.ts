// Lab 5 checks: batching, the classification head, the training step's parts and the metrics,
// then a seeded fine-tuning run of the shipped pretrained encoder put together from the
// learner's own functions. Trusted code in the sidecar's worker; learner functions only via ctx.fn.
// Also exports fineTuneRun, the training panel's entry point.
// clipGradNorm and trainStep return numbers read from tensors, which the webgpu backend can only
// read with `await`: they are asked for with { async: true }, so the learner may write them
// async (the starter does) or, on wasm and cpu, synchronously with dataSync.
import type { CheckContext, FnOptions, LabModule, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import { describe, expectAllClose, expectFinite, expectShape, fmt, toNested } from '../../core/checks/expect';
import type { FineTuneInput, TrainingProgress, TrainingResult } from '../../core/protocol/views/trainingView';
import { clsPoolRef, classifierLogitsRef, crossEntropyRef, meanPoolRef } from '../../sidecar/reference/encoder/classifier';
import { clipGradNormRef } from '../../sidecar/reference/encoder/clipping';
import { isMlmHead, tensorSpecs } from '../../sidecar/reference/encoder/config';
import { encode, type Params } from '../../sidecar/reference/encoder/encoder';
import { fineTune, makeBatchRef, referenceParts, type FineTuneParts, type SpecialIds } from '../../sidecar/reference/encoder/finetune';
import { classificationMetricsRef, confusionMatrixRef, type Metrics } from '../../sidecar/reference/encoder/metrics';
import { linearWarmupDecayRef, type ScheduleOptions } from '../../sidecar/reference/encoder/schedule';
import { shippedEncoder } from '../../sidecar/reference/encoder/shipped';
import { spamData } from '../../sidecar/reference/encoder/spamData';
import { trainableParametersRef, type Optimizer, type StepResult } from '../../sidecar/reference/encoder/trainStep';
import { withMetricsFallback } from './trainingTask';

const BATCHING = 'batching.ts';
const HEAD = 'classifier.ts';
const TRAIN = 'training.ts';
const METRICS = 'metrics.ts';
type Tensor = ReturnType<Tf['tensor']>;
type Tokenize = (text: string) => number[];
type MakeBatch = (texts: string[], tokenize: Tokenize, special: SpecialIds, maxLen: number) => unknown;
type ClipGradNorm = (g: Record<string, Tensor>, m: number) => Promise<unknown>;
type TrainStep = (p: unknown, l: () => unknown, o: Optimizer, s: unknown) => Promise<unknown>;
const ASYNC: FnOptions = { async: true };

/**
 * The seeded short run of "finetune-reaches-f1": the frozen encoder's mean-pooled outputs for
 * 128 messages (computed once per worker, then cached), a head trained on all of them at once
 * for 40 steps, scored on 64 validation messages. The reference reaches a spam F1 of 0.72 here;
 * calling everything spam gives 0.46 and everything ham 0. (The frozen features of this small
 * encoder are weak: INSTRUCTIONS.md §6.)
 */
export const SHORT_RUN: FineTuneInput = { subset: 128, seqLen: 32, epochs: 40, lr: 0.05, freezeEncoder: true, seed: 55, pooling: 'mean', batchSize: 128, validationSize: 64, evalEvery: 40 };
export const SHORT_RUN_MIN_F1 = 0.6;
/** What the training panel runs by default, timed by npm run bench (target ≤ 2 minutes on wasm, 2 cores). */
export const PANEL_RUN: FineTuneInput = { subset: 512, seqLen: 64, epochs: 2, lr: 3e-4, freezeEncoder: false, seed: 1, pooling: 'cls', batchSize: 16, validationSize: 256 };
/** The panel's quick alternative: only the head trains, on the frozen encoder's mean-pooled outputs. */
export const FROZEN_PANEL_RUN: FineTuneInput = { subset: 1024, seqLen: 64, epochs: 20, lr: 0.05, freezeEncoder: true, seed: 1, pooling: 'mean', batchSize: 128, validationSize: 256 };

// ── helpers ──

/** A stand-in tokenizer for the batching checks: one id per character (10 + code point mod 90). */
export const charTokenize: Tokenize = (text) => Array.from(text, (c) => 10 + (c.codePointAt(0)! % 90));
/** Special ids as far from 0 as the encoder's own (they come after the merges). */
export const FAKE_SPECIAL: SpecialIds = { cls: 101, sep: 102, pad: 100 };

function numberRows(value: unknown, what: string): number[][] {
  if (!Array.isArray(value) || value.some((r) => !Array.isArray(r) || r.some((x: unknown) => typeof x !== 'number'))) {
    throw new CheckFailure(`${what} should be an array of rows of numbers`, { expected: 'number[][]', actual: describe(value) });
  }
  return value as number[][];
}

interface BatchLike {
  ids: number[][];
  mask: number[][];
  lengths: number[];
}

function asBatch(value: unknown, call: string): BatchLike {
  const v = value as Partial<BatchLike> | undefined;
  if (!v || typeof v !== 'object' || !('ids' in v) || !('mask' in v) || !('lengths' in v)) {
    throw new CheckFailure(`${call} should return { ids, mask, lengths }`, { expected: '{ ids: number[][], mask: number[][], lengths: number[] }', actual: describe(value) });
  }
  const lengths = v.lengths;
  if (!Array.isArray(lengths) || lengths.some((x) => typeof x !== 'number')) {
    throw new CheckFailure(`${call}.lengths should be an array of numbers`, { expected: 'number[]', actual: describe(lengths) });
  }
  return { ids: numberRows(v.ids, `${call}.ids`), mask: numberRows(v.mask, `${call}.mask`), lengths };
}

const show = (row: number[], s: SpecialIds = FAKE_SPECIAL) =>
  `[${row.map((id) => (id === s.cls ? 'CLS' : id === s.sep ? 'SEP' : id === s.pad ? 'PAD' : String(id))).join(' ')}]`;

/** Compares a learner's batch with the reference, naming the most likely mistake. */
function expectBatch(got: BatchLike, exp: BatchLike, call: string, s: SpecialIds): void {
  if (got.ids.length !== exp.ids.length) {
    throw new CheckFailure(`${call} returned ${got.ids.length} rows of ids for ${exp.ids.length} texts`, { expected: `${exp.ids.length} rows`, actual: `${got.ids.length} rows` });
  }
  const width = exp.ids[0]?.length ?? 0;
  got.ids.forEach((row, i) => {
    const e = exp.ids[i];
    if (row.join() === e.join()) return;
    let why = '';
    if (row[0] !== s.cls) why = 'each row starts with [CLS]';
    else if (row.length === e.length + 1 && row.filter((x) => x !== s.pad).length > exp.lengths[i]) why = `keep only the first maxLen − 2 tokens, so that [CLS] and [SEP] fit in maxLen`;
    else if (!row.includes(s.sep)) why = 'each row ends its real tokens with [SEP]';
    else if (row.length > width && row.slice(width).every((x) => x === s.pad)) why = `pad to the longest row of this batch (${width}), not to maxLen`;
    else if (row.length !== width) why = `every row is padded with [PAD] to the same width, the batch's longest row (${width})`;
    else if (row.indexOf(s.sep) < e.indexOf(s.sep)) why = 'truncate the tokens to maxLen − 2 (not maxLen − 1 or fewer), then add [CLS] and [SEP]';
    else why = '[CLS], the first maxLen − 2 tokens, [SEP], then [PAD] to the batch\'s longest row';
    throw new CheckFailure(`${call}: row ${i} is ${show(row, s)} but should be ${show(e, s)}: ${why}`, { expected: show(e, s), actual: show(row, s) });
  });
  got.mask.forEach((row, i) => {
    if (row.join() !== exp.mask[i].join()) {
      const why = row.length !== exp.mask[i].length ? 'the mask has one entry per id' : 'the mask is 1 on every real token ([CLS] and [SEP] included) and 0 on padding';
      throw new CheckFailure(`${call}: mask row ${i} is [${row.join(' ')}] but should be [${exp.mask[i].join(' ')}]: ${why}`, {
        expected: `[${exp.mask[i].join(' ')}]`,
        actual: `[${row.join(' ')}]`,
      });
    }
  });
  if (got.lengths.join() !== exp.lengths.join()) {
    throw new CheckFailure(`${call}: lengths are [${got.lengths.join(', ')}] but should be [${exp.lengths.join(', ')}] (real tokens per row, [CLS] and [SEP] included)`, {
      expected: `[${exp.lengths.join(', ')}]`,
      actual: `[${got.lengths.join(', ')}]`,
    });
  }
}

function callMakeBatch(makeBatch: MakeBatch, texts: string[], maxLen: number, s: SpecialIds = FAKE_SPECIAL, tokenize: Tokenize = charTokenize): { got: BatchLike; call: string } {
  const call = `makeBatch(${JSON.stringify(texts.map((t) => (t.length > 24 ? t.slice(0, 21) + '…' : t)))}, tokenize, ${JSON.stringify(s)}, ${maxLen})`;
  return { got: asBatch(makeBatch(texts.slice(), tokenize, { ...s }, maxLen), call), call };
}

/** The shipped encoder's body as tensors (in the caller's scope), with its config and special ids. */
function encoderSetup(tf: Tf) {
  const file = shippedEncoder();
  const p: Params = {};
  for (const s of tensorSpecs(file.config)) if (!isMlmHead(s.name)) p[s.name] = tf.tensor(file.tensors[s.name].data, s.shape, 'float32');
  const special: SpecialIds = { cls: file.special['[CLS]'], sep: file.special['[SEP]'], pad: file.special['[PAD]'] };
  const tokenize: Tokenize = (t) => file.tokenizer.encode(t, { disallowedSpecial: [] });
  return { file, p, special, tokenize };
}

/** tf.grad of f at x, or a CheckFailure saying that no gradient flows through `what`. */
function gradientOf(tf: Tf, f: (x: Tensor) => Tensor, x: Tensor, what: string): Tensor {
  try {
    return tf.grad(f)(x);
  } catch (err) {
    // The learner's function itself threw (a TODO, a bug): that is its own error, not a missing gradient.
    if ((err as Error)?.name === 'LearnerError' || (err as { todo?: string })?.todo !== undefined) throw err;
    const missing = /Kernel '(\w+)' not registered/.exec(String((err as Error)?.message));
    if (missing) {
      // Not the learner's mistake: tfjs-backend-wasm lacks the kernel (tf.gather's gradient needs UnsortedSegmentSum).
      throw new CheckFailure(`the gradient through ${what} needs the kernel ${missing[1]}, which this compute backend lacks (tf.gather's gradient does): write it with tf.slice or a mask instead`, {
        expected: 'a gradient',
        actual: `no ${missing[1]} kernel on this backend`,
      });
    }
    throw new CheckFailure(`no gradient flows through ${what} (${(err as Error).message.split('.')[0]}): build the result with tensor ops, not from numbers read with dataSync() or arraySync(), so that training can reach the encoder`, {
      expected: 'a gradient',
      actual: 'an error',
    });
  }
}

/** Random [d0, d1, d2] numbers from a seed. */
function randomArray(ctx: CheckContext, seed: number, shape: number[], scale = 1): number[] {
  const r = ctx.rng(seed);
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() * 2 - 1) * scale);
}

async function scalarOf(value: unknown, what: string): Promise<number> {
  const x = await toNested(value, what);
  const v = typeof x === 'number' ? x : Array.isArray(x) && x.length === 1 && typeof x[0] === 'number' ? x[0] : undefined;
  if (v === undefined) throw new CheckFailure(`${what} should be a scalar (one number)`, { expected: 'a tf.Scalar', actual: describe(value) });
  return v;
}

/**
 * Calls an async learner function for its result. A promise left inside that (a read not awaited) is
 * refused where values cross from the learner; that is the learner's mistake, named here as a
 * failure of the check rather than an error of the run.
 */
async function settledResult(result: () => Promise<unknown>, call: string, expected: string): Promise<unknown> {
  try {
    return await result();
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e?.name === 'LearnerError' && /holding a promise/.test(String(e.message))) {
      throw new CheckFailure(`${call} put a promise in its result where a number belongs: t.data() and t.array() give promises — await the read, then compute with the number and return it`, {
        expected,
        actual: 'an object holding a promise',
      });
    }
    throw err;
  }
}

// ── the schedule ──

type LearningRate = (step: number, o: ScheduleOptions) => unknown;
const LR_EXAMPLE: ScheduleOptions = { peakLr: 1e-3, warmupSteps: 10, totalSteps: 100 };

/** learningRate(step, o) must equal the reference exactly (to 1e-12); `why` explains a miss. */
function expectRate(learningRate: LearningRate, step: number, o: ScheduleOptions, why: (got: unknown) => string): void {
  const got = learningRate(step, { ...o });
  const exp = linearWarmupDecayRef(step, o);
  if (typeof got !== 'number' || !(Math.abs(got - exp) <= 1e-12 + 1e-9 * exp)) {
    const shown = typeof got === 'number' ? fmt(got) : describe(got);
    throw new CheckFailure(`learningRate(${step}, ${JSON.stringify(o)}) is ${shown} but should be ${fmt(exp)}: ${why(got)}`, { expected: fmt(exp), actual: shown });
  }
}

// ── metrics: an independent computation from the raw predictions (no confusion matrix) ──

function metricsFromPredictions(predicted: number[], actual: number[], K: number): Metrics {
  const perClass = Array.from({ length: K }, (_, k) => {
    const tp = predicted.filter((p, i) => p === k && actual[i] === k).length;
    const predictedK = predicted.filter((p) => p === k).length;
    const actualK = actual.filter((a) => a === k).length;
    const precision = predictedK > 0 ? tp / predictedK : 0;
    const recall = actualK > 0 ? tp / actualK : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support: actualK };
  });
  const accuracy = actual.length > 0 ? predicted.filter((p, i) => p === actual[i]).length / actual.length : 0;
  return { accuracy, perClass, macroF1: K > 0 ? perClass.reduce((s, c) => s + c.f1, 0) / K : 0 };
}

function expectMetrics(value: unknown, exp: Metrics, call: string): void {
  const v = value as Partial<Metrics> | undefined;
  if (!v || typeof v !== 'object' || typeof v.accuracy !== 'number' || !Array.isArray(v.perClass) || typeof v.macroF1 !== 'number') {
    throw new CheckFailure(`${call} should return { accuracy, perClass, macroF1 }`, { expected: '{ accuracy: number, perClass: { precision, recall, f1, support }[], macroF1: number }', actual: describe(value) });
  }
  const close = (a: unknown, b: number) => typeof a === 'number' && Math.abs(a - b) <= 1e-9 + 1e-9 * Math.abs(b);
  const nan = (a: unknown) => typeof a === 'number' && Number.isNaN(a);
  if (!close(v.accuracy, exp.accuracy)) {
    throw new CheckFailure(`${call}.accuracy is ${fmt(v.accuracy)} but should be ${fmt(exp.accuracy)}${nan(v.accuracy) ? ': with no examples at all, accuracy is 0 by the lab\'s rule (a zero denominator gives 0)' : ' (correct / all)'}`, {
      expected: fmt(exp.accuracy),
      actual: fmt(v.accuracy),
    });
  }
  if (v.perClass.length !== exp.perClass.length) {
    throw new CheckFailure(`${call}.perClass has ${v.perClass.length} entries, one per class is ${exp.perClass.length}`, { expected: String(exp.perClass.length), actual: String(v.perClass.length) });
  }
  exp.perClass.forEach((e, k) => {
    const g = v.perClass![k] as Partial<Metrics['perClass'][number]>;
    for (const key of ['precision', 'recall', 'f1', 'support'] as const) {
      if (!close(g?.[key], e[key])) {
        const rule =
          nan(g?.[key]) || !Number.isFinite(g?.[key] as number)
            ? ': a ratio whose denominator is 0 is 0 by the lab\'s rule, not NaN'
            : key === 'precision'
              ? ' (TP / everything PREDICTED as this class: the column of the matrix)'
              : key === 'recall'
                ? ' (TP / everything that IS this class: the row of the matrix)'
                : key === 'f1'
                  ? ' (2PR / (P + R), 0 when P + R = 0)'
                  : ' (how many examples are of this class)';
        throw new CheckFailure(`${call}.perClass[${k}].${key} is ${fmt(g?.[key] as number)} but should be ${fmt(e[key])}${rule}`, {
          expected: JSON.stringify(e),
          actual: JSON.stringify(g),
        });
      }
    }
  });
  if (!close(v.macroF1, exp.macroF1)) {
    throw new CheckFailure(`${call}.macroF1 is ${fmt(v.macroF1)} but should be ${fmt(exp.macroF1)} (the unweighted mean of the per-class F1)`, { expected: fmt(exp.macroF1), actual: fmt(v.macroF1) });
  }
}

function seededLabels(ctx: CheckContext, seed: number, n: number, K: number, flipRate: number): { predicted: number[]; actual: number[] } {
  const r = ctx.rng(seed);
  const actual = Array.from({ length: n }, () => Math.floor(r() * K));
  const predicted = actual.map((a) => (r() < flipRate ? Math.floor(r() * K) : a));
  return { predicted, actual };
}

// ── training-step helpers: a tiny model whose gradients are known ──

interface Recorded {
  /** Each apply's gradients as clones, read once the step has ended (readCalls), then disposed. */
  calls: { grads: Record<string, Tensor>; lr: number }[];
  /** What apply got instead of an object of tensors, described. */
  wrong?: string;
}

/**
 * An optimizer that only records. apply() runs inside the learner's trainStep, which may be
 * synchronous, so it cannot await a read (the only read on webgpu): it keeps clones instead —
 * kept, so that a tf.tidy in the learner's code does not free them before they are read.
 */
function recordingOptimizer(tf: Tf, rec: Recorded): Optimizer {
  return {
    apply(grads, lr) {
      // Recorded, not thrown: a throw here would reach the check as the learner's own error.
      if (!grads || typeof grads !== 'object') {
        rec.wrong ??= grads === undefined ? 'undefined' : describe(grads);
        return;
      }
      const kept: Record<string, Tensor> = {};
      for (const [k, g] of Object.entries(grads)) {
        if (g instanceof tf.Tensor) kept[k] = tf.keep(tf.clone(g));
        else rec.wrong ??= `an object whose ${k} is ${describe(g)}`;
      }
      rec.calls.push({ grads: kept, lr });
    },
  };
}

/** The recorded gradients as numbers; frees the clones. */
async function readCalls(tf: Tf, rec: Recorded): Promise<{ grads: Record<string, number[]>; lr: number }[]> {
  try {
    return await Promise.all(
      rec.calls.map(async (c) => ({ grads: Object.fromEntries(await Promise.all(Object.entries(c.grads).map(async ([k, g]) => [k, Array.from(await g.data())] as const))), lr: c.lr })),
    );
  } finally {
    disposeCalls(tf, rec);
  }
}

function disposeCalls(tf: Tf, rec: Recorded): void {
  for (const c of rec.calls) tf.dispose(Object.values(c.grads));
}

/**
 * Calls the learner's trainStep with the recording optimizer and awaits it. When apply got
 * something other than gradients, that is the failure to name, even if the step then threw.
 */
async function recordedStep(trainStep: TrainStep, m: ReturnType<typeof tinyModel>, rec: Recorded, tf: Tf, o: unknown, call: string): Promise<StepResult> {
  let result: unknown;
  let thrown: unknown;
  try {
    result = await settledResult(() => trainStep(m.params, m.loss, recordingOptimizer(tf, rec), o), call, '{ loss: number, lr: number, gradNorm: number }');
  } catch (err) {
    thrown = err;
  }
  if (rec.wrong !== undefined) {
    // A promise has no .grads: the likeliest way to hand apply undefined is an un-awaited clipGradNorm.
    const why = rec.wrong === 'undefined' ? ': clipGradNorm is async, so without await its result is a promise, whose .grads is undefined — await clipGradNorm(…) before using its result' : '';
    throw new CheckFailure(`${call} gave optimizer.apply ${rec.wrong} as the gradients, not an object of tensors keyed by variable name${why}`, {
      expected: 'optimizer.apply({ name: gradient tensor, … }, lr)',
      actual: `optimizer.apply(${rec.wrong}, …)`,
    });
  }
  if (thrown !== undefined) throw thrown;
  return expectStepResult(result, call);
}

let tinyCounter = 0;

/** Three variables named like the real model's, and a loss that uses all three. */
function tinyModel(tf: Tf) {
  const prefix = `lab5-check-${++tinyCounter}/`;
  const params = {
    'layers.0.ffn.w1': tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]]), true, prefix + 'layers.0.ffn.w1'),
    'head.w': tf.variable(tf.tensor2d([[1, -0.5], [0.3, 0.8]]), true, prefix + 'head.w'),
    'head.b': tf.variable(tf.tensor1d([0.1, -0.2]), true, prefix + 'head.b'),
  };
  const x = tf.tensor2d([[1, 2], [-1, 0.5], [3, -2]]);
  const labels = tf.tensor1d([1, 0, 1], 'int32');
  const loss = () => crossEntropyRef(tf, classifierLogitsRef(tf, tf.tanh(tf.matMul(x, params['layers.0.ffn.w1'])), params['head.w'], params['head.b']), labels) as ReturnType<Tf['scalar']>;
  const dispose = () => tf.dispose([...Object.values(params), x, labels]);
  return { params, loss, dispose, prefix };
}

function expectStepResult(value: unknown, call: string): StepResult {
  const v = value as Partial<StepResult> | undefined;
  if (!v || typeof v !== 'object' || typeof v.loss !== 'number' || typeof v.lr !== 'number' || typeof v.gradNorm !== 'number') {
    throw new CheckFailure(`${call} should return { loss, lr, gradNorm } (numbers)`, { expected: '{ loss: number, lr: number, gradNorm: number }', actual: describe(value) });
  }
  return v as StepResult;
}

// ── the learner's parts, for the fine-tuning runs ──

/** Every part from the learner's files; with fallback, a part still at its TODO uses the reference (and says so). */
export function learnerParts(ctx: CheckContext, fallback: boolean): { parts: FineTuneParts; usedReference: Set<string> } {
  const ref = referenceParts(ctx.tf);
  const usedReference = new Set<string>();
  // A starter's TODO: the runner marks it (LearnerError.todo); older runners kept the message.
  const isTodo = (err: unknown) => (err as { todo?: string })?.todo !== undefined || /TODO: implement/.test(String((err as Error)?.message));
  const pick = <K extends keyof FineTuneParts>(file: string, name: K, options?: FnOptions): FineTuneParts[K] => {
    const own = ctx.fn<FineTuneParts[K]>(file, name, options);
    if (!fallback) return own;
    const reference = (args: unknown[]) => (ref[name] as (...a: unknown[]) => unknown)(...args);
    if (options?.async) {
      // The TODO of an async part arrives as a rejection.
      return (async (...args: unknown[]) => {
        if (usedReference.has(name)) return reference(args);
        try {
          return await (own as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          if (!isTodo(err)) throw err;
          usedReference.add(name);
          return reference(args);
        }
      }) as FineTuneParts[K];
    }
    return ((...args: unknown[]) => {
      if (usedReference.has(name)) return reference(args);
      try {
        return (own as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        if (!isTodo(err)) throw err;
        usedReference.add(name);
        return reference(args);
      }
    }) as FineTuneParts[K];
  };
  const parts: FineTuneParts = {
    makeBatch: pick(BATCHING, 'makeBatch'),
    clsPool: pick(HEAD, 'clsPool'),
    meanPool: pick(HEAD, 'meanPool'),
    classifierLogits: pick(HEAD, 'classifierLogits'),
    crossEntropy: pick(HEAD, 'crossEntropy'),
    trainStep: pick(TRAIN, 'trainStep', ASYNC),
    confusionMatrix: pick(METRICS, 'confusionMatrix'),
    classificationMetrics: pick(METRICS, 'classificationMetrics'),
  };
  return { parts, usedReference };
}

/** Hidden states of the frozen pretrained encoder per batch, kept for the worker's lifetime. */
const hiddenCache = new Map<string, { data: Float32Array; shape: number[] }>();

async function runShort(ctx: CheckContext, input: FineTuneInput): Promise<TrainingResult> {
  const { parts } = learnerParts(ctx, false);
  const data = spamData().splits;
  return fineTune(ctx.tf, shippedEncoder(), { train: data.train, validation: data.validation }, input, parts, { progress: () => undefined, aborted: () => false }, { hiddenCache, explain: false });
}

/**
 * The training panel's entry point: a fine-tuning run of the shipped encoder with the learner's
 * batching, pooling, head, loss, training step (schedule, clipping, frozen or not) and metrics;
 * a function still at its TODO is replaced by the course's reference, named in the result.
 * Returns to the event loop between steps; when hooks.aborted() turns true it stops, frees its
 * tensors and resolves with status "cancelled".
 */
export async function fineTuneRun(
  ctx: CheckContext,
  input: FineTuneInput,
  hooks: { progress(p: TrainingProgress): void; aborted(): boolean },
): Promise<TrainingResult & { referenceParts: string[] }> {
  const { parts, usedReference } = learnerParts(ctx, true);
  const data = spamData().splits;
  const result = await fineTune(ctx.tf, shippedEncoder(), { train: data.train, validation: data.validation }, input, parts, hooks, { hiddenCache });
  return { ...result, referenceParts: [...usedReference].sort() };
}

// ── checks ──

export const checks: LabModule['checks'] = {
  // ── batching ──
  'batch-layout': (ctx) => {
    const makeBatch = ctx.fn<MakeBatch>(BATCHING, 'makeBatch');
    const cases: [string[], number][] = [
      [['spam!', 'hi', 'Hello there'], 16], // no truncation: widths 7, 4, 13
      [['a long message of 30 letters..', 'short', ''], 8], // truncated to 6 tokens; an empty text is [CLS] [SEP]
      [['abc', 'xyz'], 5], // equal lengths: no padding at all
    ];
    for (const [texts, maxLen] of cases) {
      const { got, call } = callMakeBatch(makeBatch, texts, maxLen);
      expectBatch(got, makeBatchRef(texts, charTokenize, FAKE_SPECIAL, maxLen), call, FAKE_SPECIAL);
    }
  },
  'batch-pads-to-longest': (ctx) => {
    const makeBatch = ctx.fn<MakeBatch>(BATCHING, 'makeBatch');
    const texts = ['one', 'three', 'twenty-two'];
    const { got, call } = callMakeBatch(makeBatch, texts, 128);
    const widths = got.ids.map((r) => r.length);
    if (widths.some((w) => w !== 12)) {
      throw new CheckFailure(`${call} gives rows of widths [${widths.join(', ')}]: pad every row to the longest row of this batch (12 = [CLS] + 10 + [SEP]), not to maxLen (128) — shorter batches are cheaper`, {
        expected: 'every row of width 12',
        actual: `widths [${widths.join(', ')}]`,
      });
    }
    expectBatch(got, makeBatchRef(texts, charTokenize, FAKE_SPECIAL, 128), call, FAKE_SPECIAL);
  },
  'batch-random': (ctx) => {
    const makeBatch = ctx.fn<MakeBatch>(BATCHING, 'makeBatch');
    const r = ctx.rng(505);
    for (let c = 0; c < 20; c++) {
      const texts = Array.from({ length: 1 + Math.floor(r() * 5) }, () => Array.from({ length: Math.floor(r() * 40) }, () => String.fromCodePoint(32 + Math.floor(r() * 400))).join(''));
      const maxLen = 2 + Math.floor(r() * 30);
      const s = { cls: 900 + c, sep: 950 + c, pad: 990 + c };
      const { got, call } = callMakeBatch(makeBatch, texts, maxLen, s);
      expectBatch(got, makeBatchRef(texts, charTokenize, s, maxLen), call, s);
    }
  },
  'batch-mask-semantics': async (ctx) => {
    const tf = ctx.tf;
    const makeBatch = ctx.fn<MakeBatch>(BATCHING, 'makeBatch');
    const { file, p, special, tokenize } = encoderSetup(tf);
    const texts = ['Re: meeting tomorrow\nsee you at ten', 'FREE!!! Click here to claim your prize now, limited offer for you', 'hi'];
    const maxLen = 24;
    const call = `makeBatch(3 messages, the encoder's tokenizer, ${JSON.stringify(special)}, ${maxLen})`;
    const got = asBatch(makeBatch(texts, tokenize, special, maxLen), call);
    expectBatch(got, makeBatchRef(texts, tokenize, special, maxLen), call, special);
    const T = got.ids[0].length;
    const run = async (ids: number[][], mask: number[][]) => (await encode(tf, p, file.config, tf.tensor2d(ids, [ids.length, ids[0].length], 'int32'), tf.tensor2d(mask, [mask.length, mask[0].length])).hidden.array()) as number[][][];
    const base = await run(got.ids, got.mask);
    // 1. Other ids at the padded positions change nothing at any real position.
    const r = ctx.rng(77);
    const scrambled = got.ids.map((row, i) => row.map((id, t) => (got.mask[i][t] === 0 ? Math.floor(r() * file.config.vocabSize) : id)));
    const changed = await run(scrambled, got.mask);
    got.lengths.forEach((len, i) => {
      for (let t = 0; t < len; t++) {
        const d = Math.max(...base[i][t].map((x, c) => Math.abs(x - changed[i][t][c])));
        if (d > 1e-4) {
          throw new CheckFailure(`with your mask, changing the [PAD] ids of row ${i} changed the encoder's output at its real position ${t} by up to ${fmt(d)}: the mask must be 0 on every padded position, so attention ignores them`, {
            expected: 'the same hidden states at every real position',
            actual: `a difference of ${fmt(d)} at row ${i}, position ${t}`,
          });
        }
      }
    });
    // 2. A message's [CLS] vector is the same alone as inside a padded batch.
    for (const [i, row] of got.ids.entries()) {
      const len = got.lengths[i];
      const alone = await run([row.slice(0, len)], [new Array<number>(len).fill(1)]);
      const d = Math.max(...alone[0][0].map((x, c) => Math.abs(x - base[i][0][c])));
      if (d > 1e-4) {
        throw new CheckFailure(`message ${i}'s [CLS] vector differs by ${fmt(d)} between the padded batch (width ${T}) and the message alone: padding must not change a message's encoding — check the mask`, {
          expected: 'the same [CLS] vector',
          actual: `a difference of ${fmt(d)}`,
        });
      }
    }
  },

  // ── the head ──
  'cls-pool': async (ctx) => {
    const tf = ctx.tf;
    const clsPool = ctx.fn<(h: Tensor) => unknown>(HEAD, 'clsPool');
    const shape = [3, 5, 4];
    const h = tf.tensor3d(randomArray(ctx, 51, shape), shape as [number, number, number]);
    const out = clsPool(h);
    const exp = clsPoolRef(tf, h);
    const got = (await expectShape(out, [3, 4], 'clsPool(hidden [3, 5, 4])')) as number[][];
    const e = (await exp.array()) as number[][];
    const hv = (await h.array()) as number[][][];
    if (got.some((row, b) => row.some((x, c) => Math.abs(x - e[b][c]) > 1e-6))) {
      const last = got.every((row, b) => row.every((x, c) => Math.abs(x - hv[b][4][c]) < 1e-6));
      throw new CheckFailure(`clsPool(hidden [3, 5, 4]) should be each row's hidden state at position 0, where [CLS] is${last ? ' (yours is the LAST position)' : ''}`, { expected: JSON.stringify(e[0].map(fmt)), actual: JSON.stringify(got[0].map(fmt)) });
    }
    // Gradients must reach the encoder through the pooling (full fine-tuning needs them).
    const g = gradientOf(tf, (x) => tf.sum(clsPool(x) as Tensor), h, 'clsPool');
    const gv = (await g.array()) as number[][][];
    const ok = gv.every((row) => row.every((v, t) => v.every((x) => Math.abs(x - (t === 0 ? 1 : 0)) < 1e-6)));
    if (!ok) {
      throw new CheckFailure('the gradient of sum(clsPool(hidden)) should be 1 at position 0 and 0 elsewhere: build the result with tensor ops (tf.slice, tf.reshape), not from arraySync()/dataSync() numbers, so gradients flow back into the encoder', {
        expected: '1 at [b][0][c], 0 elsewhere',
        actual: JSON.stringify(gv[0].map((r) => r.map(fmt))),
      });
    }
  },
  'mean-pool-real-tokens': async (ctx) => {
    const tf = ctx.tf;
    const meanPool = ctx.fn<(h: Tensor, m: Tensor) => unknown>(HEAD, 'meanPool');
    const shape: [number, number, number] = [3, 6, 4];
    const h = tf.tensor3d(randomArray(ctx, 52, shape), shape);
    const lengths = [6, 3, 1];
    const mask = tf.tensor2d(lengths.map((l) => Array.from({ length: 6 }, (_, t) => (t < l ? 1 : 0))));
    const out = meanPool(h, mask);
    const exp = (await meanPoolRef(tf, h, mask).array()) as number[][];
    const got = (await expectShape(out, [3, 4], 'meanPool(hidden [3, 6, 4], mask with lengths [6, 3, 1])')) as number[][];
    const allT = ((await tf.mean(h, 1).array()) as number[][]);
    got.forEach((row, b) => {
      const d = Math.max(...row.map((x, c) => Math.abs(x - exp[b][c])));
      if (!(d <= 1e-5)) {
        const overAll = row.every((x, c) => Math.abs(x - allT[b][c]) < 1e-5);
        const overT = row.every((x, c) => Math.abs(x - (exp[b][c] * lengths[b]) / 6) < 1e-5);
        const why = overAll
          ? 'you averaged over all 6 positions, padding included'
          : overT
            ? 'you summed the real tokens but divided by T (6), not by the row\'s number of real tokens'
            : 'sum the hidden states where mask = 1 and divide by the number of 1s in that row';
        throw new CheckFailure(`meanPool row ${b} (${lengths[b]} real tokens of 6) differs from the mean over its real tokens by ${fmt(d)}: ${why}`, {
          expected: JSON.stringify(exp[b].map(fmt)),
          actual: JSON.stringify(row.map(fmt)),
        });
      }
    });
  },
  'mean-pool-padding-ignored': async (ctx) => {
    const tf = ctx.tf;
    const meanPool = ctx.fn<(h: Tensor, m: Tensor) => unknown>(HEAD, 'meanPool');
    const shape: [number, number, number] = [2, 5, 3];
    const base = randomArray(ctx, 53, shape);
    const lengths = [2, 4];
    const maskRows = lengths.map((l) => Array.from({ length: 5 }, (_, t) => (t < l ? 1 : 0)));
    // The padded positions get huge values: they must not move the result at all.
    const noisy = base.map((x, i) => {
      const b = Math.floor(i / 15);
      const t = Math.floor((i % 15) / 3);
      return t >= lengths[b] ? 1e3 * (1 + (i % 7)) : x;
    });
    const a = (await expectFinite(meanPool(tf.tensor3d(base, shape), tf.tensor2d(maskRows)), 'meanPool(hidden, mask)')) as number[][];
    const b = await expectFinite(meanPool(tf.tensor3d(noisy, shape), tf.tensor2d(maskRows)), 'meanPool(hidden with large values at padded positions, mask)');
    await expectAllClose(b, a, 'meanPool with large values at the padded positions (it must ignore them)', { atol: 1e-5, rtol: 1e-5 });
    const g = gradientOf(tf, (x) => tf.sum(meanPool(x, tf.tensor2d(maskRows)) as Tensor), tf.tensor3d(base, shape), 'meanPool');
    const expected = lengths.map((l) => Array.from({ length: 5 }, (_, t) => new Array<number>(3).fill(t < l ? 1 / l : 0)));
    await expectAllClose(g, expected, 'the gradient of sum(meanPool(hidden, mask)) (1/length at real tokens, 0 at padding; tensor ops only, so gradients flow)', { atol: 1e-6, rtol: 1e-5 });
  },
  'mean-pool-random': async (ctx) => {
    const tf = ctx.tf;
    const meanPool = ctx.fn<(h: Tensor, m: Tensor) => unknown>(HEAD, 'meanPool');
    const r = ctx.rng(54);
    for (let c = 0; c < 5; c++) {
      const B = 1 + Math.floor(r() * 5);
      const T = 1 + Math.floor(r() * 9);
      const C = 1 + Math.floor(r() * 6);
      const lengths = Array.from({ length: B }, () => 1 + Math.floor(r() * T));
      const h = tf.tensor3d(randomArray(ctx, 540 + c, [B, T, C], 3), [B, T, C]);
      const m = tf.tensor2d(lengths.map((l) => Array.from({ length: T }, (_, t) => (t < l ? 1 : 0))));
      await expectAllClose(meanPool(h, m), meanPoolRef(tf, h, m), `meanPool(hidden [${B}, ${T}, ${C}], lengths [${lengths}])`, { atol: 1e-5, rtol: 1e-5 });
    }
  },
  'head-logits': async (ctx) => {
    const tf = ctx.tf;
    const classifierLogits = ctx.fn<(p: Tensor, w: Tensor, b: Tensor) => unknown>(HEAD, 'classifierLogits');
    const pooled = tf.tensor2d(randomArray(ctx, 61, [4, 6]), [4, 6]);
    const w = tf.tensor2d(randomArray(ctx, 62, [6, 3]), [6, 3]);
    const b = tf.tensor1d([0.5, -1, 2]);
    const out = classifierLogits(pooled, w, b);
    await expectShape(out, [4, 3], 'classifierLogits(pooled [4, 6], w [6, 3], b [3])');
    const exp = classifierLogitsRef(tf, pooled, w, b);
    const noBias = (await tf.matMul(pooled, w).array()) as number[][];
    const got = (await toNested(out, 'logits')) as number[][];
    if (got.every((row, i) => row.every((x, k) => Math.abs(x - noBias[i][k]) < 1e-5))) {
      throw new CheckFailure('classifierLogits(pooled [4, 6], w [6, 3], b [3]) leaves out the bias b: logits = pooled · w + b', { expected: JSON.stringify(((await exp.array()) as number[][])[0].map(fmt)), actual: JSON.stringify(got[0].map(fmt)) });
    }
    await expectAllClose(out, exp, 'classifierLogits(pooled [4, 6], w [6, 3], b [3]) = pooled · w + b', { atol: 1e-5, rtol: 1e-5 });
  },
  'cross-entropy-value': async (ctx) => {
    const tf = ctx.tf;
    const crossEntropy = ctx.fn<(l: Tensor, y: Tensor) => unknown>(HEAD, 'crossEntropy');
    const logits = tf.tensor2d([[2, 1, 0], [0, 0, 3], [1, 1, 1], [-1, 4, 0.5]]);
    const labels = tf.tensor1d([0, 2, 1, 0], 'int32');
    const exp = (await crossEntropyRef(tf, logits, labels).data())[0];
    const got = await scalarOf(crossEntropy(logits, labels), 'crossEntropy(logits [4, 3], labels [0, 2, 1, 0])');
    if (Math.abs(got - exp) > 1e-5 * Math.max(1, exp)) {
      const why =
        Math.abs(got - 4 * exp) < 1e-4
          ? 'you summed over the batch; the loss is the MEAN over the 4 examples'
          : Math.abs(got + exp) < 1e-4
            ? 'the sign is flipped: the loss is MINUS the mean log-probability of the right class'
            : 'pick log softmax(logits_i)[labels_i] for each row, average, negate';
      throw new CheckFailure(`crossEntropy(logits [4, 3], labels [0, 2, 1, 0]) is ${fmt(got)} but should be ${fmt(exp)}: ${why}`, { expected: fmt(exp), actual: fmt(got) });
    }
  },
  'cross-entropy-stable': async (ctx) => {
    const tf = ctx.tf;
    const crossEntropy = ctx.fn<(l: Tensor, y: Tensor) => unknown>(HEAD, 'crossEntropy');
    const logits = tf.tensor2d([[1000, 0], [-1000, 1000], [50, 60]]);
    const labels = tf.tensor1d([0, 0, 1], 'int32');
    const exp = (await crossEntropyRef(tf, logits, labels).data())[0]; // (0 + 2000 + 4.54e-5) / 3
    const got = await scalarOf(crossEntropy(logits, labels), 'crossEntropy(logits [[1000, 0], [−1000, 1000], [50, 60]], labels [0, 0, 1])');
    if (!Number.isFinite(got) || Math.abs(got - exp) > 1e-3) {
      throw new CheckFailure(`crossEntropy(logits [[1000, 0], [−1000, 1000], [50, 60]], labels [0, 0, 1]) is ${fmt(got)} but should be ${fmt(exp)}: exp(1000) overflows — use log-softmax (logits − max − log Σ exp(logits − max)), never log(softmax)`, {
        expected: fmt(exp),
        actual: fmt(got),
      });
    }
  },
  'cross-entropy-gradient': async (ctx) => {
    const tf = ctx.tf;
    const crossEntropy = ctx.fn<(l: Tensor, y: Tensor) => unknown>(HEAD, 'crossEntropy');
    const logits = tf.tensor2d([[2, 1, 0], [0, 0, 3], [1, 1, 1]]);
    const labels = tf.tensor1d([0, 2, 1], 'int32');
    const g = gradientOf(tf, (l) => crossEntropy(l, labels) as Tensor, logits, 'crossEntropy');
    // d/d logits of the mean cross-entropy: (softmax(logits) − onehot(labels)) / B.
    const exp = tf.div(tf.sub(tf.softmax(logits), tf.oneHot(labels, 3)), 3);
    await expectAllClose(g, exp, 'd crossEntropy / d logits on logits [3, 3] (it is (softmax − one-hot) / B)', { atol: 1e-5, rtol: 1e-4 });
  },
  'cross-entropy-random': async (ctx) => {
    const tf = ctx.tf;
    const crossEntropy = ctx.fn<(l: Tensor, y: Tensor) => unknown>(HEAD, 'crossEntropy');
    const r = ctx.rng(63);
    for (let c = 0; c < 4; c++) {
      const B = 1 + Math.floor(r() * 8);
      const K = 2 + Math.floor(r() * 5);
      const logits = tf.tensor2d(randomArray(ctx, 630 + c, [B, K], 20), [B, K]);
      const labels = tf.tensor1d(Array.from({ length: B }, () => Math.floor(r() * K)), 'int32');
      const exp = (await crossEntropyRef(tf, logits, labels).data())[0];
      const got = await scalarOf(crossEntropy(logits, labels), `crossEntropy(logits [${B}, ${K}] in ±20, labels)`);
      if (!(Math.abs(got - exp) <= 1e-4 * Math.max(1, exp))) {
        throw new CheckFailure(`crossEntropy(logits [${B}, ${K}] in ±20) is ${fmt(got)} but should be ${fmt(exp)}`, { expected: fmt(exp), actual: fmt(got) });
      }
    }
  },

  // ── the schedule ──
  'lr-warmup': (ctx) => {
    const learningRate = ctx.fn<LearningRate>(TRAIN, 'learningRate');
    for (const step of [0, 1, 5, 9, 10]) {
      expectRate(learningRate, step, LR_EXAMPLE, (got) =>
        step === 0
          ? 'warm-up starts at 0: lr(0) = peak · 0 / warmup'
          : step === 10
            ? 'the end of warm-up (step = warmupSteps) is exactly the peak'
            : typeof got === 'number' && Math.abs(got - (LR_EXAMPLE.peakLr * (step + 1)) / LR_EXAMPLE.warmupSteps) < 1e-12
              ? 'you used (step + 1) / warmup: the lab\'s rule is step / warmup'
              : 'during warm-up lr = peakLr · step / warmupSteps',
      );
    }
  },
  'lr-decay': (ctx) => {
    const learningRate = ctx.fn<LearningRate>(TRAIN, 'learningRate');
    for (const step of [11, 55, 99, 100, 130]) {
      expectRate(learningRate, step, LR_EXAMPLE, () =>
        step === 99
          ? 'the last update (step total − 1) runs at peak · 1 / (total − warmup), just above 0'
          : step >= 100
            ? 'after the last step the rate is 0 (never negative)'
            : 'after warm-up lr = peakLr · (total − step) / (total − warmup): linear, not cosine, and measured from the end of warm-up',
      );
    }
    expectRate(learningRate, 0, { peakLr: 0.5, warmupSteps: 0, totalSteps: 4 }, () => 'with no warm-up the first step runs at the peak (and 0 / 0 must not appear)');
  },
  'lr-random': (ctx) => {
    const learningRate = ctx.fn<LearningRate>(TRAIN, 'learningRate');
    const r = ctx.rng(71);
    for (let c = 0; c < 50; c++) {
      const totalSteps = 1 + Math.floor(r() * 500);
      const o: ScheduleOptions = { peakLr: 10 ** (-1 - 4 * r()), warmupSteps: Math.floor(r() * totalSteps), totalSteps };
      expectRate(learningRate, Math.floor(r() * (totalSteps + 5)), o, () => 'warm-up to the peak at warmupSteps, then a straight line to 0 at totalSteps, 0 after');
    }
  },

  // ── clipping ──
  'clip-above': async (ctx) => {
    const tf = ctx.tf;
    const clipGradNorm = ctx.fn<ClipGradNorm>(TRAIN, 'clipGradNorm', ASYNC);
    const grads = { a: tf.tensor1d([3, 4]), b: tf.tensor2d([[12]]) }; // global norm √(9 + 16 + 144) = 13
    const call = 'clipGradNorm({ a: [3, 4], b: [[12]] }, 1)';
    const out = (await settledResult(() => clipGradNorm({ ...grads }, 1), call, '{ grads: { a, b }, norm: number }')) as { grads?: Record<string, unknown>; norm?: unknown } | undefined;
    if (!out || typeof out !== 'object' || !out.grads || typeof out.norm !== 'number') {
      throw new CheckFailure(`${call} should return { grads, norm }`, { expected: '{ grads: { a, b }, norm: number }', actual: describe(out) });
    }
    if (Math.abs(out.norm - 13) > 1e-4) {
      const why = Math.abs(out.norm - 17) < 1e-4 ? 'you added the per-tensor norms (5 + 12); the global norm is √ of the sum of ALL squares' : Math.abs(out.norm - 1) < 1e-3 ? 'return the norm BEFORE clipping (it is what you log)' : 'norm = √(Σ over every tensor of Σ g²)';
      throw new CheckFailure(`${call}.norm is ${fmt(out.norm)} but should be 13: ${why}`, { expected: '13', actual: fmt(out.norm) });
    }
    const exp = (await clipGradNormRef(tf, grads, 1)).grads;
    if (Object.keys(out.grads).sort().join() !== 'a,b') {
      throw new CheckFailure(`${call}.grads has keys {${Object.keys(out.grads).join(', ')}}: keep the same keys as the input`, { expected: '{a, b}', actual: `{${Object.keys(out.grads).join(', ')}}` });
    }
    const a = (await toNested(out.grads.a, `${call}.grads.a`)) as number[];
    if (Math.abs(a[0] - 0.6) < 1e-3) {
      throw new CheckFailure(`${call} clipped each tensor on its own (a became [0.6, 0.8]): scale ALL gradients by one factor, maxNorm / global norm = 1/13, so the update keeps its direction`, {
        expected: '[3/13, 4/13] and [[12/13]]',
        actual: JSON.stringify(a.map(fmt)),
      });
    }
    await expectAllClose(out.grads.a, exp.a, `${call}.grads.a (scaled by 1/13)`, { atol: 1e-6, rtol: 1e-4 });
    await expectAllClose(out.grads.b, exp.b, `${call}.grads.b (scaled by 1/13)`, { atol: 1e-6, rtol: 1e-4 });
  },
  'clip-below': async (ctx) => {
    const tf = ctx.tf;
    const clipGradNorm = ctx.fn<ClipGradNorm>(TRAIN, 'clipGradNorm', ASYNC);
    for (const [values, maxNorm] of [[[0.3, 0.4], 1], [[3, 4], 5]] as [number[], number][]) {
      const call = `clipGradNorm({ a: [${values}] }, ${maxNorm})`;
      const out = (await settledResult(() => clipGradNorm({ a: tf.tensor1d(values) }, maxNorm), call, '{ grads, norm: number }')) as { grads?: Record<string, unknown>; norm?: unknown } | undefined;
      if (!out || typeof out !== 'object' || !out.grads || typeof out.norm !== 'number') {
        throw new CheckFailure(`${call} should return { grads, norm }`, { expected: '{ grads, norm }', actual: describe(out) });
      }
      const a = (await toNested(out.grads.a, `${call}.grads.a`)) as number[];
      if (a.some((x, i) => Math.abs(x - values[i]) > 1e-6)) {
        throw new CheckFailure(`${call} changed the gradient to [${a.map(fmt)}], but its norm ${fmt(Math.hypot(...values))} is not above ${maxNorm}: clipping only ever shortens a step, it never scales a small gradient up (and a norm equal to the limit stays)`, {
          expected: `[${values}]`,
          actual: `[${a.map(fmt)}]`,
        });
      }
      if (Math.abs(out.norm - Math.hypot(...values)) > 1e-5) {
        throw new CheckFailure(`${call}.norm is ${fmt(out.norm)} but should be ${fmt(Math.hypot(...values))}`, { expected: fmt(Math.hypot(...values)), actual: fmt(out.norm) });
      }
    }
  },
  'clip-random': async (ctx) => {
    const tf = ctx.tf;
    const clipGradNorm = ctx.fn<ClipGradNorm>(TRAIN, 'clipGradNorm', ASYNC);
    const r = ctx.rng(81);
    for (let c = 0; c < 6; c++) {
      const grads: Record<string, Tensor> = {};
      const n = 1 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) grads[`p${i}`] = tf.tensor1d(randomArray(ctx, 810 + 10 * c + i, [1 + Math.floor(r() * 6)], 3));
      const maxNorm = 0.5 + 4 * r();
      const exp = await clipGradNormRef(tf, grads, maxNorm);
      const what = `clipGradNorm(${n} random tensors with norm ${fmt(exp.norm)}, ${fmt(maxNorm)})`;
      const out = (await settledResult(() => clipGradNorm({ ...grads }, maxNorm), what, '{ grads, norm: number }')) as { grads: Record<string, unknown>; norm: number };
      if (!out || typeof out.norm !== 'number' || Math.abs(out.norm - exp.norm) > 1e-4) throw new CheckFailure(`${what}.norm should be ${fmt(exp.norm)}`, { expected: fmt(exp.norm), actual: describe(out?.norm) });
      for (const k of Object.keys(grads)) await expectAllClose(out.grads?.[k], exp.grads[k], `${what}.grads.${k}`, { atol: 1e-6, rtol: 1e-4 });
    }
  },

  // ── which parameters train, and one update ──
  'trainable-parameters': (ctx) => {
    const trainableParameters = ctx.fn<(n: string[], f: boolean) => unknown>(TRAIN, 'trainableParameters');
    const names = ['tok_emb', 'head.w', 'layers.0.attn.wq', 'pos_emb', 'emb_ln.gamma', 'head.b', 'layers.1.ffn.b2'];
    for (const freeze of [true, false]) {
      const got = trainableParameters(names.slice(), freeze);
      const exp = trainableParametersRef(names, freeze);
      if (!Array.isArray(got) || got.slice().sort().join() !== exp.slice().sort().join()) {
        throw new CheckFailure(`trainableParameters([${names.join(', ')}], ${freeze}) should be [${exp.join(', ')}]: ${freeze ? 'a frozen encoder trains only the head (names starting "head.")' : 'full fine-tuning trains every parameter, the encoder\'s and the head\'s'}`, {
          expected: `[${exp.join(', ')}]`,
          actual: Array.isArray(got) ? `[${got.join(', ')}]` : describe(got),
        });
      }
    }
  },
  'train-step-update': async (ctx) => {
    const tf = ctx.tf;
    const trainStep = ctx.fn<TrainStep>(TRAIN, 'trainStep', ASYNC);
    const m = tinyModel(tf);
    const rec: Recorded = { calls: [] };
    try {
      const schedule: ScheduleOptions = { peakLr: 0.1, warmupSteps: 4, totalSteps: 10 };
      const call = 'trainStep(tiny model, loss, optimizer, { step: 2, schedule: { peakLr: 0.1, warmupSteps: 4, totalSteps: 10 }, maxGradNorm: 0.5, freezeEncoder: false })';
      const r = await recordedStep(trainStep, m, rec, tf, { step: 2, schedule, maxGradNorm: 0.5, freezeEncoder: false }, call);
      const calls = await readCalls(tf, rec);
      const { value, grads } = tf.variableGrads(m.loss, Object.values(m.params));
      const clipped = await clipGradNormRef(tf, grads, 0.5);
      const lr = linearWarmupDecayRef(2, schedule);
      if (calls.length !== 1) throw new CheckFailure(`${call} called optimizer.apply ${calls.length} times; one step is one call`, { expected: '1 call', actual: `${calls.length} calls` });
      const got = calls[0];
      if (Math.abs(got.lr - lr) > 1e-12) throw new CheckFailure(`${call} gave the optimizer lr ${fmt(got.lr)}; this step's rate is learningRate(2, schedule) = ${fmt(lr)}`, { expected: fmt(lr), actual: fmt(got.lr) });
      const keys = Object.keys(clipped.grads).sort();
      if (Object.keys(got.grads).sort().join() !== keys.join()) {
        throw new CheckFailure(`${call} gave the optimizer gradients for {${Object.keys(got.grads).join(', ')}}; with freezeEncoder false every parameter trains: {${keys.join(', ')}}`, { expected: keys.join(', '), actual: Object.keys(got.grads).join(', ') });
      }
      const rawNorm = clipped.norm;
      for (const k of keys) {
        const e = Array.from(await clipped.grads[k].data());
        const raw = Array.from(await grads[k].data());
        const g = got.grads[k];
        if (g.some((x, i) => Math.abs(x - e[i]) > 1e-5 + 1e-4 * Math.abs(e[i]))) {
          const unclipped = g.every((x, i) => Math.abs(x - raw[i]) < 1e-5);
          throw new CheckFailure(`${call}: the gradient given to the optimizer for ${k.replace(m.prefix, '')} is [${g.map(fmt)}] but should be [${e.map(fmt)}]${unclipped ? `: clip the gradients first (their norm ${fmt(rawNorm)} is above maxNorm 0.5)` : ''}`, {
            expected: `[${e.map(fmt)}]`,
            actual: `[${g.map(fmt)}]`,
          });
        }
      }
      const lossValue = (await value.data())[0];
      if (Math.abs(r.loss - lossValue) > 1e-5) throw new CheckFailure(`${call}.loss is ${fmt(r.loss)} but the loss before the update is ${fmt(lossValue)}`, { expected: fmt(lossValue), actual: fmt(r.loss) });
      if (Math.abs(r.lr - lr) > 1e-12) throw new CheckFailure(`${call}.lr is ${fmt(r.lr)} but should be ${fmt(lr)}`, { expected: fmt(lr), actual: fmt(r.lr) });
      if (Math.abs(r.gradNorm - rawNorm) > 1e-4) throw new CheckFailure(`${call}.gradNorm is ${fmt(r.gradNorm)} but should be ${fmt(rawNorm)}, the norm before clipping`, { expected: fmt(rawNorm), actual: fmt(r.gradNorm) });
    } finally {
      disposeCalls(tf, rec);
      m.dispose();
    }
  },
  'train-step-frozen': async (ctx) => {
    const tf = ctx.tf;
    const trainStep = ctx.fn<TrainStep>(TRAIN, 'trainStep', ASYNC);
    const m = tinyModel(tf);
    const rec: Recorded = { calls: [] };
    try {
      const before = Array.from(await m.params['layers.0.ffn.w1'].data());
      const call = 'trainStep(tiny model, loss, optimizer, { step: 5, …, freezeEncoder: true })';
      await recordedStep(trainStep, m, rec, tf, { step: 5, schedule: { peakLr: 0.1, warmupSteps: 2, totalSteps: 10 }, maxGradNorm: 100, freezeEncoder: true }, call);
      const keys = rec.calls[0] ? Object.keys(rec.calls[0].grads).map((k) => k.replace(m.prefix, '')).sort() : [];
      disposeCalls(tf, rec);
      if (keys.join() !== 'head.b,head.w') {
        throw new CheckFailure(`${call} gave the optimizer gradients for {${keys.join(', ')}}: with a frozen encoder only the head's parameters (head.w, head.b) get gradients and updates`, { expected: '{head.b, head.w}', actual: `{${keys.join(', ')}}` });
      }
      const after = Array.from(await m.params['layers.0.ffn.w1'].data());
      if (after.some((x, i) => x !== before[i])) {
        throw new CheckFailure(`${call} changed the encoder's weights itself: only the optimizer updates parameters, and a frozen encoder's never`, { expected: `[${before.map(fmt)}]`, actual: `[${after.map(fmt)}]` });
      }
    } finally {
      disposeCalls(tf, rec);
      m.dispose();
    }
  },
  'finetune-reaches-f1': async (ctx) => {
    const r = await runShort(ctx, SHORT_RUN);
    const f1 = r.final?.perClass[1].f1 ?? 0;
    if (!(f1 >= SHORT_RUN_MIN_F1)) {
      const losses = r.steps.map((s) => s.loss);
      throw new CheckFailure(
        `a seeded run (${SHORT_RUN.subset} messages, ${SHORT_RUN.epochs} steps on all of them, frozen encoder, mean pooling, lr ${SHORT_RUN.lr}) with your batching, head, loss, schedule, clipping and metrics reached a spam F1 of ${fmt(f1)} on ${SHORT_RUN.validationSize} validation messages; it must reach ${SHORT_RUN_MIN_F1} (the reference reaches 0.72). The checks of those functions above say which part is wrong`,
        { expected: `spam F1 ≥ ${SHORT_RUN_MIN_F1}`, actual: `F1 ${fmt(f1)}; training loss ${fmt(losses[0] ?? NaN)} → ${fmt(losses[losses.length - 1] ?? NaN)}` },
      );
    }
  },
  'finetune-deterministic': async (ctx) => {
    // The same messages as the short run (their encodings are cached), a few steps.
    const input: FineTuneInput = { ...SHORT_RUN, epochs: 6 };
    // Snapshots as text at once: a result may share arrays with the learner's code.
    const snapshot = (r: TrainingResult) => ({ losses: r.steps.map((s) => s.loss), evals: JSON.stringify(r.evals), confusion: JSON.stringify(r.confusion) });
    const a = snapshot(await runShort(ctx, input));
    const b = snapshot(await runShort(ctx, input));
    const i = a.losses.findIndex((x, k) => x !== b.losses[k]);
    if (i >= 0 || a.losses.length !== b.losses.length || a.evals !== b.evals || a.confusion !== b.confusion) {
      const where = i >= 0 ? ` at step ${i} (loss ${fmt(a.losses[i])} vs ${fmt(b.losses[i])})` : a.confusion !== b.confusion ? ` in the confusion matrix (${a.confusion} vs ${b.confusion})` : ' in the validation scores';
      throw new CheckFailure(`two runs with the same seed differ${where}: a seeded run must repeat exactly — no Math.random, and no state kept from one call to the next in your functions`, {
        expected: `losses [${a.losses.slice(0, 3).map(fmt).join(', ')}, …], confusion ${a.confusion}`,
        actual: `losses [${b.losses.slice(0, 3).map(fmt).join(', ')}, …], confusion ${b.confusion}`,
      });
    }
  },

  // ── metrics ──
  'confusion-matrix': (ctx) => {
    const confusionMatrix = ctx.fn<(p: number[], a: number[], k: number) => unknown>(METRICS, 'confusionMatrix');
    // Class 2 is never predicted; two class-0 examples are predicted as 1, none the other way.
    const predicted = [0, 1, 1, 1, 0, 1, 0];
    const actual = [0, 0, 0, 1, 2, 2, 0];
    const call = `confusionMatrix([${predicted}], [${actual}], 3)`;
    const got = numberRows(confusionMatrix(predicted.slice(), actual.slice(), 3), call);
    const exp = confusionMatrixRef(predicted, actual, 3);
    if (JSON.stringify(got) !== JSON.stringify(exp)) {
      const transposed = JSON.stringify(got) === JSON.stringify(exp[0].map((_, j) => exp.map((row) => row[j])));
      throw new CheckFailure(`${call} is ${JSON.stringify(got)} but should be ${JSON.stringify(exp)}: ${transposed ? 'rows and columns are swapped — row = the ACTUAL class, column = the PREDICTED class' : 'matrix[actual][predicted] counts the examples of class actual predicted as predicted; a K×K matrix even for classes never predicted'}`, {
        expected: JSON.stringify(exp),
        actual: JSON.stringify(got),
      });
    }
  },
  'metrics-independent': (ctx) => {
    const classificationMetrics = ctx.fn<(m: number[][]) => unknown>(METRICS, 'classificationMetrics');
    for (const [seed, n, K, flip] of [[91, 200, 2, 0.3], [92, 120, 3, 0.5]] as const) {
      const { predicted, actual } = seededLabels(ctx, seed, n, K, flip);
      const matrix = confusionMatrixRef(predicted, actual, K);
      expectMetrics(classificationMetrics(matrix.map((r) => r.slice())), metricsFromPredictions(predicted, actual, K), `classificationMetrics(${JSON.stringify(matrix)})`);
    }
    // Asymmetric on purpose: precision and recall differ for every class.
    const m = [[50, 10], [5, 35]];
    expectMetrics(classificationMetrics(m.map((r) => r.slice())), classificationMetricsRef(m), 'classificationMetrics([[50, 10], [5, 35]])');
  },
  'metrics-zero-denominators': (ctx) => {
    const classificationMetrics = ctx.fn<(m: number[][]) => unknown>(METRICS, 'classificationMetrics');
    const cases: [number[][], string][] = [
      [[[3, 0, 0], [2, 0, 0], [0, 0, 4]], 'class 1 is never predicted (its precision is 0 / 0) and never right'],
      [[[5, 1], [0, 0]], 'class 1 never occurs (its recall is 0 / 0)'],
      [[[0, 0], [0, 0]], 'no examples at all'],
      [[[0, 3], [2, 0]], 'everything wrong (P + R = 0 for both classes)'],
    ];
    for (const [m, what] of cases) {
      expectMetrics(classificationMetrics(m.map((r) => r.slice())), classificationMetricsRef(m), `classificationMetrics(${JSON.stringify(m)}) — ${what}`);
    }
  },
  'metrics-random': (ctx) => {
    const classificationMetrics = ctx.fn<(m: number[][]) => unknown>(METRICS, 'classificationMetrics');
    const confusionMatrix = ctx.fn<(p: number[], a: number[], k: number) => unknown>(METRICS, 'confusionMatrix');
    for (let c = 0; c < 8; c++) {
      const K = 2 + (c % 4);
      const { predicted, actual } = seededLabels(ctx, 930 + c, 20 + 60 * c, K, c / 8);
      const call = `confusionMatrix(${predicted.length} seeded predictions, ${K} classes)`;
      const got = numberRows(confusionMatrix(predicted.slice(), actual.slice(), K), call);
      const exp = confusionMatrixRef(predicted, actual, K);
      if (JSON.stringify(got) !== JSON.stringify(exp)) throw new CheckFailure(`${call} is ${JSON.stringify(got)} but should be ${JSON.stringify(exp)}`, { expected: JSON.stringify(exp), actual: JSON.stringify(got) });
      expectMetrics(classificationMetrics(exp.map((r) => r.slice())), metricsFromPredictions(predicted, actual, K), `classificationMetrics(${JSON.stringify(exp)})`);
    }
  },
};

// The training panel's run is typed in core/protocol/views/trainingView.ts.
export type { FineTuneInput, TrainingProgress, TrainingResult };

/** The long-running tasks of this lab (RunTask): the training panel's fine-tuning. */
export const tasks: LabModule['tasks'] = { 'fine-tune': withMetricsFallback(fineTuneRun) };
