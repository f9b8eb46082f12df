// Fine-tuning the encoder for spam classification, one step at a time, with every piece the
// learner writes plugged in (batching, pooling, head, loss, training step, metrics) — or the
// references. It yields to the event loop between steps, so a cancel can arrive, and frees
// every tensor it made when it ends, cancelled or not. Every read of a tensor is awaited: the
// webgpu backend cannot read synchronously in Node, and the training step itself may be async.
import type * as tfTypes from '@tensorflow/tfjs-core';
import type {
  ClassScores,
  FineTuneInput,
  MisclassifiedMessage,
  TrainingEvalPoint,
  TrainingProgress,
  TrainingResult,
  TrainingStepPoint,
} from '../../../core/protocol/views/trainingView';
import { AdamW } from '../adamw';
import { mulberry32 } from '../random';
import { clsPoolRef, classifierLogitsRef, crossEntropyRef, meanPoolRef } from './classifier';
import { isMlmHead, tensorSpecs, type EncoderConfig } from './config';
import { encode, type Params, type Tensor, type Tf } from './encoder';
import { initialValues } from './init';
import type { EncoderFile } from './loader';
import { classificationMetricsRef, confusionMatrixRef, type Metrics } from './metrics';
import { CLASS_NAMES, GROUPS, type Group, type SpamExample } from './spamData';
import { HEAD_PREFIX, trainStepRef, type Optimizer, type StepOptions, type StepResult } from './trainStep';

export interface SpecialIds {
  cls: number;
  sep: number;
  pad: number;
}

export interface BatchArrays {
  ids: number[][];
  mask: number[][];
  lengths: number[];
}

/** The functions a run is made of: the learner's, or the references (referenceParts). */
export interface FineTuneParts {
  makeBatch(texts: string[], tokenize: (text: string) => number[], special: SpecialIds, maxLen: number): BatchArrays;
  clsPool(hidden: Tensor): Tensor;
  meanPool(hidden: Tensor, mask: Tensor): Tensor;
  classifierLogits(pooled: Tensor, w: Tensor, b: Tensor): Tensor;
  crossEntropy(logits: Tensor, labels: Tensor): Tensor;
  /** Async: it reads its loss and gradient norm from tensors (a learner's sync one is wrapped). */
  trainStep(params: Record<string, tfTypes.Variable>, loss: () => tfTypes.Scalar, optimizer: Optimizer, o: StepOptions): Promise<StepResult>;
  confusionMatrix(predicted: number[], actual: number[], numClasses: number): number[][];
  classificationMetrics(matrix: number[][]): Metrics;
}

export interface FineTuneHooks {
  progress(p: TrainingProgress): void;
  aborted(): boolean;
}

export const DEFAULTS = { init: 'pretrained', pooling: 'cls', batchSize: 16, validationSize: 256, evalEvery: 0 } as const;
export const MAX_GRAD_NORM = 1.0;
/** BERT's fine-tuning default: warm up over the first 10 % of the steps. */
export const WARMUP_FRACTION = 0.1;
export const NUM_CLASSES = 2;
const MAX_MISCLASSIFIED = 12;
/** The validation sample is the same for every run (its own fixed seed), so runs compare. */
const VALIDATION_SEED = 2024;

/** The reference implementation of every part. */
export function referenceParts(tf: Tf): FineTuneParts {
  return {
    makeBatch: makeBatchRef,
    clsPool: (h) => clsPoolRef(tf, h),
    meanPool: (h, m) => meanPoolRef(tf, h, m),
    classifierLogits: (p, w, b) => classifierLogitsRef(tf, p, w, b),
    crossEntropy: (l, y) => crossEntropyRef(tf, l, y),
    trainStep: (params, loss, opt, o) => trainStepRef(tf, params, loss, opt, o),
    confusionMatrix: confusionMatrixRef,
    classificationMetrics: classificationMetricsRef,
  };
}

