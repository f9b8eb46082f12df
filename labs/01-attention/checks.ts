// Lab 1 checks: trusted code that runs in the sidecar's worker and calls the learner's
// functions through ctx.fn. Every tensor created here is released by the runner's scope.
import type { CheckContext, LabModule, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import {
  expectAllClose,
  expectFinite,
  type KnownMistake,
  expectOutputAndWeights,
  expectRowsSumToOne,
  expectShape,
  expectZerosWhere,
  fmt,
  toNested,
} from '../../core/checks/expect';
import { softmaxRef } from '../../sidecar/reference/activations';
import { attentionLoopsRef } from '../../sidecar/reference/loopsAttention';
import { randomMatrix } from '../../sidecar/reference/random';
import {
  attentionRef,
  causalMaskRef,
  combineHeadsRef,
  multiHeadAttentionRef,
  paddingMaskRef,
  splitHeadsRef,
} from '../../sidecar/reference/tensorAttention';
import { attentionView } from './visualize';
import { peakTensorBytes } from '../../core/checks/tensorMemory';
import { profileView } from './profile';

const FILE = 'attention.ts';
type Tensor = ReturnType<Tf['tensor']>;
type AttentionFn = (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) => unknown;
type MhaFn = (x: Tensor, w: { wq: Tensor; wk: Tensor; wv: Tensor; wo: Tensor }, heads: number, mask?: Tensor) => unknown;

/** The worked example of the instructions (a seed text gets it wrong): q matches k0 exactly. */
export const SEED_EXAMPLE = {
  query: [1, 0, 1, 0],
  keys: [
    [1, 0, 1, 0],
    [0, 1, 0, 1],
  ],
  values: [
    [10, 10, 10, 10],
    [20, 20, 20, 20],
  ],
};

function qkv(ctx: CheckContext, seed: number, n: number, d: number, batch?: number) {
  const rand = ctx.rng(seed);
  const shape = batch ? [batch, n, d] : [n, d];
  const make = () => ctx.tf.tensor(randomMatrix(rand, (batch ?? 1) * n, d).flat(), shape);
  return { q: make(), k: make(), v: make() };
}

/** `what` names the call with its inputs' shapes, as every failure message should. */
function callAttention(ctx: CheckContext, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | undefined, what: string) {
  const attention = ctx.fn<AttentionFn>(FILE, 'attention');
  return expectOutputAndWeights(mask ? attention(q, k, v, mask) : attention(q, k, v), what);
}

function mhaSetup(ctx: CheckContext, seed: number, n: number, dModel: number) {
  const rand = ctx.rng(seed);
  const t = (rows: number, cols: number, scale: number) => ctx.tf.tensor2d(randomMatrix(rand, rows, cols, scale));
  const s = 1 / Math.sqrt(dModel);
  return { x: t(n, dModel, 1), w: { wq: t(dModel, dModel, s), wk: t(dModel, dModel, s), wv: t(dModel, dModel, s), wo: t(dModel, dModel, s) } };
}

type LoopsFn = (Q: number[][], K: number[][], V: number[][], m?: boolean[][]) => unknown;

/** attendOne's output when the scores are divided by `scale` instead of √d (a known mistake). */
function attendScaledBy(q: number[], k: number[][], v: number[][], scale: number): number[] {
  return attentionLoopsRef([q.map((x) => (x * Math.sqrt(q.length)) / scale)], k, v).output[0];
}

/** The scales learners use by mistake, each named (d = query length, n = keys, dv = value width). */
function wrongScales(q: number[], k: number[][], v: number[][]): KnownMistake[] {
  const d = q.length;
  return [
    { value: () => attendScaledBy(q, k, v, 1), means: 'that is the result without the √d scaling of the scores' },
    { value: () => attendScaledBy(q, k, v, d), means: `that is the result of dividing the scores by d = ${d} instead of √d` },
    { value: () => attendScaledBy(q, k, v, Math.sqrt(k.length)), means: `that is the result of dividing by √(number of keys) = √${k.length}; d is the length of the query` },
    { value: () => attendScaledBy(q, k, v, Math.sqrt(v[0].length)), means: `that is the result of dividing by √(width of the values) = √${v[0].length}; d is the length of the query` },
  ];
}

async function attendOneRandom(ctx: CheckContext, seed: number, d: number, n: number, dv: number): Promise<void> {
  const attendOne = ctx.fn<(q: number[], k: number[][], v: number[][]) => unknown>(FILE, 'attendOne');
  const rand = ctx.rng(seed);
  const q = randomMatrix(rand, 1, d)[0];
  const k = randomMatrix(rand, n, d);
  const v = randomMatrix(rand, n, dv);
  await expectAllClose(attendOne(q, k, v), attentionLoopsRef([q], k, v).output[0], `attendOne(query [${d}], keys [${n}][${d}], values [${n}][${dv}])`, {
    atol: 1e-6,
    known: wrongScales(q, k, v),
  });
}

/** Softmax output with a NaN or ±Infinity: says which entry, and which shift causes it. */
async function expectFiniteSoftmax(got: unknown, xs: number[], what: string, why: string): Promise<unknown> {
  const x = await toNested(got, what);
  const flat = Array.isArray(x) ? (x as unknown[]) : [x];
  const bad = flat.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) {
    throw new CheckFailure(`${what} has ${String(flat[bad])} at [${bad}]: ${why}`, {
      expected: `[${softmaxRef(xs).map(fmt).join(', ')}]`,
      actual: JSON.stringify(flat),
    });
  }
  return x;
}

