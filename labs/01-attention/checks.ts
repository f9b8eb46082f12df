// Lab 1 checks: trusted code that runs in the sidecar's worker and calls the learner's
// functions through ctx.fn. Every tensor created here is released by the runner's scope.
import type { CheckContext, LabModule, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import {
  expectAllClose,
  expectFinite,
  expectOutputAndWeights,
  expectRowsSumToOne,
  expectShape,
  expectZerosWhere,
  fmt,
  toNested,
} from '../../core/checks/expect';
import { attentionLoopsRef, softmaxRef } from '../../sidecar/reference/loopsAttention';
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

const FILE = 'attention.ts';
type Tensor = ReturnType<Tf['tensor']>;
type AttentionFn = (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) => unknown;
type MhaFn = (x: Tensor, w: { wq: Tensor; wk: Tensor; wv: Tensor; wo: Tensor }, heads: number, mask?: Tensor) => unknown;

/** The seed's worked example (module 001): q matches k0 exactly. */
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

function callAttention(ctx: CheckContext, q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) {
  const attention = ctx.fn<AttentionFn>(FILE, 'attention');
  return expectOutputAndWeights(mask ? attention(q, k, v, mask) : attention(q, k, v), 'attention(q, k, v)');
}

function mhaSetup(ctx: CheckContext, seed: number, n: number, dModel: number) {
  const rand = ctx.rng(seed);
  const t = (rows: number, cols: number, scale: number) => ctx.tf.tensor2d(randomMatrix(rand, rows, cols, scale));
  const s = 1 / Math.sqrt(dModel);
  return { x: t(n, dModel, 1), w: { wq: t(dModel, dModel, s), wk: t(dModel, dModel, s), wv: t(dModel, dModel, s), wo: t(dModel, dModel, s) } };
}

export const checks: LabModule['checks'] = {
  // ── Level 1 ──
  'softmax-sums-to-one': (ctx) => {
    const softmax = ctx.fn<(xs: number[]) => unknown>(FILE, 'softmax');
    const out = expectShape(softmax([2, 1, 0.1, -3]), [4], 'softmax([2, 1, 0.1, -3])');
    expectRowsSumToOne(out, 'softmax([2, 1, 0.1, -3])');
  },
  'softmax-matches-reference': (ctx) => {
    const softmax = ctx.fn<(xs: number[]) => unknown>(FILE, 'softmax');
    const xs = [0.5, -1.25, 3, 0, 2.2];
    expectAllClose(softmax(xs), softmaxRef(xs), `softmax([${xs}])`, { atol: 1e-6 });
  },
  'softmax-large-logits': (ctx) => {
    const softmax = ctx.fn<(xs: number[]) => unknown>(FILE, 'softmax');
    const xs = [1000, 1001, 1002];
    const out = expectFinite(softmax(xs), 'softmax([1000, 1001, 1002])');
    expectAllClose(out, softmaxRef([0, 1, 2]), 'softmax([1000, 1001, 1002])', { atol: 1e-6 });
  },
  'attend-one-seed-example': (ctx) => {
    const attendOne = ctx.fn<(q: number[], k: number[][], v: number[][]) => unknown>(FILE, 'attendOne');
    const { query, keys, values } = SEED_EXAMPLE;
    // scores = [2, 0] / √4 = [1, 0]; weights = [0.7311, 0.2689]; output = 12.689… everywhere.
    const expected = attentionLoopsRef([query], keys, values).output[0];
    const got = toNested(attendOne(query, keys, values), 'attendOne(seed example)');
    if (Array.isArray(got) && typeof got[0] === 'number' && Math.abs((got[0] as number) - 10) < 0.5) {
      throw new CheckFailure(
        'attendOne returned about 10, the seed text\'s claim — but the softmax never gives key 0 all the weight: it gives 0.7311',
        { expected: `[${expected.map(fmt).join(', ')}]`, actual: JSON.stringify(got) },
      );
    }
    expectAllClose(got, expected, 'attendOne(seed example)', { atol: 1e-5 });
  },
  'attend-one-random': (ctx) => {
    const attendOne = ctx.fn<(q: number[], k: number[][], v: number[][]) => unknown>(FILE, 'attendOne');
    const rand = ctx.rng(11);
    const q = randomMatrix(rand, 1, 8)[0];
    const k = randomMatrix(rand, 5, 8);
    const v = randomMatrix(rand, 5, 3);
    expectAllClose(attendOne(q, k, v), attentionLoopsRef([q], k, v).output[0], 'attendOne(random query, 5 keys, dv = 3)', {
      atol: 1e-6,
    });
  },
  'attention-loops-matches-reference': (ctx) => {
    const attentionLoops = ctx.fn<(Q: number[][], K: number[][], V: number[][], m?: boolean[][]) => unknown>(FILE, 'attentionLoops');
    const rand = ctx.rng(12);
    const Q = randomMatrix(rand, 4, 6);
    const K = randomMatrix(rand, 5, 6);
    const V = randomMatrix(rand, 5, 2);
    const ref = attentionLoopsRef(Q, K, V);
    const got = expectOutputAndWeights(attentionLoops(Q, K, V), 'attentionLoops(Q, K, V)');
    expectAllClose(got.weights, ref.weights, 'weights', { atol: 1e-6 });
    expectAllClose(got.output, ref.output, 'output', { atol: 1e-6 });
  },
  'attention-loops-masked': (ctx) => {
    const attentionLoops = ctx.fn<(Q: number[][], K: number[][], V: number[][], m?: boolean[][]) => unknown>(FILE, 'attentionLoops');
    const rand = ctx.rng(13);
    const X = randomMatrix(rand, 4, 4);
    const mask = X.map((_, i) => X.map((__, j) => j <= i && i !== 2)); // causal, and row 2 fully masked
    const ref = attentionLoopsRef(X, X, X, mask);
    const got = expectOutputAndWeights(attentionLoops(X, X, X, mask), 'attentionLoops(X, X, X, causal mask with row 2 fully masked)');
    expectAllClose(got.weights, ref.weights, 'weights', { atol: 1e-6 });
    expectAllClose(got.output, ref.output, 'output', { atol: 1e-6 });
  },

  // ── Level 2 ──
  'causal-mask': (ctx) => {
    const causalMask = ctx.fn<(n: number) => unknown>(FILE, 'causalMask');
    expectAllClose(causalMask(5), causalMaskRef(ctx.tf, 5), 'causalMask(5)', { atol: 0 });
  },
  'padding-mask': (ctx) => {
    const paddingMask = ctx.fn<(lengths: number[], maxLen: number) => unknown>(FILE, 'paddingMask');
    expectAllClose(paddingMask([3, 5, 1], 5), paddingMaskRef(ctx.tf, [3, 5, 1], 5), 'paddingMask([3, 5, 1], 5)', { atol: 0 });
  },
  'attention-shapes': (ctx) => {
    const { q, k, v } = qkv(ctx, 21, 6, 8);
    const vWide = ctx.tf.tile(v, [1, 2]); // dv = 16 ≠ d, so swapped axes show up
    const got = callAttention(ctx, q, k, vWide);
    expectShape(got.weights, [6, 6], 'weights for q, k of shape [6, 8]');
    expectShape(got.output, [6, 16], 'output for v of shape [6, 16]');
  },
  'attention-rows-sum-to-one': (ctx) => {
    const { q, k, v } = qkv(ctx, 22, 7, 4);
    expectRowsSumToOne(callAttention(ctx, q, k, v).weights, 'weights');
  },
  'attention-matches-reference': (ctx) => {
    const { q, k, v } = qkv(ctx, 23, 5, 8, 2);
    const ref = attentionRef(ctx.tf, q, k, v);
    const got = callAttention(ctx, q, k, v);
    expectAllClose(got.weights, ref.weights, 'weights (batch of 2)');
    expectAllClose(got.output, ref.output, 'output (batch of 2)');
  },
  'attention-causal-zeros': (ctx) => {
    const n = 6;
    const { q, k, v } = qkv(ctx, 24, n, 4);
    const got = callAttention(ctx, q, k, v, causalMaskRef(ctx.tf, n));
    expectZerosWhere(got.weights, ([i, j]) => j > i, 'weights', 'under a causal mask a query may not look at later keys');
    expectRowsSumToOne(got.weights, 'causal weights');
  },
  'attention-padding-zeros': (ctx) => {
    const { q, k, v } = qkv(ctx, 25, 5, 4, 2);
    const lengths = [3, 5];
    const got = callAttention(ctx, q, k, v, paddingMaskRef(ctx.tf, lengths, 5));
    expectZerosWhere(got.weights, ([b, , j]) => j >= lengths[b], 'weights', 'padded keys must get no attention');
    expectRowsSumToOne(got.weights, 'padding-masked weights');
  },
  'attention-fully-masked-row': (ctx) => {
    const { q, k, v } = qkv(ctx, 26, 4, 4);
    const mask = ctx.tf.tensor2d([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    const got = callAttention(ctx, q, k, v, mask);
    const w = expectFinite(got.weights, 'weights with a fully masked row 1') as number[][];
    expectZerosWhere(w, ([i]) => i === 1, 'weights', 'a query that may see no key attends to nothing (not NaN, not uniform)');
    expectZerosWhere(got.output, ([i]) => i === 1, 'output', 'a fully masked query has nothing to average, so its output is 0');
  },
  'attention-large-logits': (ctx) => {
    const { q, k, v } = qkv(ctx, 27, 4, 4);
    const big = ctx.tf.mul(q, 300);
    const got = callAttention(ctx, big, k, v);
    expectFinite(got.weights, 'weights for queries scaled by 300');
    expectAllClose(got.weights, attentionRef(ctx.tf, big, k, v).weights, 'weights for queries scaled by 300', { atol: 1e-3 });
  },
  'attention-permutation-equivariance': (ctx) => {
    const n = 5;
    const { q: x } = qkv(ctx, 28, n, 6);
    const perm = [3, 0, 4, 1, 2];
    const permIdx = ctx.tf.tensor1d(perm, 'int32');
    const xp = ctx.tf.gather(x, permIdx);
    const out = toNested(callAttention(ctx, x, x, x).output, 'output') as number[][];
    const outP = toNested(callAttention(ctx, xp, xp, xp).output, 'output for permuted tokens') as number[][];
    expectAllClose(
      outP,
      perm.map((p) => out[p]),
      'self-attention output of the permuted sequence (should be the permuted output: without positions, order is invisible)',
    );
  },

  // ── Level 3 ──
  'split-heads': (ctx) => {
    const splitHeads = ctx.fn<(x: Tensor, heads: number) => unknown>(FILE, 'splitHeads');
    const x = ctx.tf.tensor2d(randomMatrix(ctx.rng(31), 3, 8));
    expectAllClose(splitHeads(x, 2), splitHeadsRef(ctx.tf, x, 2), 'splitHeads(x [3, 8], 2)', { atol: 0 });
  },
  'combine-heads': (ctx) => {
    const combineHeads = ctx.fn<(x: Tensor) => unknown>(FILE, 'combineHeads');
    const x = ctx.tf.tensor3d(randomMatrix(ctx.rng(32), 4 * 3, 2).flat(), [4, 3, 2]);
    expectAllClose(combineHeads(x), combineHeadsRef(ctx.tf, x), 'combineHeads(x [4, 3, 2])', { atol: 0 });
  },
  'mha-shapes': (ctx) => {
    const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
    const { x, w } = mhaSetup(ctx, 33, 5, 8);
    const got = expectOutputAndWeights(mha(x, w, 4), 'multiHeadAttention(x, w, 4)');
    expectShape(got.output, [5, 8], 'output for x [5, 8]');
    expectShape(got.weights, [4, 5, 5], 'weights for 4 heads');
  },
  'mha-matches-reference': (ctx) => {
    const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
    const { x, w } = mhaSetup(ctx, 34, 6, 16);
    const ref = multiHeadAttentionRef(ctx.tf, x, w, 4);
    const got = expectOutputAndWeights(mha(x, w, 4), 'multiHeadAttention(x, w, 4)');
    expectAllClose(got.weights, ref.weights, 'per-head weights');
    expectAllClose(got.output, ref.output, 'output');
  },
  'mha-causal': (ctx) => {
    const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
    const { x, w } = mhaSetup(ctx, 35, 6, 8);
    const mask = causalMaskRef(ctx.tf, 6);
    const ref = multiHeadAttentionRef(ctx.tf, x, w, 2, mask);
    const got = expectOutputAndWeights(mha(x, w, 2, mask), 'multiHeadAttention(x, w, 2, causalMask(6))');
    expectZerosWhere(got.weights, ([, i, j]) => j > i, 'weights', 'every head must respect the causal mask');
    expectAllClose(got.output, ref.output, 'causal output');
  },
  'mha-one-head-is-attention': (ctx) => {
    const mha = ctx.fn<MhaFn>(FILE, 'multiHeadAttention');
    const { x, w } = mhaSetup(ctx, 36, 4, 6);
    const tf = ctx.tf;
    const single = attentionRef(tf, tf.matMul(x, w.wq), tf.matMul(x, w.wk), tf.matMul(x, w.wv));
    const got = expectOutputAndWeights(mha(x, w, 1), 'multiHeadAttention(x, w, 1)');
    expectAllClose(got.output, tf.matMul(single.output, w.wo), 'one-head output (should equal attention(xWq, xWk, xWv)·Wo)');
  },
};

export const visualize: LabModule['visualize'] = {
  attention: attentionView,
};