/** [CLS] + the first maxLen − 2 tokens + [SEP], padded with [PAD] to the batch's longest row. */
export function makeBatchRef(texts: string[], tokenize: (text: string) => number[], special: SpecialIds, maxLen: number): BatchArrays {
  const rows = texts.map((t) => [special.cls, ...tokenize(t).slice(0, maxLen - 2), special.sep]);
  const width = Math.max(0, ...rows.map((r) => r.length));
  return {
    ids: rows.map((r) => [...r, ...new Array<number>(width - r.length).fill(special.pad)]),
    mask: rows.map((r) => Array.from({ length: width }, (_, t) => (t < r.length ? 1 : 0))),
    lengths: rows.map((r) => r.length),
  };
}

/** A sample of n examples with each group in proportion (largest remainders), in a seeded order. */
export function stratifiedSample(examples: SpamExample[], n: number, seed: number): SpamExample[] {
  const rand = mulberry32(seed);
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  if (n >= examples.length) return shuffle(examples.slice());
  const byGroup = GROUPS.map((g) => examples.filter((e) => e.group === g));
  const exact = byGroup.map((xs) => (n * xs.length) / examples.length);
  const take = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let r = n - take.reduce((a, b) => a + b, 0), k = 0; r > 0; r--, k++) take[order[k][1]]++;
  return shuffle(byGroup.flatMap((xs, g) => shuffle(xs.slice()).slice(0, take[g])));
}

const countGroups = (xs: SpamExample[]) => Object.fromEntries(GROUPS.map((g) => [g, xs.filter((e) => e.group === g).length])) as Record<Group, number>;

let runCounter = 0;

/** The encoder body (no MLM head) and a fresh head as variables, uniquely named per run. */
function makeParams(tf: Tf, cfg: EncoderConfig, body: Record<string, Float32Array>, seed: number) {
  const prefix = `lab5-finetune-${++runCounter}/`;
  const head = initialValues([{ name: 'head.w', shape: [cfg.dModel, NUM_CLASSES] }, { name: 'head.b', shape: [NUM_CLASSES] }], seed);
  const specs = [...tensorSpecs(cfg).filter((s) => !isMlmHead(s.name)), { name: 'head.w', shape: [cfg.dModel, NUM_CLASSES] }, { name: 'head.b', shape: [NUM_CLASSES] }];
  const params: Record<string, tfTypes.Variable> = {};
  // tidy frees the tensors the variables were copied from.
  for (const s of specs) params[s.name] = tf.tidy(() => tf.variable(tf.tensor(body[s.name] ?? head[s.name], s.shape, 'float32'), true, prefix + s.name));
  return params;
}

export interface FineTuneData {
  train: SpamExample[];
  validation: SpamExample[];
}

/**
 * One fine-tuning run. `encoder` gives the architecture, tokenizer and (for init 'pretrained')
 * the weights; data.train / data.validation are the full splits to sample from.
 */
export interface FineTuneOptions {
  /**
   * Hidden states of the pretrained, frozen encoder by batch (its ids and mask), kept between
   * runs: the encoder is fixed, so a repeated run (a check re-run as the learner types) skips it.
   */
  hiddenCache?: Map<string, { data: Float32Array; shape: number[] }>;
  /** Collect the misclassified messages with their [CLS] attention (default true; checks skip it). */
  explain?: boolean;
  /** Evaluate before the first step too (default true: the panel's curves start there). */
  evaluateBefore?: boolean;
}

const HIDDEN_CACHE_LIMIT = 64;