/**
 * The learner's attentionLoops against the reference; with a mask, first the things a mask is
 * for (no NaN in a fully masked row, weight 0 on every blocked key), each with its own message.
 */
async function attentionLoopsAgainstReference(ctx: CheckContext, Q: number[][], K: number[][], V: number[][], mask: boolean[][] | undefined, what: string): Promise<void> {
  const attentionLoops = ctx.fn<LoopsFn>(FILE, 'attentionLoops');
  const ref = attentionLoopsRef(Q, K, V, mask);
  const got = expectOutputAndWeights(mask ? attentionLoops(Q, K, V, mask) : attentionLoops(Q, K, V), what);
  if (mask) {
    const empty = mask.findIndex((row) => row.every((m) => !m));
    const w = await toNested(got.weights, `${what}.weights`);
    const rows = Array.isArray(w) ? (w as unknown[]) : [];
    const emptyRow = rows[empty];
    if (empty >= 0 && Array.isArray(emptyRow) && emptyRow.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new CheckFailure(`${what}.weights[${empty}] is ${JSON.stringify(emptyRow)}: row ${empty} may see no key, so it has nothing to take a softmax over — it gets all-zero weights, not NaN`, {
        expected: `[${ref.weights[empty].join(', ')}]`,
        actual: JSON.stringify(emptyRow),
      });
    }
    await expectZerosWhere(got.weights, ([i, j]) => !mask[i][j], `${what}.weights`, 'a masked key takes no part in the softmax (a score of 0 is not enough: e^0 = 1 still takes weight), and a fully masked row is all zeros');
  }
  await expectAllClose(got.weights, ref.weights, `${what}.weights`, { atol: 1e-6 });
  await expectAllClose(got.output, ref.output, `${what}.output`, { atol: 1e-6 });
}

