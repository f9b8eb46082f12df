// Parameters of Lab 2's blocks: the types, a seeded "freshly initialised" set, and the
// conversions checks and the panel need (plain arrays → tensors, tensors ↔ a flat list for tf.grads).
import type * as tfTypes from '@tensorflow/tfjs-core';
import { mulberry32, randomMatrix } from '../random';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

/** LayerNorm gain γ and bias β, each [d]. */
export interface LayerNormParams<T = Tensor> {
  gamma: T;
  beta: T;
}
/** Attention projections, each [d, d]. */
export interface AttentionParams<T = Tensor> {
  wq: T;
  wk: T;
  wv: T;
  wo: T;
}
/** Position-wise FFN: w1 [d, 4d], b1 [4d], w2 [4d, d], b2 [d]. */
export interface FfnParams<T = Tensor> {
  w1: T;
  b1: T;
  w2: T;
  b2: T;
}
export interface EncoderBlockParams<T = Tensor> {
  attn: AttentionParams<T>;
  ffn: FfnParams<T>;
  ln1: LayerNormParams<T>;
  ln2: LayerNormParams<T>;
}
export interface DecoderBlockParams<T = Tensor> {
  selfAttn: AttentionParams<T>;
  crossAttn: AttentionParams<T>;
  ffn: FfnParams<T>;
  ln1: LayerNormParams<T>;
  ln2: LayerNormParams<T>;
  ln3: LayerNormParams<T>;
}
export interface StackParams<B> {
  layers: B[];
  /** The final LayerNorm of a Pre-LN stack (ignored by Post-LN: its last block already ends in one). */
  final: LayerNormParams;
}

type Plain = number[] | number[][];
type Rand = () => number;

function lnInit(d: number, rand?: Rand): LayerNormParams<number[]> {
  // Standard init is γ = 1, β = 0; `rand` perturbs them so that a check can see γ and β used.
  if (!rand) return { gamma: new Array(d).fill(1), beta: new Array(d).fill(0) };
  return { gamma: Array.from({ length: d }, () => 1 + 0.5 * (rand() - 0.5)), beta: Array.from({ length: d }, () => rand() - 0.5) };
}

/** N(0, 1/fan_in) weights (each projection keeps the activation scale at init), zero biases. */
function attnInit(rand: Rand, d: number): AttentionParams<number[][]> {
  const s = 1 / Math.sqrt(d);
  return { wq: randomMatrix(rand, d, d, s), wk: randomMatrix(rand, d, d, s), wv: randomMatrix(rand, d, d, s), wo: randomMatrix(rand, d, d, s) };
}

function ffnInit(rand: Rand, d: number, randomBias: boolean): FfnParams<Plain> {
  const bias = (n: number) => Array.from({ length: n }, () => (randomBias ? 0.2 * (rand() - 0.5) : 0));
  return { w1: randomMatrix(rand, d, 4 * d, 1 / Math.sqrt(d)), b1: bias(4 * d), w2: randomMatrix(rand, 4 * d, d, 1 / Math.sqrt(4 * d)), b2: bias(d) };
}

export interface InitOptions {
  /** Random γ, β and biases instead of 1, 0, 0, so a check can tell whether they are used. */
  perturb?: boolean;
}

export function initEncoderBlock(seed: number, d: number, opts: InitOptions = {}): EncoderBlockParams<Plain> {
  const rand = mulberry32(seed);
  const r = opts.perturb ? rand : undefined;
  return { attn: attnInit(rand, d), ffn: ffnInit(rand, d, !!r), ln1: lnInit(d, r), ln2: lnInit(d, r) };
}

export function initDecoderBlock(seed: number, d: number, opts: InitOptions = {}): DecoderBlockParams<Plain> {
  const rand = mulberry32(seed);
  const r = opts.perturb ? rand : undefined;
  return {
    selfAttn: attnInit(rand, d),
    crossAttn: attnInit(rand, d),
    ffn: ffnInit(rand, d, !!r),
    ln1: lnInit(d, r),
    ln2: lnInit(d, r),
    ln3: lnInit(d, r),
  };
}

/** N blocks from seeds seed·1000 + l, and the final LayerNorm. */
export function initStack<B>(init: (seed: number) => B, seed: number, layers: number, d: number, perturb = false): { layers: B[]; final: LayerNormParams<number[]> } {
  const rand = mulberry32(seed ^ 0x5bd1e995);
  return { layers: Array.from({ length: layers }, (_, l) => init(seed * 1000 + l)), final: lnInit(d, perturb ? rand : undefined) };
}

/** Every leaf of a nested parameter object, in a fixed key order. */
export function leaves<T>(p: unknown, out: T[] = []): T[] {
  if (Array.isArray(p) && (p.length === 0 || typeof p[0] === 'number' || Array.isArray(p[0]))) {
    out.push(p as T);
  } else if (p && typeof p === 'object' && !Array.isArray(p) && !isTensorLike(p)) {
    for (const k of Object.keys(p).sort()) leaves(p[k as keyof typeof p], out);
  } else if (Array.isArray(p)) {
    for (const x of p) leaves(x, out);
  } else {
    out.push(p as T);
  }
  return out;
}

function isTensorLike(p: unknown): boolean {
  return typeof (p as { dataSync?: unknown }).dataSync === 'function';
}

/** The same nested object with every leaf replaced, in leaves() order. */
export function rebuild<T>(template: unknown, values: T[]): any {
  let i = 0;
  const walk = (p: unknown): unknown => {
    if (Array.isArray(p) && (p.length === 0 || typeof p[0] === 'number' || Array.isArray(p[0]))) return values[i++];
    if (p && typeof p === 'object' && !Array.isArray(p) && !isTensorLike(p)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(p).sort()) o[k] = walk((p as Record<string, unknown>)[k]);
      return o;
    }
    if (Array.isArray(p)) return p.map(walk);
    return values[i++];
  };
  return walk(template);
}

/** Plain nested numbers → tensors, same structure. */
export function toTensors(tf: Tf, plain: unknown): any {
  return rebuild(plain, leaves<number[] | number[][]>(plain).map((a) => tf.tensor(a as number[])));
}