export async function fineTune(
  tf: Tf,
  encoder: EncoderFile,
  data: FineTuneData,
  input: FineTuneInput,
  parts: FineTuneParts,
  hooks: FineTuneHooks,
  options: FineTuneOptions = {},
): Promise<TrainingResult> {
  const started = performance.now();
  const inp: Required<FineTuneInput> = { ...DEFAULTS, evalEvery: 0, ...input } as Required<FineTuneInput>;
  const cfg = encoder.config;
  if (!(inp.seqLen >= 2 && inp.seqLen <= cfg.maxLen)) throw new RangeError(`seqLen must be 2…${cfg.maxLen} (the encoder's positions), got ${inp.seqLen}`);
  if (!(inp.subset >= 1) || !(inp.epochs >= 1) || !(inp.batchSize >= 1) || !(inp.lr > 0)) {
    throw new RangeError(`subset, epochs and batchSize must be ≥ 1 and lr > 0, got ${JSON.stringify({ subset: inp.subset, epochs: inp.epochs, batchSize: inp.batchSize, lr: inp.lr })}`);
  }
  const train = stratifiedSample(data.train, inp.subset, inp.seed);
  const val = stratifiedSample(data.validation, inp.validationSize, VALIDATION_SEED);
  const stepsPerEpoch = Math.ceil(train.length / inp.batchSize);
  const totalSteps = inp.epochs * stepsPerEpoch;
  const evalEvery = inp.evalEvery > 0 ? inp.evalEvery : Math.max(1, Math.round(totalSteps / 8));
  const schedule = { peakLr: inp.lr, warmupSteps: Math.round(WARMUP_FRACTION * totalSteps), totalSteps };
  const tokenize = (text: string) => encoder.tokenizer.encode(text, { disallowedSpecial: [] });
  const special: SpecialIds = { cls: encoder.special['[CLS]'], sep: encoder.special['[SEP]'], pad: encoder.special['[PAD]'] };

  const body =
    inp.init === 'random'
      ? initialValues(tensorSpecs(cfg), inp.seed + 7919)
      : Object.fromEntries(Object.entries(encoder.tensors).map(([k, t]) => [k, t.data]));
  const params = makeParams(tf, cfg, body, inp.seed);
  const p = params as unknown as Params;
  // The optimizer keeps moments only for what can train: the head alone when the encoder is frozen.
  const trainable = Object.entries(params).filter(([name]) => !inp.freezeEncoder || name.startsWith(HEAD_PREFIX));
  const byVarName: Record<string, tfTypes.Variable> = Object.fromEntries(trainable.map(([, v]) => [v.name, v]));
  const decays = new Set(trainable.filter(([, v]) => v.rank >= 2).map(([, v]) => v.name));
  const adamw = new AdamW(tf, byVarName, decays, { beta1: 0.9, beta2: 0.999, eps: 1e-6, weightDecay: 0.01, gradClip: 0 });
  const optimizer: Optimizer = {
    apply: (grads, lr) => {
      // undefined is what an un-awaited clipGradNorm(…).grads gives: say so, not "cannot convert undefined".
      if (!grads || typeof grads !== 'object') throw new Error(`the optimizer got ${String(grads)} instead of the gradients (an object of tensors keyed by variable name)${grads === undefined ? '; clipGradNorm is async: is its result awaited?' : ''}`);
      for (const k of Object.keys(grads)) {
        if (!byVarName[k]) throw new Error(`the optimizer got a gradient for "${k}", which ${inp.freezeEncoder ? 'is frozen' : 'is not a parameter of this model'}`);
      }
      // The norm AdamW would return is the learner's to report; reading it here would be a sync read.
      adamw.update(grads, lr)?.dispose();
    },
  };
  const owned: Tensor[] = [];
  const steps: TrainingStepPoint[] = [];
  const evals: TrainingEvalPoint[] = [];
  let trainMs = 0;
  const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));
  /**
   * tf.tidy for an async body (tf.tidy refuses a promise): every tensor made in between is freed
   * but the result. Nothing else runs tensor code in this worker meanwhile: the run is sequential.
   */
  const tidyAsync = async <T>(body: () => Promise<T>): Promise<T> => {
    tf.engine().startScope();
    let out: T | undefined;
    try {
      out = await body();
      return out;
    } finally {
      tf.engine().endScope(out as tfTypes.TensorContainer);
    }
  };
  const result = (status: TrainingResult['status'], final: TrainingResult['final'], confusion: number[][] | null, misclassified: MisclassifiedMessage[]): TrainingResult => ({
    status,
    input: inp,
    classNames: [...CLASS_NAMES],
    steps,
    evals,
    confusion,
    final,
    misclassified,
    data: { train: countGroups(train), validation: countGroups(val) },
    model: {
      layers: cfg.nLayer,
      heads: cfg.nHead,
      parameters: Object.values(params).reduce((n, v) => n + v.size, 0),
      trainedParameters: inp.freezeEncoder ? params['head.w'].size + params['head.b'].size : Object.values(params).reduce((n, v) => n + v.size, 0),
    },
    timing: { totalMs: performance.now() - started, trainMs, examplesPerSecond: trainMs > 0 ? (steps.length * inp.batchSize * 1000) / trainMs : 0 },
  });

  /** The learner's batch as tensors, after checking its shape. */
  const batchTensors = (rows: SpamExample[]) => {
    const b = parts.makeBatch(rows.map((r) => r.text), tokenize, special, inp.seqLen);
    const width = b?.ids?.[0]?.length;
    if (!b || !Array.isArray(b.ids) || !Array.isArray(b.mask) || b.ids.length !== rows.length || b.mask.length !== rows.length || !(width >= 1) || width > inp.seqLen) {
      throw new Error(`makeBatch returned ${b?.ids?.length ?? 'no'} rows of ${width ?? '?'} ids for ${rows.length} messages and maxLen ${inp.seqLen}`);
    }
    const ids = tf.tensor2d(b.ids, [rows.length, width], 'int32');
    const mask = tf.tensor2d(b.mask, [rows.length, width], 'float32');
    // The hidden-state cache's key, from the arrays: reading the tensors back would be a sync read.
    const key = cache ? `${ids.shape}|${b.ids.flat().join(',')}|${b.mask.flat().join(',')}` : '';
    return { ids, mask, key };
  };
  const cache = inp.init === 'pretrained' ? options.hiddenCache : undefined;
  /** The frozen encoder's hidden states [B, T, C] for a batch, from the cache when it was seen. */
  const frozenHidden = async (t: { ids: Tensor; mask: Tensor; key: string }): Promise<Tensor> => {
    const hit = cache?.get(t.key);
    if (hit) return tf.tensor(hit.data, hit.shape, 'float32');
    const hidden = encode(tf, p, cfg, t.ids, t.mask).hidden;
    if (cache) {
      const data = (await hidden.data()) as Float32Array;
      if (cache.size >= HIDDEN_CACHE_LIMIT) cache.clear();
      cache.set(t.key, { data, shape: hidden.shape });
    }
    return hidden;
  };
  const pool = (hidden: Tensor, mask: Tensor) => (inp.pooling === 'mean' ? parts.meanPool(hidden, mask) : parts.clsPool(hidden));
  /**
   * f(batch tensors) for the examples 32 at a time, without gradients, concatenated along the
   * first axis; undefined when cancelled (what was made so far is freed).
   */
  const inChunks = async (rows: SpamExample[], f: (t: { ids: Tensor; mask: Tensor; key: string }) => Tensor | Promise<Tensor>): Promise<Tensor | undefined> => {
    const chunks: Tensor[] = [];
    for (let i = 0; i < rows.length; i += 32) {
      if (hooks.aborted()) {
        tf.dispose(chunks);
        return undefined;
      }
      try {
        chunks.push(await tidyAsync(async () => f(batchTensors(rows.slice(i, i + 32)))));
      } catch (err) {
        tf.dispose(chunks);
        throw err;
      }
      await yieldToEventLoop();
    }
    const all = tf.concat(chunks, 0);
    tf.dispose(chunks);
    return all;
  };
  /** Sentence vectors [n, C] of the examples (a frozen encoder's features). */
  const features = (rows: SpamExample[]) => inChunks(rows, async (t) => pool(await frozenHidden(t), t.mask));
  const labelsOf = (rows: SpamExample[]) => tf.tensor1d(rows.map((r) => r.label), 'int32');

  try {
    hooks.progress({ kind: 'phase', phase: 'preparing', message: `${train.length} training and ${val.length} validation messages, ${totalSteps} steps` });
    let trainFeatures: Tensor | undefined;
    let valFeatures: Tensor | undefined;
    if (inp.freezeEncoder) {
      // The encoder never changes: its sentence vectors are computed once.
      hooks.progress({ kind: 'phase', phase: 'encoding', message: `encoding ${train.length + val.length} messages with the frozen encoder` });
      trainFeatures = await features(train);
      if (trainFeatures) owned.push(trainFeatures);
      valFeatures = trainFeatures && (await features(val));
      if (valFeatures) owned.push(valFeatures);
      if (!valFeatures) return result('cancelled', null, null, []);
    }
    const valLabels = labelsOf(val);
    owned.push(valLabels);

    /** Logits [n, 2] on the validation sample. */
    const validationLogits = async (): Promise<Tensor | undefined> => {
      if (valFeatures) return tf.tidy(() => parts.classifierLogits(valFeatures!, params['head.w'], params['head.b']));
      return inChunks(val, (t) => parts.classifierLogits(pool(encode(tf, p, cfg, t.ids, t.mask).hidden, t.mask), params['head.w'], params['head.b']));
    };
    const evaluate = async (step: number): Promise<{ point: TrainingEvalPoint; metrics: Metrics; matrix: number[][]; predicted: number[]; pSpam: number[] } | undefined> => {
      const logits = await validationLogits();
      if (!logits) return undefined;
      const read = tf.tidy(() => [parts.crossEntropy(logits, valLabels), tf.argMax(logits, 1), tf.slice(tf.softmax(logits), [0, 1], [val.length, 1])]);
      logits.dispose();
      let loss: number, predicted: number[], pSpam: number[];
      try {
        const [l, pr, ps] = await Promise.all(read.map((t) => t.data()));
        [loss, predicted, pSpam] = [l[0], Array.from(pr), Array.from(ps)];
      } finally {
        tf.dispose(read);
      }
      const matrix = parts.confusionMatrix(predicted, val.map((v) => v.label), NUM_CLASSES);
      const metrics = parts.classificationMetrics(matrix);
      const hard = val.flatMap((v, i) => (v.group === 'hard-ham' ? [predicted[i] === 0 ? 1 : 0] : []));
      const spam = metrics.perClass[1];
      const point: TrainingEvalPoint = {
        kind: 'eval',
        step,
        loss,
        accuracy: metrics.accuracy,
        precision: spam.precision,
        recall: spam.recall,
        f1: spam.f1,
        macroF1: metrics.macroF1,
        hardHamAccuracy: hard.length ? hard.reduce((a, b) => a + b, 0) / hard.length : 0,
      };
      evals.push(point);
      hooks.progress(point);
      return { point, metrics, matrix, predicted, pSpam };
    };

    let last: Awaited<ReturnType<typeof evaluate>>;
    if (options.evaluateBefore !== false) {
      hooks.progress({ kind: 'phase', phase: 'evaluating', message: 'validation before training' });
      last = await evaluate(0);
      if (!last) return result('cancelled', null, null, []);
    }
    hooks.progress({ kind: 'phase', phase: 'training', message: `${inp.epochs} epoch(s) of ${stepsPerEpoch} steps, batch ${inp.batchSize}` });
    const rand = mulberry32(inp.seed + 1);
    let step = 0;
    for (let epoch = 0; epoch < inp.epochs; epoch++) {
      const order = train.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let s = 0; s < stepsPerEpoch; s++, step++) {
        await yieldToEventLoop();
        if (hooks.aborted()) return result('cancelled', null, null, []);
        const idx = order.slice(s * inp.batchSize, (s + 1) * inp.batchSize);
        const rows = idx.map((i) => train[i]);
        const t0 = performance.now();
        let paddedTokens = 0;
        // The step's tensors (the batch, the gathered features) are freed when its scope ends.
        const out = await tidyAsync(async (): Promise<StepResult | undefined> => {
          const labels = labelsOf(rows);
          let loss: () => tfTypes.Scalar;
          if (trainFeatures) {
            const x = tf.gather(trainFeatures, tf.tensor1d(idx, 'int32'));
            loss = () => parts.crossEntropy(parts.classifierLogits(x, params['head.w'], params['head.b']), labels) as tfTypes.Scalar;
          } else {
            const t = batchTensors(rows);
            paddedTokens = t.ids.size;
            loss = () => parts.crossEntropy(parts.classifierLogits(pool(encode(tf, p, cfg, t.ids, t.mask).hidden, t.mask), params['head.w'], params['head.b']), labels) as tfTypes.Scalar;
          }
          return parts.trainStep(params, loss, optimizer, { step, schedule, maxGradNorm: MAX_GRAD_NORM, freezeEncoder: inp.freezeEncoder });
        });
        trainMs += performance.now() - t0;
        if (!out || !Number.isFinite(out.loss)) throw new Error(`trainStep returned loss ${out?.loss} at step ${step}`);
        const point: TrainingStepPoint = { kind: 'step', step, totalSteps, epoch, loss: out.loss, lr: out.lr, gradNorm: out.gradNorm, paddedTokens, elapsedMs: performance.now() - started };
        steps.push(point);
        hooks.progress(point);
        if ((step + 1) % evalEvery === 0 || step + 1 === totalSteps) {
          const e = await evaluate(step + 1);
          if (!e) return result('cancelled', null, null, []);
          last = e;
        }
      }
    }
    const final = last!; // the last step always evaluates
    const wrong = options.explain === false ? [] : val.flatMap((v, i) => (final.predicted[i] !== v.label ? [i] : [])).slice(0, MAX_MISCLASSIFIED);
    if (wrong.length) hooks.progress({ kind: 'phase', phase: 'explaining', message: 'attention of [CLS] in the misclassified messages' });
    const misclassified: MisclassifiedMessage[] = [];
    for (const i of wrong) {
      await yieldToEventLoop();
      if (hooks.aborted()) break;
      misclassified.push(await explain(tf, p, cfg, encoder, val[i], final.predicted[i], final.pSpam[i], tokenize, special, inp.seqLen, parts));
    }
    const perClass: ClassScores[] = final.metrics.perClass.map((c) => ({ precision: c.precision, recall: c.recall, f1: c.f1, support: c.support }));
    return result('done', { accuracy: final.metrics.accuracy, perClass, macroF1: final.metrics.macroF1, hardHamAccuracy: final.point.hardHamAccuracy }, final.matrix, misclassified);
  } finally {
    tf.dispose(owned);
    adamw.dispose();
    tf.dispose(Object.values(params));
  }
}