export const checks: LabModule['checks'] = {
  // ── Level 1 ──
  'softmax-sums-to-one': async (ctx) => {
    const softmax = ctx.fn<(xs: number[]) => unknown>(FILE, 'softmax');
    const out = await expectShape(softmax([2, 1, 0.1, -3]), [4], 'softmax([2, 1, 0.1, -3])');
    await expectRowsSumToOne(out, 'softmax([2, 1, 0.1, -3])');
  },
  'softmax-matches-reference': async (ctx) => {
    const softmax = ctx.fn<(xs: number[]) => unknown>(FILE, 'softmax');
    const xs = [0.5, -1.25, 3, 0, 2.2];
    await expectAllClose(softmax(xs), softmaxRef(xs), `softmax([${xs}])`, { atol: 1e-6 });
  },
  'softmax-large-logits': async (ctx) => {
    const softmax = ctx.fn<(xs: number[]) => unknown>(FILE, 'softmax');
    const xs = [1000, 1001, 1002];
    const what = 'softmax([1000, 1001, 1002])';
    const out = await expectFiniteSoftmax(softmax(xs), xs, what, 'Math.exp(1000) is Infinity and Infinity / Infinity is NaN — subtract the maximum score before exponentiating');
    await expectAllClose(out, softmaxRef([0, 1, 2]), what, { atol: 1e-6 });
  },
  'softmax-all-negative': async (ctx) => {
    const softmax = ctx.fn<(xs: number[]) => unknown>(FILE, 'softmax');
    // All negative, the maximum (−1000) is not first, and the first score is the minimum, 1000
    // below the maximum: shifting by the first score or by the minimum overflows (e^1000), and
    // no shift at all underflows every exponential to 0 (0 / 0). Only the maximum works.
    const xs = [-2000, -1000, -1001, -1003];
    const what = `softmax([${xs.join(', ')}])`;
    const got = await expectFiniteSoftmax(
      softmax(xs),
      xs,
      what,
      'e^(x − c) overflowed or every e^x underflowed to 0. Shifting by the first score or by the minimum (−2000) gives e^1000 = Infinity; no shift gives e^(−1000) = 0 everywhere. Shift by the maximum (−1000)',
    );
    await expectAllClose(got, softmaxRef(xs), what, { atol: 1e-9 });
  },
  'attend-one-seed-example': async (ctx) => {
    const attendOne = ctx.fn<(q: number[], k: number[][], v: number[][]) => unknown>(FILE, 'attendOne');
    const { query, keys, values } = SEED_EXAMPLE;
    const what = 'attendOne([1, 0, 1, 0], keys [[1, 0, 1, 0], [0, 1, 0, 1]], values [[10, 10, 10, 10], [20, 20, 20, 20]])';
    // scores = [2, 0] / √4 = [1, 0]; weights = [0.7311, 0.2689]; output = 12.689… everywhere.
    const expected = attentionLoopsRef([query], keys, values).output[0];
    const got = await toNested(attendOne(query, keys, values), what);
    if (Array.isArray(got) && typeof got[0] === 'number' && Math.abs((got[0] as number) - 10) < 0.5) {
      throw new CheckFailure(
        `${what} returned about 10, the often-repeated claim — but the softmax never gives key 0 all the weight: it gives 0.7311`,
        { expected: `[${expected.map(fmt).join(', ')}]`, actual: JSON.stringify(got) },
      );
    }
    await expectAllClose(got, expected, what, { atol: 1e-5, known: wrongScales(query, keys, values) });
  },
  'attend-one-matches-reference': async (ctx) => {
    // d = 8 keys and queries, dv = 3 values: scaling by √dv or by √(number of keys) shows up.
    await attendOneRandom(ctx, 14, 8, 5, 3);
  },
  'attend-one-random': async (ctx) => {
    await attendOneRandom(ctx, 11, 6, 7, 2);
  },
  'attention-loops-matches-reference': async (ctx) => {
    const rand = ctx.rng(12);
    const Q = randomMatrix(rand, 4, 6);
    const K = randomMatrix(rand, 5, 6);
    const V = randomMatrix(rand, 5, 2);
    await attentionLoopsAgainstReference(ctx, Q, K, V, undefined, 'attentionLoops(Q [4][6], K [5][6], V [5][2])');
  },
  'attention-loops-causal-mask': async (ctx) => {
    const X = randomMatrix(ctx.rng(13), 4, 4);
    const mask = X.map((_, i) => X.map((__, j) => j <= i && i !== 2)); // causal, and row 2 fully masked
    await attentionLoopsAgainstReference(ctx, X, X, X, mask, 'attentionLoops(X, X, X, causal mask [4][4] with row 2 all false)');
  },
  'attention-loops-masked': async (ctx) => {
    // Not square, not causal: 3 queries, 5 keys, a scattered mask with row 0 fully masked.
    const rand = ctx.rng(15);
    const Q = randomMatrix(rand, 3, 4);
    const K = randomMatrix(rand, 5, 4);
    const V = randomMatrix(rand, 5, 3);
    const mask = [
      [false, false, false, false, false],
      [true, false, true, false, true],
      [false, true, true, true, false],
    ];
    await attentionLoopsAgainstReference(ctx, Q, K, V, mask, 'attentionLoops(Q [3][4], K [5][4], V [5][3], mask with row 0 all false)');
  },

  // ── Level 2 ──
  'causal-mask': async (ctx) => {
    const causalMask = ctx.fn<(n: number) => unknown>(FILE, 'causalMask');
    const tf = ctx.tf;
    const ones = tf.ones([5, 5]);
    await expectAllClose(causalMask(5), causalMaskRef(tf, 5), 'causalMask(5)', {
      atol: 0,
      known: [
        { value: () => tf.linalg.bandPart(ones, 0, -1), means: 'that is the UPPER triangle: row i is the query, column j the key, and a query may see keys j ≤ i' },
        { value: () => tf.sub(tf.linalg.bandPart(ones, -1, 0), tf.eye(5)), means: 'the diagonal is missing: a token may attend to itself' },
      ],
    });
  },
  'padding-mask': async (ctx) => {
    const paddingMask = ctx.fn<(lengths: number[], maxLen: number) => unknown>(FILE, 'paddingMask');
    await expectAllClose(paddingMask([3, 5, 1], 5), paddingMaskRef(ctx.tf, [3, 5, 1], 5), 'paddingMask([3, 5, 1], 5)', {
      atol: 0,
      known: [{ value: () => paddingMaskRef(ctx.tf, [4, 6, 2], 5), means: 'position lengths[b] is marked real: positions start at 0, so a sequence of length L has positions 0 … L − 1 (< L, not ≤ L)' }],
    });
  },
  'attention-shapes': async (ctx) => {
    const { q, k, v } = qkv(ctx, 21, 6, 8);
    const vWide = ctx.tf.tile(v, [1, 2]); // dv = 16 ≠ d, so swapped axes show up
    const what = 'attention(q [6, 8], k [6, 8], v [6, 16])';
    const got = callAttention(ctx, q, k, vWide, undefined, what);
    await expectShape(got.weights, [6, 6], `${what}.weights`);
    await expectShape(got.output, [6, 16], `${what}.output`);
  },
  'attention-rows-sum-to-one': async (ctx) => {
    const { q, k, v } = qkv(ctx, 22, 7, 4);
    const what = 'attention(q, k, v [7, 4])';
    await expectRowsSumToOne(callAttention(ctx, q, k, v, undefined, what).weights, `${what}.weights`);
  },
  'attention-matches-reference': async (ctx) => {
    const { q, k, v } = qkv(ctx, 23, 5, 8, 2);
    const ref = attentionRef(ctx.tf, q, k, v);
    const what = 'attention(q, k, v [2, 5, 8], a batch of 2)';
    const got = callAttention(ctx, q, k, v, undefined, what);
    const tf = ctx.tf;
    await expectAllClose(got.weights, ref.weights, `${what}.weights`, {
      known: [
        { value: () => attentionRef(tf, tf.mul(q, Math.sqrt(8)), k, v).weights, means: 'that is softmax(q·kᵀ) without dividing by √d (d = 8)' },
        { value: () => attentionRef(tf, tf.mul(q, Math.sqrt(8) / Math.sqrt(5)), k, v).weights, means: 'that divides by √5, the number of tokens; d is the last dimension of q (8)' },
      ],
    });
    await expectAllClose(got.output, ref.output, `${what}.output`);
  },
  'attention-causal-zeros': async (ctx) => {
    const n = 6;
    const { q, k, v } = qkv(ctx, 24, n, 4);
    const what = 'attention(q, k, v [6, 4], causalMask(6))';
    const got = callAttention(ctx, q, k, v, causalMaskRef(ctx.tf, n), what);
    await expectZerosWhere(got.weights, ([i, j]) => j > i, `${what}.weights`, 'under a causal mask a query may not look at later keys');
    await expectRowsSumToOne(got.weights, `${what}.weights`);
  },
  'attention-padding-zeros': async (ctx) => {
    const { q, k, v } = qkv(ctx, 25, 5, 4, 2);
    const lengths = [3, 5];
    const what = 'attention(q, k, v [2, 5, 4], paddingMask([3, 5], 5))';
    const got = callAttention(ctx, q, k, v, paddingMaskRef(ctx.tf, lengths, 5), what);
    await expectZerosWhere(got.weights, ([b, , j]) => j >= lengths[b], `${what}.weights`, 'padded keys must get no attention');
    await expectRowsSumToOne(got.weights, `${what}.weights`);
  },
  'attention-fully-masked-row': async (ctx) => {
    const { q, k, v } = qkv(ctx, 26, 4, 4);
    const mask = ctx.tf.tensor2d([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    const what = 'attention(q, k, v [4, 4], mask [[1,0,0,0],[0,0,0,0],[1,1,1,0],[1,1,1,1]])';
    const got = callAttention(ctx, q, k, v, mask, what);
    const w = await toNested(got.weights, `${what}.weights`);
    const row1 = Array.isArray(w) ? (w[1] as unknown) : undefined;
    if (Array.isArray(row1) && row1.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new CheckFailure(`${what}.weights[1] is ${JSON.stringify(row1)}: with −Infinity on every key of row 1 the softmax is 0 / 0 = NaN — block keys with a large negative number instead, and multiply the weights by the mask`, {
        expected: '[0, 0, 0, 0]',
        actual: JSON.stringify(row1),
      });
    }
    if (Array.isArray(row1) && row1.every((x) => Math.abs((x as number) - 0.25) < 1e-4)) {
      throw new CheckFailure(`${what}.weights[1] is uniform (0.25 each): with −1e9 added to every key of row 1 the softmax spreads evenly — a query that may see no key attends to nothing; multiply the weights by the mask`, {
        expected: '[0, 0, 0, 0]',
        actual: JSON.stringify(row1),
      });
    }
    await expectFinite(got.weights, `${what}.weights`);
    await expectZerosWhere(w, ([i]) => i === 1, `${what}.weights`, 'a query that may see no key attends to nothing (not NaN, not uniform)');
    await expectZerosWhere(got.output, ([i]) => i === 1, `${what}.output`, 'a fully masked query has nothing to average, so its output is 0');
  },
  'attention-large-scores': async (ctx) => {
    await largeScores(ctx, 29, 1000);
  },
  'attention-large-logits': async (ctx) => {
    await largeScores(ctx, 27, 300);
  },
  'attention-equivariant': async (ctx) => {
    await permutedSelfAttention(ctx, 30, [2, 0, 3, 1]);
  },
  'attention-permutation-equivariance': async (ctx) => {
    await permutedSelfAttention(ctx, 28, [3, 0, 4, 1, 2]);
  },

  // ── Level 3 ──
  'split-heads': async (ctx) => {
    const splitHeads = ctx.fn<(x: Tensor, heads: number) => unknown>(FILE, 'splitHeads');
    const x = ctx.tf.tensor2d(randomMatrix(ctx.rng(31), 3, 8));
    await expectAllClose(splitHeads(x, 2), splitHeadsRef(ctx.tf, x, 2), 'splitHeads(x [3, 8], 2)', {
      atol: 0,
      known: [{ value: () => ctx.tf.reshape(x, [2, 3, 4]), means: 'that reshapes straight to [heads, n, dHead], which cuts the data in the wrong place: split the feature axis into [heads, dHead] first, then move the heads axis to the front' }],
    });
  },
  'combine-heads': async (ctx) => {
    const combineHeads = ctx.fn<(x: Tensor) => unknown>(FILE, 'combineHeads');
    const x = ctx.tf.tensor3d(randomMatrix(ctx.rng(32), 4 * 3, 2).flat(), [4, 3, 2]);
    await expectAllClose(combineHeads(x), combineHeadsRef(ctx.tf, x), 'combineHeads(x [4, 3, 2])', {
      atol: 0,
      known: [{ value: () => ctx.tf.reshape(x, [3, 8]), means: 'that reshapes [heads, n, dHead] straight to [n, heads·dHead]: bring the tokens axis to the front first' }],
    });
  },
  'mha-shapes': async (ctx) => {
    const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
    const { x, w } = mhaSetup(ctx, 33, 5, 8);
    const what = 'multiHeadAttention(x [5, 8], w, 4)';
    const got = expectOutputAndWeights(mha(x, w, 4), what);
    await expectShape(got.output, [5, 8], `${what}.output`);
    await expectShape(got.weights, [4, 5, 5], `${what}.weights (one [5, 5] map per head)`);
  },
  'mha-matches-reference': async (ctx) => {
    const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
    const { x, w } = mhaSetup(ctx, 34, 6, 16);
    const ref = multiHeadAttentionRef(ctx.tf, x, w, 4);
    const what = 'multiHeadAttention(x [6, 16], w, 4)';
    const got = expectOutputAndWeights(mha(x, w, 4), what);
    const tf = ctx.tf;
    await expectAllClose(got.weights, ref.weights, `${what}.weights`);
    await expectAllClose(got.output, ref.output, `${what}.output`, {
      known: [{ value: () => multiHeadAttentionRef(tf, x, { ...w, wo: tf.eye(16) }, 4).output, means: 'that is the combined heads without the output projection Wo' }],
    });
  },
  'mha-causal-mask': async (ctx) => {
    await mhaCausal(ctx, 37, 4, 8, 2);
  },
  'mha-causal': async (ctx) => {
    await mhaCausal(ctx, 35, 6, 8, 2);
  },
  // ── Bonus ──
  'chunked-matches-reference': async (ctx) => {
    // 10 keys in chunks of 4: the last chunk is shorter, and the maximum moves between chunks.
    await chunkedAgainstReference(ctx, 38, 6, 10, 8, 5, 4);
  },
  'chunked-chunk-sizes': async (ctx) => {
    for (const chunk of [1, 3, 7, 20]) await chunkedAgainstReference(ctx, 39, 4, 7, 4, 3, chunk);
  },
  'chunked-large-scores': async (ctx) => {
    await chunkedAgainstReference(ctx, 41, 4, 9, 4, 3, 4, 300);
  },
  'chunked-all-negative': async (ctx) => {
    await chunkedAllNegative(ctx, 43, 3, 9, 4, 2, 4);
  },
  'chunked-masked-chunk': (ctx) => chunkedMasked(ctx),
  'chunked-linear-memory': (ctx) => chunkedMemory(ctx),
  'chunked-random': async (ctx) => {
    await chunkedAgainstReference(ctx, 42, 9, 13, 6, 3, 5);
  },
  'mha-one-head-is-attention': async (ctx) => {
    const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
    const { x, w } = mhaSetup(ctx, 36, 4, 6);
    const tf = ctx.tf;
    const single = attentionRef(tf, tf.matMul(x, w.wq), tf.matMul(x, w.wk), tf.matMul(x, w.wv));
    const what = 'multiHeadAttention(x [4, 6], w, 1)';
    const got = expectOutputAndWeights(mha(x, w, 1), what);
    await expectAllClose(got.output, tf.matMul(single.output, w.wo), `${what}.output (one head: attention(xWq, xWk, xWv)·Wo)`);
  },
};

// ── Bonus: chunked attention ──

type ChunkedFn = (q: Tensor, k: Tensor, v: Tensor, chunkSize: number, mask?: Tensor) => unknown;
type Slip = 'no-rescale' | 'sum-not-rescaled' | 'drops-last-chunk' | 'no-division' | 'scaled-by-chunk';

/**
 * Chunked attention with one of the usual slips, in plain numbers (small inputs only), so a check
 * can say which slip the learner's result is: trusted, and deliberately not the tensor reference.
 */
function chunkedWithSlip(q: number[][], k: number[][], v: number[][], chunk: number, slip: Slip): number[][] {
  const d = q[0].length;
  const scale = slip === 'scaled-by-chunk' ? Math.sqrt(chunk) : Math.sqrt(d);
  return q.map((row) => {
    let m = -Infinity;
    let l = 0;
    let acc = v[0].map(() => 0);
    for (let start = 0; slip === 'drops-last-chunk' ? start + chunk <= k.length : start < k.length; start += chunk) {
      const keys = k.slice(start, start + chunk);
      const s = keys.map((key) => key.reduce((t, x, i) => t + x * row[i], 0) / scale);
      const mNew = Math.max(m, ...s);
      const keep = slip === 'no-rescale' ? 1 : Math.exp(m - mNew);
      const p = s.map((x) => Math.exp(x - mNew));
      l = l * (slip === 'sum-not-rescaled' ? 1 : keep) + p.reduce((a, b) => a + b, 0);
      acc = acc.map((a, c) => a * keep + p.reduce((t, w, j) => t + w * v[start + j][c], 0));
      m = mNew;
    }
    return slip === 'no-division' ? acc : acc.map((a) => a / l);
  });
}

function chunkedSlips(q: number[][], k: number[][], v: number[][], chunk: number): KnownMistake[] {
  const named: [Slip, string][] = [
    ['no-rescale', 'that is what you get when the running sum and output are not multiplied by e^(m_old − m_new) when a chunk raises the maximum'],
    ['sum-not-rescaled', 'that rescales the running output but not the running sum of exponentials when the maximum changes'],
    ['drops-last-chunk', `that leaves out the last, shorter chunk (${k.length} keys are not a multiple of ${chunk})`],
    ['no-division', 'that is the running weighted sum without the final division by the running sum of exponentials'],
    ['scaled-by-chunk', `that divides the scores by √chunkSize = √${chunk} instead of √d = √${q[0].length}`],
  ];
  return named.map(([slip, means]) => ({ value: () => chunkedWithSlip(q, k, v, chunk, slip), means }));
}

async function chunkedAgainstReference(ctx: CheckContext, seed: number, nq: number, nk: number, d: number, dv: number, chunk: number, scale = 1): Promise<void> {
  const rand = ctx.rng(seed);
  const Q = randomMatrix(rand, nq, d).map((r) => r.map((x) => x * scale));
  const K = randomMatrix(rand, nk, d);
  const V = randomMatrix(rand, nk, dv);
  const what = `chunkedAttention(q [${nq}, ${d}]${scale !== 1 ? ` × ${scale}` : ''}, k [${nk}, ${d}], v [${nk}, ${dv}], ${chunk})`;
  // Overflow: raw scores exponentiated, or the correction e^(m_old − m_new) taken against a chunk's own (smaller) maximum.
  const overflow = scale === 1 ? undefined : 'the scores reach hundreds and e^x overflows float32 above 88 — subtract the running maximum (the largest score of the row seen so far, not the current chunk\'s own maximum: against a smaller chunk maximum the correction e^(m_old − m_new) overflows) before exponentiating, and rescale what you kept when it grows';
  await compareChunked(ctx, Q, K, V, chunk, what, scale !== 1 ? 1e-3 : 1e-5, overflow);
}

/** Every score far below zero (about −300): e^(score − 0) underflows to 0, e^(score − running max) does not. */
async function chunkedAllNegative(ctx: CheckContext, seed: number, nq: number, nk: number, d: number, dv: number, chunk: number): Promise<void> {
  const rand = ctx.rng(seed);
  const Q = randomMatrix(rand, nq, d).map((r) => r.map((x) => -150 * (1 + Math.abs(x))));
  const K = randomMatrix(rand, nk, d).map((r) => r.map((x) => 1 + Math.abs(x) / 2));
  const V = randomMatrix(rand, nk, dv);
  const what = `chunkedAttention(q [${nq}, ${d}], k [${nk}, ${d}], v [${nk}, ${dv}], ${chunk}) with every score at −300 or lower`;
  const underflow = 'every score is far below 0, so e^(score − 0) underflows to 0 and the running sum stays 0 (0 / 0 is NaN): that is a running maximum that starts at 0 instead of −Infinity — start it at −Infinity, so the first chunk\'s own maximum replaces it';
  // The same slip with a division that guards against a zero sum gives zeros instead of NaN.
  const zeros = { value: Q.map(() => V[0].map(() => 0)), means: 'every e^(score − 0) underflowed to 0: that is a running maximum that starts at 0 instead of −Infinity — start it at −Infinity, so the first chunk\'s own maximum replaces it' };
  await compareChunked(ctx, Q, K, V, chunk, what, 1e-3, underflow, [zeros]);
}

/** The learner's chunkedAttention on these numbers against attention's output; `nonFinite` says what a NaN or ±Infinity means here. */
async function compareChunked(ctx: CheckContext, Q: number[][], K: number[][], V: number[][], chunk: number, what: string, atol: number, nonFinite?: string, known: KnownMistake[] = []): Promise<void> {
  const chunked = ctx.fn<ChunkedFn>(FILE, 'chunkedAttention');
  const tf = ctx.tf;
  const [q, k, v] = [Q, K, V].map((m) => tf.tensor2d(m));
  const got = await toNested(chunked(q, k, v, chunk), what);
  if (nonFinite) {
    const flat = (Array.isArray(got) ? (got as unknown[]).flat() : [got]) as unknown[];
    const bad = flat.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0) {
      throw new CheckFailure(`${what} has ${String(flat[bad])} at flat index ${bad}: ${nonFinite}`, {
        expected: 'finite numbers equal to attention(q, k, v).output',
        actual: `${String(flat[bad])} at flat index ${bad}`,
      });
    }
  }
  await expectShape(got, [Q.length, V[0].length], what);
  await expectAllClose(got, attentionRef(tf, q, k, v).output, `${what} (should equal attention(q, k, v).output)`, {
    atol,
    known: [...known, ...chunkedSlips(Q, K, V, chunk)],
  });
}

/**
 * A mask over 10 keys in chunks of 4: row 0 sees every key, row 1 none of its first chunk (keys
 * 0–3), row 2 none of its middle chunk (keys 4–7), row 3 no key at all (attention's rule: zeros).
 */
async function chunkedMasked(ctx: CheckContext): Promise<void> {
  const chunked = ctx.fn<ChunkedFn>(FILE, 'chunkedAttention');
  const tf = ctx.tf;
  const rand = ctx.rng(44);
  const [Q, K, V] = [randomMatrix(rand, 4, 4), randomMatrix(rand, 10, 4), randomMatrix(rand, 10, 3)];
  const allowed = [() => true, (j: number) => j >= 4, (j: number) => j < 4 || j >= 8, () => false];
  const M = allowed.map((may) => Array.from({ length: 10 }, (_, j) => (may(j) ? 1 : 0)));
  const [q, k, v, mask] = [Q, K, V, M].map((m) => tf.tensor2d(m));
  const what = 'chunkedAttention(q [4, 4], k [10, 4], v [10, 3], 4, mask) (row 1: its first chunk all masked; row 3: every key masked)';
  const got = await toNested(chunked(q, k, v, 4, mask), what);
  await expectShape(got, [4, 3], what);
  const rows = got as number[][];
  const bad = (r: number) => rows[r].some((x) => !Number.isFinite(x));
  if (bad(1)) {
    throw new CheckFailure(
      `${what} has ${rows[1].find((x) => !Number.isFinite(x))} in row 1: every key of row 1's first chunk is masked, so after that chunk its running maximum is still −Infinity and e^(score − max) is e^(−∞ − (−∞)) = NaN — while a row's maximum is −Infinity, measure its exponentials against 0 instead (tf.where), so they are 0`,
      { expected: 'finite numbers equal to attention(q, k, v, mask).output', actual: `row 1: [${rows[1].join(', ')}]` },
    );
  }
  if (bad(3)) {
    throw new CheckFailure(
      `${what} has ${rows[3].find((x) => !Number.isFinite(x))} in row 3: every key of row 3 is masked, so its running sum is 0 and the final division is 0 / 0 — attention returns zeros for a query that may attend to nothing: divide only where the sum is not 0`,
      { expected: 'row 3: [0, 0, 0]', actual: `row 3: [${rows[3].join(', ')}]` },
    );
  }
  const unmasked = () => attentionRef(tf, q, k, v).output;
  await expectAllClose(got, attentionRef(tf, q, k, v, mask).output, `${what} (should equal attention(q, k, v, mask).output)`, {
    atol: 1e-5,
    known: [{ value: unmasked, means: 'that is attention without the mask: a masked key (mask 0) must get no weight — give its score −Infinity before the chunk\'s maximum and exponentials' }],
  });
}

const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;

/** Peak memory at two sizes: below one n × n matrix, and growing about linearly (4× the tokens, ≤ 8× the memory). */
async function chunkedMemory(ctx: CheckContext): Promise<void> {
  const chunked = ctx.fn<ChunkedFn>(FILE, 'chunkedAttention');
  const tf = ctx.tf;
  const d = 16;
  const chunk = 64;
  const peaks: number[] = [];
  for (const n of [256, 1024]) {
    const rand = ctx.rng(40 + n);
    const [q, k, v] = [0, 1, 2].map(() => tf.tensor2d(randomMatrix(rand, n, d)));
    const what = `chunkedAttention(q, k, v [${n}, ${d}], ${chunk})`;
    const peak = await peakTensorBytes(tf, async () => {
      const out = chunked(q, k, v, chunk);
      await expectShape(out, [n, d], what);
      return out;
    });
    peaks.push(peak);
    const matrix = 4 * n * n;
    if (n === 1024 && peak >= matrix) {
      throw new CheckFailure(
        `${what} held ${MB(peak)} of tensors at once — at least one ${n} × ${n} float32 score matrix (${MB(matrix)}), which chunking exists to avoid: compute one [n, ${chunk}] block of scores at a time, and release each chunk's temporaries (tf.tidy, or tf.dispose) before the next`,
        { expected: `less than ${MB(matrix)} at N = ${n}`, actual: `${MB(peak)} (N = 256: ${MB(peaks[0])})` },
      );
    }
  }
  const ratio = peaks[1] / Math.max(peaks[0], 1);
  if (ratio > 8) {
    throw new CheckFailure(
      `chunkedAttention's peak tensor memory grew ${ratio.toFixed(1)}× from N = 256 to N = 1024 (4× the tokens): linear growth is about 4×, quadratic 16× — something per chunk is kept until the end (release each chunk's temporaries with tf.tidy or tf.dispose)`,
      { expected: 'at most 8× (linear: 4×)', actual: `${MB(peaks[0])} → ${MB(peaks[1])}` },
    );
  }
}

/** attention with every query scaled up: the scores reach hundreds, where a hand-made e^x overflows. */
async function largeScores(ctx: CheckContext, seed: number, scale: number): Promise<void> {
  const { q, k, v } = qkv(ctx, seed, 4, 4);
  const big = ctx.tf.mul(q, scale);
  const what = `attention(q × ${scale}, k, v [4, 4])`;
  const got = callAttention(ctx, big, k, v, undefined, what);
  const w = await toNested(got.weights, `${what}.weights`);
  const flat = (Array.isArray(w) ? (w as unknown[]).flat(3) : [w]) as unknown[];
  const bad = flat.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0) {
    throw new CheckFailure(`${what}.weights contain ${String(flat[bad])}: the scores reach thousands and e^score overflows in float32 (above about 88) — take the softmax with tf.softmax, or subtract each row's maximum first`, {
      expected: 'finite weights, each row summing to 1',
      actual: `${String(flat[bad])} at flat index ${bad}`,
    });
  }
  await expectAllClose(got.weights, attentionRef(ctx.tf, big, k, v).weights, `${what}.weights`, { atol: 1e-3 });
}

