// Lab 3 checks: trusted code that runs in the sidecar's worker and calls the learner's
// functions through ctx.fn. Most checks test a PROPERTY of a position scheme (RoPE scores
// depend only on the offset, rotations keep norms, …) before or beside agreement with the
// float64 references. Every tensor created here is released by the runner's scope.
import type { CheckContext, LabModule, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import { describe, expectAllClose, expectFinite, expectShape, fmt, shapeOf, toNested, type KnownMistake } from '../../core/checks/expect';
import {
  alibiBiasRef,
  alibiSlopesRef,
  dot,
  extrapolationRef,
  lookupRef,
  pooledSentenceRef,
  ropeRef,
  ropeThetas,
  selfAttentionRef,
  sinusoidalRef,
} from '../../sidecar/reference/positionalEncodings';
import { seededProjections, tokenEmbedding } from '../../sidecar/reference/positions';
import { randomMatrix } from '../../sidecar/reference/random';
import { positionsView } from './visualize';

const FILE = 'positions.ts';
type Tensor = ReturnType<Tf['tensor']>;
type Weights = { wq: Tensor; wk: Tensor; wv: Tensor };
type Series = { sinusoidal: unknown; learned: unknown; rope: unknown; alibi: unknown };

/** Anything at or below this above the diagonal counts as masked (−1e9 and −Infinity both do). */
const MASKED_AT_MOST = -1e4;

const sinusoidal = (ctx: CheckContext) => ctx.fn<(maxLen: number, d: number) => unknown>(FILE, 'sinusoidalEncoding');
const lookup = (ctx: CheckContext) => ctx.fn<(t: Tensor, p: number[]) => unknown>(FILE, 'lookupPositions');
const rope = (ctx: CheckContext) => ctx.fn<(x: Tensor, p: number[]) => unknown>(FILE, 'applyRope');
const slopesFn = (ctx: CheckContext) => ctx.fn<(heads: number) => unknown>(FILE, 'alibiSlopes');
const biasFn = (ctx: CheckContext) => ctx.fn<(n: number, heads: number) => unknown>(FILE, 'alibiBias');
// These two return numbers read out of tensors, which on webgpu only an `await` can do, so they
// may be async; one written synchronously (arraySync) still passes where sync reads exist (wasm, cpu).
const study = (ctx: CheckContext) => ctx.fn<(t: Tensor, c: number[], h: number, m: number) => Promise<unknown>>(FILE, 'extrapolationStudy', { async: true });
const selfAttn = (ctx: CheckContext) => ctx.fn<(x: Tensor, w: Weights) => unknown>(FILE, 'selfAttention');
const pooled = (ctx: CheckContext) => ctx.fn<(x: Tensor, w: Weights, add: boolean) => Promise<unknown>>(FILE, 'pooledSentence', { async: true });

function rows(ctx: CheckContext, seed: number, n: number, d: number): number[][] {
  return randomMatrix(ctx.rng(seed), n, d);
}

/** The learner's RoPE of rows x at positions, as plain rows, shape-checked. */
async function ropeRows(ctx: CheckContext, x: number[][], positions: number[], what: string): Promise<number[][]> {
  const out = rope(ctx)(ctx.tf.tensor2d(x), positions);
  return (await expectFinite(await expectShape(out, [x.length, x[0].length], what), what)) as number[][];
}

/** The learner's sinusoidal table, shape-checked (with a word on odd widths). */
async function sinusoidalRows(ctx: CheckContext, maxLen: number, d: number): Promise<number[][]> {
  const what = `sinusoidalEncoding(${maxLen}, ${d})`;
  const got = await toNested(sinusoidal(ctx)(maxLen, d), what);
  const shape = shapeOf(got, what);
  if (d % 2 === 1 && shape.length === 2 && shape[0] === maxLen && Math.abs(shape[1] - d) === 1) {
    throw new CheckFailure(`${what} has ${shape[1]} columns, not ${d}: with an odd d the pairs (sin, cos) do not fill the row — there is one column per dimension j = 0 … d − 1, and the last one (j = ${d - 1}, even) is a sine on its own`, {
      expected: `[${maxLen}, ${d}]`,
      actual: `[${shape.join(', ')}]`,
    });
  }
  return (await expectFinite(await expectShape(got, [maxLen, d], what), what)) as number[][];
}

/** RoPE with a different rule, for naming a mistake when the learner's output matches it. */
function ropeVariant(x: number[][], positions: number[], variant: 'clockwise' | 'row-index' | 'theta-i' | 'half'): number[][] {
  return x.map((row, t) => {
    const d = row.length;
    const out = row.slice();
    ropeThetas(d).forEach((theta, i) => {
      const angle = (variant === 'row-index' ? t : positions[t]) * (variant === 'theta-i' ? Math.pow(10000, -i / d) : theta);
      const [a, b] = variant === 'half' ? [i, i + d / 2] : [2 * i, 2 * i + 1];
      const s = variant === 'clockwise' ? -Math.sin(angle) : Math.sin(angle);
      out[a] = row[a] * Math.cos(angle) - row[b] * s;
      out[b] = row[a] * s + row[b] * Math.cos(angle);
    });
    return out;
  });
}

const ROPE_MISTAKES = (x: number[][], positions: number[]): KnownMistake[] => [
  { value: () => ropeVariant(x, positions, 'clockwise'), means: 'that rotates clockwise: x′_2i = x_2i·cos − x_2i+1·sin and x′_2i+1 = x_2i·sin + x_2i+1·cos (counter-clockwise)' },
  { value: () => ropeVariant(x, positions, 'row-index'), means: 'that rotates row t by t·θ_i: row t sits at positions[t], not at t' },
  { value: () => ropeVariant(x, positions, 'theta-i'), means: 'that uses θ_i = 10000^(−i/d): the exponent is −2i/d' },
  { value: () => ropeVariant(x, positions, 'half'), means: 'that pairs x_i with x_{i+d/2} (the "half" layout): this lab rotates consecutive pairs (x_2i, x_2i+1)' },
];

/** Bias above the diagonal must be very negative; returns the bias with those entries set to −1e9. */
async function normalizedBias(value: unknown, heads: number, n: number, what: string): Promise<number[][][]> {
  const b = (await expectShape(value, [heads, n, n], what)) as number[][][];
  return b.map((m, h) =>
    m.map((row, i) =>
      row.map((v, j) => {
        if (j <= i) {
          if (!Number.isFinite(v)) {
            throw new CheckFailure(`${what}[${h}][${i}][${j}] is ${v}, but a key at or before the query gets a finite bias`, {
              expected: fmt(-alibiSlopesRef(heads)[h] * (i - j)),
              actual: String(v),
            });
          }
          return v;
        }
        if (!(v <= MASKED_AT_MOST)) {
          throw new CheckFailure(`${what}[${h}][${i}][${j}] is ${fmt(v)}: key ${j} comes after query ${i}, so it must be masked`, {
            expected: '−1e9 (or −Infinity) above the diagonal',
            actual: fmt(v),
          });
        }
        return -1e9;
      }),
    ),
  );
}

function asSeries(value: unknown, what: string): Series {
  const v = value as Partial<Series> | undefined;
  const keys = ['sinusoidal', 'learned', 'rope', 'alibi'];
  if (!v || typeof v !== 'object' || !keys.every((k) => k in v)) {
    throw new CheckFailure(`${what} should return { sinusoidal, learned, rope, alibi }`, {
      expected: '{ sinusoidal, learned, rope, alibi }',
      actual: describe(value),
    });
  }
  return v as Series;
}

/** The learned series as a plain array of length m (numbers, or null past the table). */
function learnedArray(series: Series, m: number): unknown[] {
  const learned = series.learned;
  if (!Array.isArray(learned) || learned.length !== m) {
    throw new CheckFailure(`extrapolationStudy(…, ${m}).learned should be an array with one entry per position 0..${m - 1} (null past the table)`, {
      expected: `an array of length ${m}`,
      actual: describe(learned),
    });
  }
  return learned;
}

/** "dog bites man" and "man bites dog" as token embeddings [3, d], and seeded projections. */
function sentences(ctx: CheckContext, d: number) {
  const tf = ctx.tf;
  const emb = (words: string[]) => tf.tensor2d(words.map((w) => tokenEmbedding(w, d)));
  const p = seededProjections(2017, d);
  return {
    a: emb(['dog', 'bites', 'man']),
    b: emb(['man', 'bites', 'dog']),
    raw: { a: ['dog', 'bites', 'man'].map((w) => tokenEmbedding(w, d)), b: ['man', 'bites', 'dog'].map((w) => tokenEmbedding(w, d)) },
    plain: { wq: p.wq, wk: p.wk, wv: p.wv },
    w: { wq: tf.tensor2d(p.wq), wk: tf.tensor2d(p.wk), wv: tf.tensor2d(p.wv) },
  };
}

function maxAbsDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

async function vectorOf(value: unknown, d: number, what: string): Promise<number[]> {
  return (await expectFinite(await expectShape(value, [d], what), what)) as number[];
}

export const checks: LabModule['checks'] = {
  // ── Part 1: sinusoidal ──
  'sinusoidal-shape': async (ctx) => {
    await sinusoidalRows(ctx, 10, 6);
  },
  'sinusoidal-formula': async (ctx) => {
    const d = 16;
    const pe = await sinusoidalRows(ctx, 50, d);
    const concatenated = (pos: number, j: number) => {
      const i = j % (d / 2);
      const a = pos / Math.pow(10000, (2 * i) / d);
      return j < d / 2 ? Math.sin(a) : Math.cos(a);
    };
    const points = [[7, 0], [7, 1], [23, 6], [23, 7], [49, 14], [49, 15]];
    // Only when every point fits the concatenated layout is that what the learner wrote.
    const isConcatenated = points.every(([pos, j]) => Math.abs(pe[pos][j] - concatenated(pos, j)) < 1e-5);
    for (const [pos, j] of points) {
      const twoI = j - (j % 2);
      const want = (j % 2 === 0 ? Math.sin : Math.cos)(pos / Math.pow(10000, twoI / d));
      const got = pe[pos][j];
      if (Math.abs(got - want) > 1e-5) {
        const formula = `${j % 2 === 0 ? 'sin' : 'cos'}(${pos} / 10000^(${twoI}/${d}))`;
        const layout = isConcatenated ? " — that is the concatenated layout (all sines, then all cosines); this lab uses the paper's interleaved layout" : '';
        throw new CheckFailure(`sinusoidalEncoding(50, 16): PE[${pos}][${j}] should be ${formula} = ${fmt(want)}, got ${fmt(got)}${layout}`, {
          expected: fmt(want),
          actual: fmt(got),
        });
      }
    }
  },
  'sinusoidal-matches-reference': async (ctx) => {
    await expectAllClose(await sinusoidalRows(ctx, 40, 12), sinusoidalRef(40, 12), 'sinusoidalEncoding(40, 12)', { atol: 1e-5 });
  },
  'sinusoidal-relative-dot': async (ctx) => {
    const d = 16;
    const pe = await sinusoidalRows(ctx, 64, d);
    const self = dot(pe[5], pe[5]);
    if (Math.abs(self - d / 2) > 1e-4) {
      throw new CheckFailure(`sinusoidalEncoding(64, 16): PE(5)·PE(5) should be d/2 = ${d / 2} (each pair contributes sin² + cos² = 1), got ${fmt(self)}`, {
        expected: String(d / 2),
        actual: fmt(self),
      });
    }
    for (const k of [1, 4, 13]) {
      const base = dot(pe[0], pe[k]);
      for (let p = 1; p + k < 64; p++) {
        const v = dot(pe[p], pe[p + k]);
        if (Math.abs(v - base) > 1e-4) {
          throw new CheckFailure(`sinusoidalEncoding(64, 16): PE(${p})·PE(${p + k}) = ${fmt(v)} but PE(0)·PE(${k}) = ${fmt(base)}: the dot product should depend only on the offset k = ${k}`, {
            expected: fmt(base),
            actual: fmt(v),
          });
        }
      }
    }
  },
  'sinusoidal-odd-d': async (ctx) => {
    await oddWidthRows(ctx, 1100, 5, [0, 1, 513, 1099]);
  },
  'sinusoidal-large-positions': async (ctx) => {
    await oddWidthRows(ctx, 3000, 7, [0, 1, 999, 2999]);
  },

  // ── Part 1: learned ──
  'learned-lookup': async (ctx) => {
    const table = rows(ctx, 41, 6, 4);
    const positions = [0, 5, 2];
    await expectAllClose(lookup(ctx)(ctx.tf.tensor2d(table), positions), lookupRef(table, positions), 'lookupPositions(table [6, 4], [0, 5, 2])', { atol: 1e-6 });
  },
  'learned-past-maxlen': async (ctx) => {
    const table = ctx.tf.tensor2d(rows(ctx, 42, 6, 4));
    const f = lookup(ctx);
    await expectShape(f(table, [1, 5]), [2, 4], 'lookupPositions(table [6, 4], [1, 5])'); // a valid call, up to the last row, must work first
    // 6 is one past the last row (an off-by-one bound lets it through), 9 is far past it, −1 is
    // negative; the learner's own Error must name the position and maxLen — tf.gather's own
    // error ("GatherV2: the index value …") means there is no bounds check before it.
    for (const bad of [6, 9, -1]) {
      const what = `lookupPositions(table [6, 4], [0, ${bad}])`;
      let returned: unknown;
      try {
        returned = f(table, [0, bad]);
      } catch (err) {
        // The runner reports "lookupPositions threw RangeError: <message> (positions.ts:37)": keep
        // the learner's own words, so a line number cannot pass for maxLen.
        const message = ((err as Error)?.message ?? String(err)).replace(/^\S+ threw (?:\w*Error: )?/, '').replace(/ \([^()]*:\d+\)$/, '');
        if (/GatherV2|is not in \[0,/.test(message)) {
          throw new CheckFailure(`${what} failed inside tf.gather ("${message}"), not in your own bounds check: test 0 ≤ p < maxLen (6) for every position before the lookup and throw an Error that names the position and maxLen`, {
            expected: `your own Error naming position ${bad} and maxLen 6`,
            actual: message,
          });
        }
        const names = (n: number) => new RegExp(`(^|[^\\d.-])${String(n).replace('-', '\\-')}(?![\\d.])`).test(message);
        if (!names(bad) || !names(6)) {
          throw new CheckFailure(`${what} threw "${message}", which does not name ${!names(bad) ? `the position ${bad}` : 'maxLen 6'}: say which position is out of range and how many rows the table has`, {
            expected: `an Error whose message names position ${bad} and maxLen 6`,
            actual: message,
          });
        }
        continue;
      }
      throw new CheckFailure(`${what} returned instead of throwing: the table has rows 0 … 5 and no row ${bad}`, {
        expected: `an Error naming position ${bad} (maxLen 6)`,
        actual: describe(await toNested(returned, 'the result')),
      });
    }
  },
  'learned-repeated-and-unordered': async (ctx) => {
    await repeatedLookup(ctx, 44, 4, 3, [3, 1, 3, 0]);
  },
  'learned-repeated-positions': async (ctx) => {
    await repeatedLookup(ctx, 43, 5, 3, [3, 0, 3, 4, 4]);
  },

  // ── Part 2: RoPE ──
  'rope-position-zero': async (ctx) => {
    const x = rows(ctx, 51, 3, 8);
    await expectAllClose(await ropeRows(ctx, x, [0, 0, 0], 'applyRope(x [3, 8], [0, 0, 0])'), x, 'applyRope at position 0 (a rotation by angle 0 changes nothing)', {
      atol: 1e-5,
    });
  },
  'rope-consecutive-pairs': async (ctx) => {
    const d = 8;
    const e = (k: number) => Array.from({ length: d }, (_, j) => (j === k ? 1 : 0));
    const got = await ropeRows(ctx, [e(0), e(2)], [1, 1], 'applyRope([e0, e2] (unit vectors, d = 8), [1, 1])');
    const t1 = Math.pow(10000, -2 / d);
    const expected = [
      [Math.cos(1), Math.sin(1), 0, 0, 0, 0, 0, 0],
      [0, 0, Math.cos(t1), Math.sin(t1), 0, 0, 0, 0],
    ];
    if (Math.abs(got[0][d / 2] - Math.sin(1)) < 1e-4 && Math.abs(got[0][1]) < 1e-4) {
      throw new CheckFailure('applyRope([e0, e2] (unit vectors, d = 8), [1, 1]): e0 rotated into column d/2: that pairs x_i with x_{i+d/2} (the "half" layout); this lab rotates consecutive pairs (x_2i, x_2i+1)', {
        expected: JSON.stringify(expected[0].map((v) => Number(fmt(v)))),
        actual: JSON.stringify(got[0].map((v) => Number(fmt(v)))),
      });
    }
    await expectAllClose(got, expected, 'applyRope([e0, e2] (unit vectors, d = 8), [1, 1]) (pair 0 turns by θ0 = 1, pair 1 by θ1 = 10000^(−2/8))', {
      atol: 1e-5,
      known: ROPE_MISTAKES([e(0), e(2)], [1, 1]),
    });
  },
  'rope-matches-reference': async (ctx) => {
    const x = rows(ctx, 52, 5, 16);
    // Not 0 … n−1, and one far position: row t sits at positions[t].
    const positions = [0, 1, 7, 517, 2];
    const what = `applyRope(x [5, 16], [${positions.join(', ')}])`;
    await expectAllClose(await ropeRows(ctx, x, positions, what), ropeRef(x, positions), what, { atol: 1e-4, known: ROPE_MISTAKES(x, positions) });
  },
  'rope-preserves-norm': async (ctx) => {
    const x = rows(ctx, 53, 4, 12);
    const positions = [0, 5, 100, 3];
    const got = await ropeRows(ctx, x, positions, 'applyRope(x [4, 12], [0, 5, 100, 3])');
    got.forEach((row, t) => {
      const want = Math.sqrt(dot(x[t], x[t]));
      const norm = Math.sqrt(dot(row, row));
      if (Math.abs(norm - want) > 1e-4 * Math.max(1, want)) {
        throw new CheckFailure(`applyRope(x [4, 12], [0, 5, 100, 3]): row ${t} (position ${positions[t]}) has norm ${fmt(norm)} after RoPE, but a rotation keeps the norm ${fmt(want)}`, {
          expected: fmt(want),
          actual: fmt(norm),
        });
      }
    });
    if (maxAbsDiff(got[1], x[1]) < 1e-3) {
      throw new CheckFailure('applyRope(x [4, 12], [0, 5, 100, 3]): the row at position 5 came back unchanged: RoPE must rotate every pair by 5·θ_i', {
        expected: 'a rotated row',
        actual: 'the input row',
      });
    }
  },
  'rope-relative-offset': async (ctx) => {
    const [q, k] = rows(ctx, 54, 2, 16);
    const score = async (m: number, n: number) => {
      const [rq, rk] = await ropeRows(ctx, [q, k], [m, n], `applyRope([q, k], [${m}, ${n}])`);
      return dot(rq, rk);
    };
    const base = await score(3, 7);
    for (const s of [1, 20, 250]) {
      const shifted = await score(3 + s, 7 + s);
      if (Math.abs(shifted - base) > 1e-3 * Math.max(1, Math.abs(base))) {
        throw new CheckFailure(
          `applyRope([q, k], [${3 + s}, ${7 + s}]) scores q·k = ${fmt(shifted)} but applyRope([q, k], [3, 7]) scores ${fmt(base)}: the score should depend only on the offset 4`,
          { expected: fmt(base), actual: fmt(shifted) },
        );
      }
    }
    const other = await score(3, 12);
    if (Math.abs(other - base) < 1e-4) {
      throw new CheckFailure('applyRope([q, k], [3, 12]) scores the same as applyRope([q, k], [3, 7]): RoPE should make scores depend on the offset', {
        expected: `a value different from ${fmt(base)}`,
        actual: fmt(other),
      });
    }
  },
  'rope-large-position': async (ctx) => {
    const x = rows(ctx, 55, 2, 8);
    const positions = [1000, 4095];
    await expectAllClose(await ropeRows(ctx, x, positions, 'applyRope(x [2, 8], [1000, 4095])'), ropeRef(x, positions), 'applyRope(x [2, 8], [1000, 4095])', {
      atol: 2e-3,
    });
  },

  // ── Part 2: ALiBi ──
  'alibi-slopes-8-heads': async (ctx) => {
    const got = await expectShape(slopesFn(ctx)(8), [8], 'alibiSlopes(8)');
    await expectAllClose(got, [1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256], 'alibiSlopes(8) (start 2^(−8/8) = 1/2, ratio 1/2)', {
      atol: 1e-12,
      rtol: 0,
    });
  },
  'alibi-slopes-powers-of-two': async (ctx) => {
    const f = slopesFn(ctx);
    await expectAllClose(f(4), [1 / 4, 1 / 16, 1 / 64, 1 / 256], 'alibiSlopes(4) (start 2^(−8/4) = 1/4)', { atol: 1e-12, rtol: 0 });
    await expectAllClose(f(16), alibiSlopesRef(16), 'alibiSlopes(16) (start 2^(−1/2) ≈ 0.7071)', { atol: 1e-12, rtol: 0 });
  },
  'alibi-slopes-6-heads': async (ctx) => {
    await notPowerOfTwo(ctx, [6]);
  },
  'alibi-slopes-not-power-of-two': async (ctx) => {
    await notPowerOfTwo(ctx, [12, 24]);
  },
  'alibi-bias-shape': async (ctx) => {
    await expectShape(biasFn(ctx)(6, 8), [8, 6, 6], 'alibiBias(6, 8)');
  },
  'alibi-bias-causal-diagonal': async (ctx) => {
    const b = await normalizedBias(biasFn(ctx)(5, 4), 4, 5, 'alibiBias(5, 4)');
    b.forEach((m, h) =>
      m.forEach((row, i) => {
        if (Math.abs(row[i]) > 1e-9) {
          throw new CheckFailure(`alibiBias(5, 4)[${h}][${i}][${i}] is ${fmt(row[i])}: a token's distance to itself is 0, so its bias is 0`, {
            expected: '0',
            actual: fmt(row[i]),
          });
        }
      }),
    );
  },
  'alibi-bias-matches-reference': async (ctx) => {
    const b = await normalizedBias(biasFn(ctx)(7, 4), 4, 7, 'alibiBias(7, 4)');
    const ref = alibiBiasRef(7, 4);
    await expectAllClose(b, ref, 'alibiBias(7, 4) (−slope_h·(i − j) on and below the diagonal)', {
      atol: 1e-5,
      known: [{ value: () => ref.map((m) => m.map((row) => row.map((v) => (v === -1e9 ? v : -v)))), means: 'that has the opposite sign: older keys must be penalised (−slope·distance), not favoured' }],
    });
  },

  // ── Part 3: extrapolation ──
  'extrapolation-learned-stops': async (ctx) => {
    const trainLength = 8;
    const table = rows(ctx, 61, trainLength, 6);
    const got = asSeries(await study(ctx)(ctx.tf.tensor2d(table), rows(ctx, 62, 1, 6)[0], 4, 16), 'extrapolationStudy(table [8, 6], content [6], 4 heads, 16)');
    const learned = learnedArray(got, 16);
    learned.forEach((v, p) => {
      if (p < trainLength && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new CheckFailure(`extrapolationStudy(table [8, 6], content, 4 heads, 16).learned[${p}] should be a number: position ${p} is inside the table (trainLength ${trainLength})`, {
          expected: 'a finite number',
          actual: String(v),
        });
      }
      if (p >= trainLength && v !== null) {
        throw new CheckFailure(`extrapolationStudy(table [8, 6], content, 4 heads, 16).learned[${p}] is ${String(v)}, but the table has no row ${p}: past trainLength ${trainLength} the series must be null`, {
          expected: 'null',
          actual: String(v),
        });
      }
    });
  },
  'extrapolation-matches-reference': async (ctx) => {
    const table = rows(ctx, 63, 8, 6);
    const content = rows(ctx, 64, 1, 6)[0];
    const ref = extrapolationRef(table, content, 4, 16);
    const what = 'extrapolationStudy(table [8, 6], content [6], 4 heads, 16)';
    const got = asSeries(await study(ctx)(ctx.tf.tensor2d(table), content, 4, 16), what);
    await expectAllClose(got.sinusoidal, ref.sinusoidal, `${what}.sinusoidal`, { atol: 1e-4 });
    await expectAllClose(got.rope, ref.rope, `${what}.rope`, { atol: 1e-4 });
    await expectAllClose(got.alibi, ref.alibi, `${what}.alibi`, {
      atol: 1e-6,
      known: [{ value: () => ref.alibi.map((v) => v * 4), means: 'that is the SUM over the 4 heads: the series is the mean over heads of e^(−slope·p)' }],
    });
    const learned = await toNested(learnedArray(got, 16).slice(0, 8), `${what}.learned (positions 0..7)`);
    await expectAllClose(learned, ref.learned.slice(0, 8) as number[], `${what}.learned (positions 0..7)`, { atol: 1e-4 });
  },

  // ── Part 4: the permutation experiment ──
  'self-attention-matches-reference': async (ctx) => {
    const s = sentences(ctx, 8);
    const raw = selfAttentionRef(s.raw.a, { ...s.plain, wv: s.plain.wv.map((row, i) => row.map((_, j) => (i === j ? 1 : 0))) });
    await expectAllClose(selfAttn(ctx)(s.a, s.w), selfAttentionRef(s.raw.a, s.plain), 'selfAttention("dog bites man" as x [3, 8], w)', {
      atol: 1e-4,
      known: [{ value: raw, means: 'that averages the raw tokens x: self-attention averages the values x·Wv' }],
    });
  },
  'self-attention-equivariant': async (ctx) => {
    const x = rows(ctx, 71, 5, 8);
    const p = seededProjections(71, 8);
    const w = { wq: ctx.tf.tensor2d(p.wq), wk: ctx.tf.tensor2d(p.wk), wv: ctx.tf.tensor2d(p.wv) };
    const perm = [3, 0, 4, 1, 2];
    const f = selfAttn(ctx);
    const out = (await expectShape(f(ctx.tf.tensor2d(x), w), [5, 8], 'selfAttention(x [5, 8])')) as number[][];
    const outP = f(ctx.tf.tensor2d(perm.map((i) => x[i])), w);
    await expectAllClose(outP, perm.map((i) => out[i]), 'selfAttention of the permuted tokens (should be the permuted output: equivariance)', {
      atol: 1e-4,
    });
  },
  'pooled-equal-without-positions': async (ctx) => {
    const s = sentences(ctx, 8);
    const f = pooled(ctx);
    const a = await vectorOf(await f(s.a, s.w, false), 8, 'pooledSentence("dog bites man", w, false)');
    const b = await vectorOf(await f(s.b, s.w, false), 8, 'pooledSentence("man bites dog", w, false)');
    if (maxAbsDiff(a, b) > 1e-4) {
      throw new CheckFailure(
        `pooledSentence(x, w, false): without positions the mean-pooled vectors of "dog bites man" and "man bites dog" should be equal (the outputs are the same rows in another order), but they differ by up to ${fmt(maxAbsDiff(a, b))}`,
        { expected: JSON.stringify(a.map((v) => Number(fmt(v)))), actual: JSON.stringify(b.map((v) => Number(fmt(v)))) },
      );
    }
    const ref = pooledSentenceRef(s.raw.a, s.plain, false);
    await expectAllClose(a, ref, 'pooledSentence("dog bites man", w, false)', {
      atol: 1e-4,
      known: [{ value: () => ref.map((v) => v * 3), means: 'that is the SUM over the 3 tokens: pooling takes the mean' }],
    });
  },
  'pooled-differ-with-positions': async (ctx) => {
    const s = sentences(ctx, 8);
    const f = pooled(ctx);
    const a = await vectorOf(await f(s.a, s.w, true), 8, 'pooledSentence("dog bites man", w, true)');
    const b = await vectorOf(await f(s.b, s.w, true), 8, 'pooledSentence("man bites dog", w, true)');
    if (maxAbsDiff(a, b) < 1e-3) {
      throw new CheckFailure('pooledSentence(x, w, true): with sinusoidal positions added, "dog bites man" and "man bites dog" should pool to different vectors, but they are equal', {
        expected: 'vectors differing by more than 0.001',
        actual: `max difference ${fmt(maxAbsDiff(a, b))}`,
      });
    }
  },
  'pooled-with-positions-matches-reference': async (ctx) => {
    await pooledWithPositions(ctx, 'a');
  },
  'pooled-matches-reference': async (ctx) => {
    await pooledWithPositions(ctx, 'b');
  },
};

/** Rows of a sinusoidal table with an odd width, far beyond any training length. */
async function oddWidthRows(ctx: CheckContext, maxLen: number, d: number, at: number[]): Promise<void> {
  const pe = await sinusoidalRows(ctx, maxLen, d);
  const ref = sinusoidalRef(maxLen, d);
  await expectAllClose(at.map((p) => pe[p]), at.map((p) => ref[p]), `rows ${at.join(', ')} of sinusoidalEncoding(${maxLen}, ${d})`, { atol: 1e-5 });
}

/** Positions are row indices in any order, repeats included: one output row per position. */
async function repeatedLookup(ctx: CheckContext, seed: number, maxLen: number, d: number, positions: number[]): Promise<void> {
  const table = rows(ctx, seed, maxLen, d);
  const what = `lookupPositions(table [${maxLen}, ${d}], [${positions.join(', ')}])`;
  const unique = [...new Set(positions)];
  await expectAllClose(lookup(ctx)(ctx.tf.tensor2d(table), positions), lookupRef(table, positions), what, {
    atol: 1e-6,
    known: [
      { value: () => lookupRef(table, unique), means: 'that drops the repeated positions: every position gets its own row, repeats included' },
      { value: () => lookupRef(table, [...positions].sort((a, b) => a - b)), means: 'that sorts the positions: row t of the result is the row of positions[t]' },
    ],
  });
}

/** ALiBi slopes for head counts that are not powers of two (the authors' get_slopes rule). */
async function notPowerOfTwo(ctx: CheckContext, counts: number[]): Promise<void> {
  const f = slopesFn(ctx);
  for (const h of counts) {
    const geometric = Array.from({ length: h }, (_, i) => Math.pow(2, (-8 * (i + 1)) / h));
    await expectAllClose(f(h), alibiSlopesRef(h), `alibiSlopes(${h})`, {
      atol: 1e-12,
      rtol: 0,
      known: [{ value: geometric, means: `that is 2^(−8(h+1)/${h}), the power-of-two rule: for ${h} heads take the slopes of the largest power of two below ${h}, then every other slope of twice that many heads` }],
    });
  }
}

/** The pooled sentence vector with sinusoidal positions against the reference. */
async function pooledWithPositions(ctx: CheckContext, which: 'a' | 'b'): Promise<void> {
  const s = sentences(ctx, 8);
  const text = which === 'a' ? 'dog bites man' : 'man bites dog';
  const raw = which === 'a' ? s.raw.a : s.raw.b;
  const what = `pooledSentence("${text}" as x [3, 8], w, true)`;
  const got = await vectorOf(await pooled(ctx)(which === 'a' ? s.a : s.b, s.w, true), 8, what);
  const mean = (m: number[][]) => m[0].map((_, c) => m.reduce((acc, row) => acc + row[c], 0) / m.length);
  const pe = sinusoidalRef(3, 8);
  await expectAllClose(got, pooledSentenceRef(raw, s.plain, true), what, {
    atol: 1e-4,
    known: [
      { value: () => pooledSentenceRef(raw, s.plain, true).map((v) => v * 3), means: 'that is the SUM over the 3 tokens: pooling takes the mean' },
      { value: () => pooledSentenceRef(raw, s.plain, false).map((v, c) => v + mean(pe)[c]), means: 'that adds the positions AFTER self-attention: they go into x before it' },
    ],
  });
}

export const visualize: LabModule['visualize'] = {
  positions: positionsView,
};
