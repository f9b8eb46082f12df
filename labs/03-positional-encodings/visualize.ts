// The positions panel's numbers: the learner's own functions beside the references, one part
// per scheme. Each part is computed on its own: a learner function that throws or returns the
// wrong shape marks only its part with learnerError; the reference is always there.
import type { CheckContext, LabView, ReferenceContext, Tf } from '../../core/checks/checkApi';
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
async function shaped<T>(value: unknown, shape: number[], what: string): Promise<T> {
  let actual: number[];
  let nested: Numeric;
  try {
    nested = await toNested(value, what);
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

/** A part with only its reference yet: the learner part fills it in. */
function pending<T>(reference: T): PositionsPart<T> {
  return { learner: null, reference };
}

/** Runs one learner computation into its part; its failure stays inside this part. */
async function fill<T>(p: PositionsPart<T>, learner: () => Promise<T>): Promise<void> {
  try {
    p.learner = await learner();
  } catch (err) {
    p.learnerError = toLearnerError(err);
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

interface PositionsShared {
  input: Required<PositionsViewInput>;
  positions: number[];
  table: number[][];
  content: number[];
  unit: number[];
  trainTable: number[][];
}

const SCHEMES: PositionScheme[] = ['sinusoidal', 'learned', 'rope', 'alibi'];

/** Two parts (core/checks/checkApi.ts LabView): every reference curve first, outside the learner's time limit. */
export const positionsView: LabView<PositionsViewData, PositionsShared> = {
  reference(_ctx: ReferenceContext, rawInput: unknown) {
    const input = parsePositionsInput(rawInput);
    const { maxPosition: N, dModel: d, heads, trainLength: L, ropePair } = input;
    const positions = Array.from({ length: N }, (_, p) => p);
    const table = randomMatrix(mulberry32(TABLE_SEED), N, d, 1); // an untrained learned table [N, d]
    const content = randomMatrix(mulberry32(CONTENT_SEED), 1, d, 1)[0]; // RoPE's query/key content [d]
    const refPe = sinusoidalRef(N, d);
    const curve = (scheme: PositionScheme, measure: string, reference: number[]): SimilarityCurve => ({ scheme, measure, ...pending(reference) });
    const unit = Array.from({ length: d }, (_, j) => (j === 2 * ropePair ? 1 : 0));
    const n = Math.min(N, MAX_ALIBI_TOKENS);
    const M = 2 * L;
    const trainTable = randomMatrix(mulberry32(TABLE_SEED), L, d, 1);
    const ref = extrapolationRef(trainTable, content, heads, M);
    const payload: PositionsViewData = {
      input,
      sinusoidal: pending(refPe),
      similarity: {
        distances: positions,
        curves: [
          curve('sinusoidal', 'cosine(PE(p), PE(p+k))', cosineByDistance(refPe)),
          curve('learned', 'cosine(table[p], table[p+k]), untrained table', cosineByDistance(lookupRef(table, positions))),
          curve('rope', 'cosine(RoPE(c, p), RoPE(c, p+k))', cosineByDistance(ropeRef(positions.map(() => content), positions))),
          curve('alibi', 'mean over heads of exp(bias) at distance k', alibiByDistance(alibiBiasRef(N, heads))),
        ],
      },
      ropeRotation: { pair: ropePair, theta: ropeThetas(d)[ropePair], ...pending(pickPair(ropeRef(positions.map(() => unit), positions), ropePair)) },
      alibi: { n, slopes: pending(alibiSlopesRef(heads)), bias: pending(masked(alibiBiasRef(n, heads))) },
      extrapolation: {
        positions: Array.from({ length: M }, (_, p) => p),
        trainLength: L,
        curves: SCHEMES.map((scheme) => ({ scheme, learner: null, reference: ref[scheme], breaksAt: { learner: null, reference: breaksAt(ref[scheme]) } })),
      },
      source:
        `No trained model: the learned table is seeded random (untrained), and RoPE rotates one seeded random content vector. ` +
        `The curves show what each scheme computes, not what a trained model learns.`,
      tolerance: 1e-4,
    };
    return { payload, shared: { input, positions, table, content, unit, trainTable } };
  },

  async learner(ctx: CheckContext, payload: PositionsViewData, { input, positions, table, content, unit, trainTable }: PositionsShared) {
    const tf = ctx.tf;
    const { maxPosition: N, dModel: d, heads, trainLength: L, ropePair } = input;
    const sinusoidal = () => shaped<number[][]>(ctx.fn<(n: number, d: number) => unknown>(FILE, 'sinusoidalEncoding')(N, d), [N, d], `sinusoidalEncoding(${N}, ${d})`);
    await fill(payload.sinusoidal, sinusoidal);

    // ── similarity vs distance, one curve per scheme ──
    const learnerCurves: Record<PositionScheme, () => Promise<number[]>> = {
      sinusoidal: async () => cosineByDistance(await sinusoidal()),
      learned: async () => {
        const f = ctx.fn<(t: Tensor, p: number[]) => unknown>(FILE, 'lookupPositions');
        return cosineByDistance(await shaped<number[][]>(f(tf.tensor2d(table), positions), [N, d], `lookupPositions(table [${N}, ${d}], 0..${N - 1})`));
      },
      rope: async () => {
        const f = ctx.fn<(x: Tensor, p: number[]) => unknown>(FILE, 'applyRope');
        const x = tf.tensor2d(positions.map(() => content));
        return cosineByDistance(await shaped<number[][]>(f(x, positions), [N, d], `applyRope(x [${N}, ${d}], 0..${N - 1})`));
      },
      alibi: async () => {
        const f = ctx.fn<(n: number, h: number) => unknown>(FILE, 'alibiBias');
        return alibiByDistance(await shaped<number[][][]>(f(N, heads), [heads, N, N], `alibiBias(${N}, ${heads})`));
      },
    };
    for (const c of payload.similarity.curves) await fill(c, learnerCurves[c.scheme]);

    // ── RoPE: one pair's 2-D point as the position grows ──
    await fill(payload.ropeRotation, async () => {
      const f = ctx.fn<(x: Tensor, p: number[]) => unknown>(FILE, 'applyRope');
      return pickPair(await shaped<number[][]>(f(tf.tensor2d(positions.map(() => unit)), positions), [N, d], `applyRope(unit rows [${N}, ${d}], 0..${N - 1})`), ropePair);
    });

    // ── ALiBi: slopes and per-head bias ──
    const n = payload.alibi.n;
    await fill(payload.alibi.slopes, () => shaped<number[]>(ctx.fn<(h: number) => unknown>(FILE, 'alibiSlopes')(heads), [heads], `alibiSlopes(${heads})`));
    await fill(payload.alibi.bias, async () =>
      masked(await shaped<number[][][]>(ctx.fn<(n: number, h: number) => unknown>(FILE, 'alibiBias')(n, heads), [heads, n, n], `alibiBias(${n}, ${heads})`)),
    );

    // ── extrapolation: positions 0..2L−1 with a table of L rows ──
    const M = 2 * L;
    try {
      // Async-capable: it reads tensors, which on webgpu only an `await` can do.
      const f = ctx.fn<(t: Tensor, c: number[], h: number, m: number) => Promise<unknown>>(FILE, 'extrapolationStudy', { async: true });
      const learner = learnerSeries(await f(tf.tensor2d(trainTable), content, heads, M), M);
      for (const c of payload.extrapolation.curves) {
        c.learner = learner[c.scheme];
        c.breaksAt.learner = breaksAt(learner[c.scheme]);
      }
    } catch (err) {
      payload.extrapolation.learnerError = toLearnerError(err);
    }
    return payload;
  },
};

/** RoPE pair i of every row, as 2-D points. */
function pickPair(rows: number[][], pair: number): [number, number][] {
  return rows.map((r) => [r[2 * pair], r[2 * pair + 1]] as [number, number]);
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
