// The positions panel's numbers: the learner's own functions beside the references, one part
// per scheme. Each part is computed on its own: a learner function that throws or returns the
// wrong shape marks only its part with learnerError; the reference is always there.
import type { CheckContext, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import { shapeOf, toNested, type Numeric } from '../../core/checks/expect';
import type { LearnerError } from '../../core/protocol/sidecar';
import type {
  ExtrapolationCurve,
  PositionScheme,
  PositionsPart,
  PositionsViewData,
  PositionsViewInput,
  SimilarityCurve,
} from '../../core/protocol/views/positionsView';
import {
  alibiBiasRef,
  alibiSlopesRef,
  breaksAt,
  cosine,
  extrapolationRef,
  lookupRef,
  ropeRef,
  ropeThetas,
  sinusoidalRef,
  type ExtrapolationSeries,
} from '../../sidecar/reference/positionalEncodings';
import { mulberry32 } from '../../sidecar/reference/random';
import { randomMatrix } from '../../sidecar/reference/random';

const FILE = 'positions.ts';
const TABLE_SEED = 303;
const CONTENT_SEED = 304;
const MAX_ALIBI_TOKENS = 32;
type Tensor = ReturnType<Tf['tensor']>;

function clampInt(v: unknown, def: number, lo: number, hi: number): number {
  const n = Math.floor(Number(v ?? def));
  return Number.isFinite(n) ? Math.max(lo, Math.min(hi, n)) : def;
}

export function parsePositionsInput(input: unknown): Required<PositionsViewInput> {
  const i = (input ?? {}) as PositionsViewInput;
  const maxPosition = clampInt(i.maxPosition, 64, 4, 128);
  let dModel = clampInt(i.dModel, 32, 2, 128);
  if (dModel % 2 === 1) dModel += 1; // RoPE rotates pairs
  return {
    maxPosition,
    dModel,
    heads: clampInt(i.heads, 8, 1, 16),
    trainLength: clampInt(i.trainLength, 32, 2, 128),
    ropePair: clampInt(i.ropePair, 1, 0, dModel / 2 - 1),
  };
}

/** A learner value as nested numbers of exactly `shape`; a plain Error saying expected vs actual otherwise. */
function shaped<T>(value: unknown, shape: number[], what: string): T {
  let actual: number[];
  let nested: Numeric;
  try {
    nested = toNested(value, what);
    actual = shapeOf(nested, what);
  } catch (err) {
    throw new Error(err instanceof CheckFailure ? `${err.message}${err.actual ? ` (got ${err.actual})` : ''}` : String(err));
  }
  if (actual.join() !== shape.join()) throw new Error(`${what} should have shape [${shape.join(', ')}], got [${actual.join(', ')}]`);
  return nested as unknown as T;
}

function toLearnerError(err: unknown): LearnerError {
  const e = err as { message?: string; location?: LearnerError['location'] };
  return { message: e?.message ?? String(err), location: e?.location };
}

/** Runs one learner computation; its failure stays inside this part. */
function part<T>(reference: T, learner: () => T): PositionsPart<T> {
  try {
    return { learner: learner(), reference };
  } catch (err) {
    return { learner: null, reference, learnerError: toLearnerError(err) };
  }
}

/** y[k] = mean over p of cosine(rows[p], rows[p + k]). */
function cosineByDistance(rows: number[][]): number[] {
  return rows.map((_, k) => {
    let s = 0;
    for (let p = 0; p + k < rows.length; p++) s += cosine(rows[p], rows[p + k]);
    return s / (rows.length - k);
  });
}

/** y[k] = mean over heads and queries i ≥ k of exp(bias[h][i][i − k]): ALiBi's factor at distance k. */
function alibiByDistance(bias: number[][][]): number[] {
  const n = bias[0].length;
  return Array.from({ length: n }, (_, k) => {
    let s = 0;
    let c = 0;
    for (const m of bias) for (let i = k; i < n; i++, c++) s += Math.exp(m[i][i - k]);
    return s / c;
  });
}

function masked(bias: number[][][]): (number | null)[][][] {
  return bias.map((m) => m.map((row, i) => row.map((v, j) => (j > i ? null : v))));
}

export function positionsView(ctx: CheckContext, rawInput: unknown): PositionsViewData {
  const tf = ctx.tf;
  const input = parsePositionsInput(rawInput);
  const { maxPosition: N, dModel: d, heads, trainLength: L, ropePair } = input;
  const positions = Array.from({ length: N }, (_, p) => p);
  const table = randomMatrix(mulberry32(TABLE_SEED), N, d, 1); // an untrained learned table [N, d]
  const content = randomMatrix(mulberry32(CONTENT_SEED), 1, d, 1)[0]; // RoPE's query/key content [d]

  const sinusoidalFn = () => ctx.fn<(n: number, d: number) => unknown>(FILE, 'sinusoidalEncoding');
  const refPe = sinusoidalRef(N, d);
  const sinusoidal = part(refPe, () => shaped<number[][]>(sinusoidalFn()(N, d), [N, d], `sinusoidalEncoding(${N}, ${d})`));

  // ── similarity vs distance, one curve per scheme ──
  const curve = (scheme: PositionScheme, measure: string, reference: number[], learner: () => number[]): SimilarityCurve => ({
    scheme,
    measure,
    ...part(reference, learner),
  });
  const refRope = ropeRef(positions.map(() => content), positions);
  const refBiasFull = alibiBiasRef(N, heads);
  const curves: SimilarityCurve[] = [
    curve('sinusoidal', 'cosine(PE(p), PE(p+k))', cosineByDistance(refPe), () =>
      cosineByDistance(shaped<number[][]>(sinusoidalFn()(N, d), [N, d], `sinusoidalEncoding(${N}, ${d})`)),
    ),
    curve('learned', 'cosine(table[p], table[p+k]), untrained table', cosineByDistance(lookupRef(table, positions)), () => {
      const f = ctx.fn<(t: Tensor, p: number[]) => unknown>(FILE, 'lookupPositions');
      return cosineByDistance(shaped<number[][]>(f(tf.tensor2d(table), positions), [N, d], `lookupPositions(table [${N}, ${d}], 0..${N - 1})`));
    }),
    curve('rope', 'cosine(RoPE(c, p), RoPE(c, p+k))', cosineByDistance(refRope), () => {
      const f = ctx.fn<(x: Tensor, p: number[]) => unknown>(FILE, 'applyRope');
      const x = tf.tensor2d(positions.map(() => content));
      return cosineByDistance(shaped<number[][]>(f(x, positions), [N, d], `applyRope(x [${N}, ${d}], 0..${N - 1})`));
    }),
    curve('alibi', 'mean over heads of exp(bias) at distance k', alibiByDistance(refBiasFull), () => {
      const f = ctx.fn<(n: number, h: number) => unknown>(FILE, 'alibiBias');
      return alibiByDistance(shaped<number[][][]>(f(N, heads), [heads, N, N], `alibiBias(${N}, ${heads})`));
    }),
  ];

  // ── RoPE: one pair's 2-D point as the position grows ──
  const unit = Array.from({ length: d }, (_, j) => (j === 2 * ropePair ? 1 : 0));
  const pick = (rows: number[][]) => rows.map((r) => [r[2 * ropePair], r[2 * ropePair + 1]] as [number, number]);
  const ropeRotation = {
    pair: ropePair,
    theta: ropeThetas(d)[ropePair],
    ...part(pick(ropeRef(positions.map(() => unit), positions)), () => {
      const f = ctx.fn<(x: Tensor, p: number[]) => unknown>(FILE, 'applyRope');
      return pick(shaped<number[][]>(f(tf.tensor2d(positions.map(() => unit)), positions), [N, d], `applyRope(unit rows [${N}, ${d}], 0..${N - 1})`));
    }),
  };

  // ── ALiBi: slopes and per-head bias ──
  const n = Math.min(N, MAX_ALIBI_TOKENS);
  const alibi = {
    n,
    slopes: part(alibiSlopesRef(heads), () =>
      shaped<number[]>(ctx.fn<(h: number) => unknown>(FILE, 'alibiSlopes')(heads), [heads], `alibiSlopes(${heads})`),
    ),
    bias: part(masked(alibiBiasRef(n, heads)), () =>
      masked(shaped<number[][][]>(ctx.fn<(n: number, h: number) => unknown>(FILE, 'alibiBias')(n, heads), [heads, n, n], `alibiBias(${n}, ${heads})`)),
    ),
  };

  // ── extrapolation: positions 0..2L−1 with a table of L rows ──
  const M = 2 * L;
  const trainTable = randomMatrix(mulberry32(TABLE_SEED), L, d, 1);
  const ref = extrapolationRef(trainTable, content, heads, M);
  let learner: ExtrapolationSeries | null = null;
  let extrapolationError: LearnerError | undefined;
  try {
    const f = ctx.fn<(t: Tensor, c: number[], h: number, m: number) => unknown>(FILE, 'extrapolationStudy');
    learner = learnerSeries(f(tf.tensor2d(trainTable), content, heads, M), M);
  } catch (err) {
    extrapolationError = toLearnerError(err);
  }
  const schemes: PositionScheme[] = ['sinusoidal', 'learned', 'rope', 'alibi'];
  const extrapolationCurves: ExtrapolationCurve[] = schemes.map((s) => ({
    scheme: s,
    learner: learner ? learner[s] : null,
    reference: ref[s],
    breaksAt: { learner: learner ? breaksAt(learner[s]) : null, reference: breaksAt(ref[s]) },
  }));

  return {
    input,
    sinusoidal,
    similarity: { distances: positions, curves },
    ropeRotation,
    alibi,
    extrapolation: {
      positions: Array.from({ length: M }, (_, p) => p),
      trainLength: L,
      curves: extrapolationCurves,
      learnerError: extrapolationError,
    },
    source:
      `No trained model: the learned table is seeded random (untrained), and RoPE rotates one seeded random content vector. ` +
      `The curves show what each scheme computes, not what a trained model learns.`,
    tolerance: 1e-4,
  };
}

/** The learner's { sinusoidal, learned, rope, alibi }, each of length m (null allowed only in learned). */
function learnerSeries(value: unknown, m: number): ExtrapolationSeries {
  const v = value as Record<string, unknown> | undefined;
  const out: Partial<ExtrapolationSeries> = {};
  for (const key of ['sinusoidal', 'learned', 'rope', 'alibi'] as const) {
    const s = v && typeof v === 'object' ? v[key] : undefined;
    if (!Array.isArray(s) || s.length !== m) {
      throw new Error(`extrapolationStudy should return { sinusoidal, learned, rope, alibi }, each of length ${m}; ${key} is ${Array.isArray(s) ? `of length ${s.length}` : String(s)}`);
    }
    const bad = s.findIndex((x) => !(typeof x === 'number' || (key === 'learned' && x === null)));
    if (bad >= 0) throw new Error(`extrapolationStudy: ${key}[${bad}] is ${String(s[bad])}, expected a number${key === 'learned' ? ' or null' : ''}`);
    (out as Record<string, unknown>)[key] = s;
  }
  return out as ExtrapolationSeries;
}
