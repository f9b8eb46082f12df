// The trained mini-GPT for Lab 6's checks and panels, read from media/models/mini-gpt by the
// shared loader (sidecar/reference/miniGpt/loader.ts, which validates the files and names the
// bad one). The float arrays are read once per process and cached; tensors are made per call,
// inside the caller's scope, so the worker's per-check scope frees them.
import { CheckFailure, type Tf } from '../../../core/checks/checkApi';
import { findModelDir, loadMiniGpt } from '../miniGpt/loader';
import type { MiniGptConfig as GptConfig } from '../miniGpt/config';
import type { Params as GptWeights, Tensor } from '../miniGpt/layers';

export interface TrainedModel {
  config: GptConfig;
  /** id → character. */
  vocab: string[];
  arrays: Record<string, { shape: number[]; data: Float32Array }>;
}

let injected: TrainedModel | undefined;
let cached: TrainedModel | undefined;

/** Tests only: use this model instead of the file (undefined restores the file). */
export function useTrainedModelForTests(model: TrainedModel | undefined): void {
  injected = model;
}

/** The folder holding model.json, found by walking up from `fromDir` (out/, dist/ or the repo). */
export function findMiniGptDir(fromDir: string = __dirname): string {
  return findModelDir(fromDir);
}

export function readTrainedModel(dir: string): TrainedModel {
  const f = loadMiniGpt(dir);
  return { config: f.config, vocab: f.vocab, arrays: f.tensors };
}

export function trainedModel(): TrainedModel {
  if (injected) return injected;
  if (!cached) cached = readTrainedModel(findMiniGptDir());
  return cached;
}

/** The weights as tensors (nanoGPT names), created in the caller's tf scope. */
export function weightTensors(tf: Tf, model: TrainedModel): GptWeights {
  const w: GptWeights = {};
  for (const [name, a] of Object.entries(model.arrays)) w[name] = tf.tensor(a.data, a.shape, 'float32');
  return w;
}

/** Characters → ids; characters outside the vocabulary are dropped and reported. */
export function encodeText(model: TrainedModel, text: string): { ids: number[]; dropped: string[] } {
  const index = new Map(model.vocab.map((c, i) => [c, i]));
  const ids: number[] = [];
  const dropped: string[] = [];
  for (const ch of text) {
    const id = index.get(ch);
    if (id === undefined) {
      if (!dropped.includes(ch)) dropped.push(ch);
    } else ids.push(id);
  }
  return { ids, dropped };
}

export function decodeIds(model: TrainedModel, ids: number[]): string {
  return ids.map((i) => model.vocab[i] ?? '\uFFFD').join('');
}

/** A randomly initialised model in the same layout (GPT-2 init scale), for tests. */
export function randomTrainedModel(config: GptConfig, vocab: string[], rand: () => number): TrainedModel {
  const arrays: TrainedModel['arrays'] = {};
  const gauss = () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const add = (name: string, shape: number[], kind: 'normal' | 'ones' | 'small') => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let j = 0; j < n; j++) data[j] = kind === 'ones' ? 1 + 0.1 * gauss() : kind === 'small' ? 0.02 * gauss() : 0.2 * gauss();
    arrays[name] = { shape, data };
  };
  const C = config.nEmbd;
  add('wte', [config.vocabSize, C], 'normal');
  add('wpe', [config.blockSize, C], 'normal');
  for (let i = 0; i < config.nLayer; i++) {
    const p = `h.${i}.`;
    add(p + 'ln_1.weight', [C], 'ones');
    add(p + 'ln_1.bias', [C], 'small');
    add(p + 'attn.c_attn.weight', [C, 3 * C], 'normal');
    add(p + 'attn.c_attn.bias', [3 * C], 'small');
    add(p + 'attn.c_proj.weight', [C, C], 'normal');
    add(p + 'attn.c_proj.bias', [C], 'small');
    add(p + 'ln_2.weight', [C], 'ones');
    add(p + 'ln_2.bias', [C], 'small');
    add(p + 'mlp.c_fc.weight', [C, 4 * C], 'normal');
    add(p + 'mlp.c_fc.bias', [4 * C], 'small');
    add(p + 'mlp.c_proj.weight', [4 * C, C], 'normal');
    add(p + 'mlp.c_proj.bias', [C], 'small');
  }
  add('ln_f.weight', [C], 'ones');
  add('ln_f.bias', [C], 'small');
  return { config, vocab, arrays };
}

const LOGITS_CACHE_LIMIT = 5_000; // ≈ 4 MB of logits at V = 89
const logitsCaches = new WeakMap<TrainedModel, Map<string, number[]>>();

/** The trained model as the `nextLogits(tokens) → number[]` the decoding functions take. */
export interface ModelNextLogits {
  (tokens: number[]): number[];
  /**
   * The context whose logits the last run asked for and could not read synchronously (the
   * webgpu backend reads only with `await`); `fillMissing` computes them into the cache.
   */
  missing?: number[];
  /** The contexts asked for since untilLogitsReady last started a run, as cache keys. */
  asked: string[];
  fillMissing(): Promise<void>;
}