/** One message through the fine-tuned model alone, with the [CLS] row of every layer's attention. */
async function explain(
  tf: Tf,
  p: Params,
  cfg: EncoderConfig,
  encoder: EncoderFile,
  v: SpamExample,
  predicted: number,
  pSpam: number,
  tokenize: (t: string) => number[],
  special: SpecialIds,
  seqLen: number,
  parts: FineTuneParts,
): Promise<MisclassifiedMessage> {
  const b = parts.makeBatch([v.text], tokenize, special, seqLen);
  const ids = b.ids[0];
  const T = ids.length;
  const rows = tf.tidy(() => {
    const r = encode(tf, p, cfg, tf.tensor2d([ids], [1, T], 'int32'), tf.tensor2d([b.mask[0]], [1, T], 'float32'), { collectAttention: true });
    const cls = r.attention!.map((a) => tf.reshape(tf.slice(a, [0, 0, 0, 0], [1, cfg.nHead, 1, T]), [cfg.nHead, T]));
    tf.dispose(r.attention!); // kept by encode: the tidy would not free them
    return cls;
  });
  let clsAttention: number[][][];
  try {
    clsAttention = (await Promise.all(rows.map((t) => t.array()))) as number[][][];
  } finally {
    tf.dispose(rows);
  }
  const names = new Map(Object.entries(encoder.special).map(([k, id]) => [id, k]));
  return {
    id: v.id,
    group: v.group,
    label: v.label,
    predicted,
    pSpam,
    text: v.text,
    tokens: ids.map((id) => names.get(id) ?? encoder.tokenizer.decode([id])),
    clsAttention,
  };
}