/** Self-attention of x and of x with its rows permuted: the outputs are the same rows, permuted. */
async function permutedSelfAttention(ctx: CheckContext, seed: number, perm: number[]): Promise<void> {
  const n = perm.length;
  const { q: x } = qkv(ctx, seed, n, 6);
  const xp = ctx.tf.gather(x, ctx.tf.tensor1d(perm, 'int32'));
  const out = (await toNested(callAttention(ctx, x, x, x, undefined, `attention(x, x, x) for x [${n}, 6]`).output, 'output')) as number[][];
  const what = `attention(xp, xp, xp) with xp = the rows of x in the order [${perm.join(', ')}]`;
  const outP = (await toNested(callAttention(ctx, xp, xp, xp, undefined, what).output, `${what}.output`)) as number[][];
  await expectAllClose(outP, perm.map((p) => out[p]), `${what}.output (should be the output rows in the same order: without positions, order is invisible)`);
}

/** Multi-head attention under a causal mask: every head's weights are 0 above the diagonal. */
async function mhaCausal(ctx: CheckContext, seed: number, n: number, dModel: number, heads: number): Promise<void> {
  const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
  const { x, w } = mhaSetup(ctx, seed, n, dModel);
  const mask = causalMaskRef(ctx.tf, n);
  const ref = multiHeadAttentionRef(ctx.tf, x, w, heads, mask);
  const what = `multiHeadAttention(x [${n}, ${dModel}], w, ${heads}, causalMask(${n}))`;
  const got = expectOutputAndWeights(mha(x, w, heads, mask), what);
  await expectZerosWhere(got.weights, ([, i, j]) => j > i, `${what}.weights`, 'every head must respect the mask it is given');
  await expectAllClose(got.output, ref.output, `${what}.output`);
}

export const visualize: LabModule['visualize'] = {
  attention: attentionView,
  profile: profileView,
};