/**
 * A repeated run that no longer asks for the context the run before it stopped at: it draws from
 * something other than the seeded rng it was given (Math.random), so repeating it would never end.
 */
export class RunNotRepeatable extends CheckFailure {
  constructor(missed: string, asked: number) {
    super(
      "the decoding took another path when it was run again with the same seed: draw random numbers only from the rng you are given (strategy.rng), not Math.random — on this backend a decoding run is repeated while the model's logits are read",
      { expected: `the repeated run asks again for the tokens [${missed}]`, actual: `it asked for ${asked} other context${asked === 1 ? '' : 's'}, not for those` },
    );
  }
}

/** Thrown inside a decoding run when the logits it needs are not computed yet (see untilLogitsReady). */
export class LogitsNotReady extends Error {
  constructor() {
    super('the reference logits for these tokens are read asynchronously on this backend; the run is repeated once they are ready');
    this.name = 'LogitsNotReady';
  }
}

/**
 * The reference model's next-token logits, memoised per token sequence (the model is fixed,
 * so a warm re-check of a correct learner costs no forward pass). Weight tensors are made
 * only on a cache miss. Each call returns a fresh copy, so learner code cannot alter the cache.
 * `logits(weights, tokens)` is the [V] tensor of the next token. On a backend that reads
 * synchronously a miss is computed at once; on webgpu it is recorded and the call throws
 * LogitsNotReady, for untilLogitsReady to compute it with `await` and run the caller again.
 */
export function cachedNextLogits(
  tf: Tf,
  model: TrainedModel,
  logits: (weights: GptWeights, tokens: number[]) => Tensor,
  /** `own`: a cache of this function's own, for logits that are not the reference model's (the learner's attention plugged in). */
  opts: { cache?: 'shared' | 'own' } = {},
): ModelNextLogits {
  let shared = logitsCaches.get(model);
  if (!shared) logitsCaches.set(model, (shared = new Map()));
  const memo = opts.cache === 'own' ? new Map<string, number[]>() : shared;
  let weights: GptWeights | undefined;
  const remember = (key: string, values: ArrayLike<number>) => {
    if (memo.size >= LOGITS_CACHE_LIMIT) memo.clear();
    memo.set(key, Array.from(values));
  };
  const next = ((tokens: number[]) => {
    const ctx = tokens.slice(-model.config.blockSize);
    const key = ctx.join(',');
    next.asked.push(key);
    if (!memo.has(key)) {
      if (!readsSynchronously(tf)) {
        next.missing = ctx;
        throw new LogitsNotReady();
      }
      weights ??= weightTensors(tf, model);
      const w = weights;
      remember(key, tf.tidy(() => logits(w, ctx).dataSync()));
    }
    return memo.get(key)!.slice();
  }) as ModelNextLogits;
  next.asked = [];
  next.fillMissing = async () => {
    const ctx = next.missing;
    next.missing = undefined;
    if (!ctx) return;
    weights ??= weightTensors(tf, model);
    const w = weights;
    const t = tf.tidy(() => logits(w, ctx));
    try {
      remember(ctx.join(','), await t.data());
    } finally {
      t.dispose();
    }
  };
  return next;
}

/** False on tfjs-backend-webgpu in Node, whose dataSync() needs OffscreenCanvas. */
export function readsSynchronously(tf: Tf): boolean {
  return tf.getBackend() !== 'webgpu';
}

function missingOf(next: ModelNextLogits): number[] | undefined {
  return next.missing;
}

/**
 * Runs `run` (a decoding run that calls `next`, the learner's or the reference's) until every
 * logit it asked for was there: each miss is computed with `await` and the run starts over, so
 * `run` must start from scratch each time (its own copies of the prompt, a fresh seeded rng).
 * On a backend that reads synchronously there is no miss and `run` runs once. A run that
 * catches LogitsNotReady itself is still repeated: the miss is known from `next.missing`.
 */
export async function untilLogitsReady<T>(next: ModelNextLogits, run: () => T): Promise<T> {
  let missed: string | undefined;
  // One forward pass per distinct context at most; a run needs at most a few hundred.
  for (let attempt = 0; attempt < LOGITS_CACHE_LIMIT; attempt++) {
    next.missing = undefined;
    next.asked = [];
    let result: T | undefined;
    let thrown: { err: unknown } | undefined;
    try {
      result = run();
    } catch (err) {
      thrown = { err };
    }
    // Run again on the same values, a run makes the same choices, so it reaches the context the
    // last run stopped at (a learner's own memo of logits may skip the ones before it, not that one).
    if (missed !== undefined && !next.asked.includes(missed)) throw new RunNotRepeatable(missed, next.asked.length);
    // (Read through a function: TypeScript takes it for the undefined set above, but run() sets it.)
    const miss = missingOf(next);
    if (!miss) {
      if (thrown) throw thrown.err;
      return result as T;
    }
    missed = miss.join(',');
    await next.fillMissing();
  }
  throw new Error(`a decoding run asked for more than ${LOGITS_CACHE_LIMIT} contexts`);
}
