// Lab 2 checks: trusted code that runs in the sidecar's worker and calls the learner's
// functions through ctx.fn. Every tensor created here is released by the runner's scope.
import type { CheckContext, LabModule, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import { describe, expectAllClose, expectFinite, expectOutputAndWeights, expectShape, expectZerosWhere, fmt, toNested } from '../../core/checks/expect';
import {
  crossAttentionRef,
  decoderBlockRef,
  decoderStackRef,
  encoderBlockRef,
  encoderStackRef,
  erfRef,
  feedForwardRef,
  geluExactRef,
  geluRef,
  geluTanhRef,
  layerNormLoopsRef,
  layerNormRef,
  postLNRef,
  preLNRef,
} from '../../sidecar/reference/block';
import { initDecoderBlock, initEncoderBlock, initStack, toTensors } from '../../sidecar/reference/block/params';
import { randomMatrix } from '../../sidecar/reference/random';
import { blockView } from './visualize';

const FILE = 'block.ts';
type Tensor = ReturnType<Tf['tensor']>;
type Norm = 'pre' | 'post';
type Fn = (...args: any[]) => any;

/** Points where the two GELUs are compared (the largest gap is near |x| ≈ 2.70 — see the instructions). */
export const GELU_POINTS = [-6, -3, -2.7, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2.7, 3, 6];
/** max over the reals of |GELU_exact − GELU_tanh|, from scripts/fixtures/lab02_numpy.py. */
export const GELU_MAX_GAP = 4.733e-4;

function mat(ctx: CheckContext, seed: number, rows: number, cols: number, scale = 1): Tensor {
  return ctx.tf.tensor2d(randomMatrix(ctx.rng(seed), rows, cols, scale));
}

function ln(ctx: CheckContext, d: number, seed?: number) {
  if (seed === undefined) return { gamma: ctx.tf.ones([d]), beta: ctx.tf.zeros([d]) };
  const r = ctx.rng(seed);
  return { gamma: ctx.tf.tensor1d(Array.from({ length: d }, () => 0.5 + r())), beta: ctx.tf.tensor1d(Array.from({ length: d }, () => r() - 0.5)) };
}

const encParams = (ctx: CheckContext, seed: number, d: number) => toTensors(ctx.tf, initEncoderBlock(seed, d, { perturb: true }));
const decParams = (ctx: CheckContext, seed: number, d: number) => toTensors(ctx.tf, initDecoderBlock(seed, d, { perturb: true }));
const stackOf = (ctx: CheckContext, kind: 'enc' | 'dec', seed: number, n: number, d: number) =>
  toTensors(ctx.tf, initStack((s) => (kind === 'enc' ? initEncoderBlock : initDecoderBlock)(s, d, { perturb: true }), seed, n, d, true));

/** A result object with the given keys, with a clear message when it is something else. */
function expectKeys(value: unknown, keys: string[], what: string): Record<string, unknown> {
  const v = value as Record<string, unknown> | undefined;
  if (!v || typeof v !== 'object' || keys.some((k) => !(k in v))) {
    throw new CheckFailure(`${what} should return { ${keys.join(', ')} }`, { expected: `{ ${keys.join(', ')} }`, actual: describe(value) });
  }
  return v;
}

/** Each row of m has mean 0 and (biased) variance 1; says which and by how much when not. */
function expectStandardRows(value: unknown, what: string, why: string): void {
  const rows = expectFinite(value, what) as number[][];
  rows.forEach((row, i) => {
    const d = row.length;
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
    if (Math.abs(mean) > 1e-4 || Math.abs(variance - 1) > 2e-3) {
      const unbiased = Math.abs(variance - (d - 1) / d) < 2e-3 ? ` — ${fmt((d - 1) / d)} = (d−1)/d means you divided the variance by d−1; LayerNorm divides by d` : '';
      throw new CheckFailure(`${what}: row ${i} has mean ${fmt(mean)} and variance ${fmt(variance)}${unbiased} (${why})`, {
        expected: 'mean 0, variance 1 (±1e-4, ±2e-3)',
        actual: `mean ${fmt(mean)}, variance ${fmt(variance)}`,
      });
    }
  });
}

function permuteRows<T>(rows: T[], perm: number[]): T[] {
  return perm.map((p) => rows[p]);
}

export const checks: LabModule['checks'] = {
  // ── Level 1: plain numbers ──
  'layernorm-loops-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNormLoops');
    const rand = ctx.rng(101);
    const x = randomMatrix(rand, 4, 6, 3);
    const gamma = Array.from({ length: 6 }, () => 0.5 + rand());
    const beta = Array.from({ length: 6 }, () => rand() - 0.5);
    expectAllClose(f(x, gamma, beta), layerNormLoopsRef(x, gamma, beta), 'layerNormLoops(x [4][6], γ, β)', { atol: 1e-9, rtol: 1e-9 });
  },
  'layernorm-loops-normalises': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNormLoops');
    const x = randomMatrix(ctx.rng(102), 5, 8, 4).map((r, i) => r.map((v) => v + 10 * i)); // shifted, scaled rows
    expectStandardRows(f(x, new Array(8).fill(1), new Array(8).fill(0)), 'layerNormLoops(x, γ = 1, β = 0)', 'before γ and β, every position is standardised');
  },
  'layernorm-loops-constant-row': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNormLoops');
    const beta = [0.1, -0.2, 0.3, 0];
    const got = expectFinite(f([[3, 3, 3, 3]], [2, 2, 2, 2], beta), 'layerNormLoops([[3, 3, 3, 3]], γ = 2, β)');
    expectAllClose(got, [beta], 'LayerNorm of a constant row (variance 0: ε inside the square root gives β, not NaN)', { atol: 1e-9 });
  },
  'erf-accuracy': (ctx) => {
    const erf = ctx.fn<(x: number) => unknown>(FILE, 'erf');
    const xs = [-3, -1.5, -0.5, -1e-3, 0, 0.3, 1, 2, 4];
    const got = xs.map((x) => erf(x));
    // A&S 7.1.26 promises 1.5e-7; 2e-7 leaves room for rounding.
    expectAllClose(got, xs.map(erfRef), `erf at [${xs}]`, { atol: 2e-7, rtol: 0 });
  },
  'gelu-exact-values': (ctx) => {
    const g = ctx.fn<(x: number) => unknown>(FILE, 'geluExact');
    expectAllClose(GELU_POINTS.map((x) => g(x)), GELU_POINTS.map(geluExactRef), `geluExact at [${GELU_POINTS}]`, { atol: 1e-6, rtol: 0 });
  },
  'gelu-tanh-values': (ctx) => {
    const g = ctx.fn<(x: number) => unknown>(FILE, 'geluTanh');
    expectAllClose(GELU_POINTS.map((x) => g(x)), GELU_POINTS.map(geluTanhRef), `geluTanh at [${GELU_POINTS}]`, { atol: 1e-9, rtol: 0 });
  },
  'gelu-exact-vs-tanh': (ctx) => {
    const exact = ctx.fn<(x: number) => number>(FILE, 'geluExact');
    const approx = ctx.fn<(x: number) => number>(FILE, 'geluTanh');
    const gaps = GELU_POINTS.map((x) => Math.abs(exact(x) - approx(x)));
    const max = Math.max(...gaps);
    const at = GELU_POINTS[gaps.indexOf(max)];
    if (!(max <= GELU_MAX_GAP + 2e-6)) {
      throw new CheckFailure(`|geluExact − geluTanh| is ${fmt(max)} at x = ${at}, more than the largest gap there is (${GELU_MAX_GAP})`, {
        expected: `≤ ${GELU_MAX_GAP}`,
        actual: fmt(max),
      });
    }
    if (max < 1e-4) {
      throw new CheckFailure(`geluExact and geluTanh agree to ${fmt(max)} everywhere: one of them is not the formula it is named after`, {
        expected: `a gap of about ${fmt(Math.abs(geluExactRef(2.7) - geluTanhRef(2.7)))} at x = 2.7`,
        actual: `largest gap ${fmt(max)} at x = ${at}`,
      });
    }
  },
  'gelu-odd-and-limits': (ctx) => {
    for (const name of ['geluExact', 'geluTanh']) {
      const g = ctx.fn<(x: number) => number>(FILE, name);
      for (const x of [0.7, 1.9, 3.3]) {
        // Φ(x) + Φ(−x) = 1, so GELU(x) − GELU(−x) = x exactly (and the tanh form keeps it).
        expectAllClose(g(x) - g(-x), x, `${name}(${x}) − ${name}(−${x})`, { atol: 1e-6 });
      }
      expectAllClose([g(12), g(-12), g(-40)], [12, 0, 0], `${name} at 12, −12, −40 (≈ x for large x, ≈ 0 for very negative x)`, { atol: 1e-6 });
    }
  },

  // ── Level 2: tensors ──
  'layernorm-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNorm');
    const x = ctx.tf.reshape(mat(ctx, 201, 6, 8, 2), [2, 3, 8]);
    const p = ln(ctx, 8, 202);
    expectAllClose(f(x, p), layerNormRef(ctx.tf, x, p), 'layerNorm(x [2, 3, 8], γ, β) over the last axis');
  },
  'layernorm-normalises': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNorm');
    const x = ctx.tf.add(mat(ctx, 203, 5, 16, 3), 7);
    expectStandardRows(f(x, ln(ctx, 16)), 'layerNorm(x [5, 16], γ = 1, β = 0)', 'each position is standardised over its 16 features');
  },
  'gelu-tensor-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'gelu');
    const x = ctx.tf.tensor2d([GELU_POINTS.slice(0, 6), GELU_POINTS.slice(7)]);
    expectAllClose(f(x), geluRef(ctx.tf, x), 'gelu(x) (exact, the default)', { atol: 1e-5 });
    expectAllClose(f(x, 'tanh'), geluRef(ctx.tf, x, 'tanh'), "gelu(x, 'tanh')", { atol: 1e-5 });
  },
  'ffn-shapes': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'feedForward');
    const { ffn } = encParams(ctx, 204, 8);
    expectShape(f(mat(ctx, 205, 5, 8), ffn), [5, 8], 'feedForward(x [5, 8], w1 [8, 32], …)');
  },
  'ffn-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'feedForward');
    const { ffn } = encParams(ctx, 206, 8);
    const x = mat(ctx, 207, 6, 8);
    expectAllClose(f(x, ffn), feedForwardRef(ctx.tf, x, ffn), 'feedForward(x [6, 8], w)');
  },
  'ffn-position-wise': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'feedForward');
    const { ffn } = encParams(ctx, 208, 8);
    const rows = randomMatrix(ctx.rng(209), 5, 8);
    const perm = [2, 4, 0, 3, 1];
    const out = toNested(f(ctx.tf.tensor2d(rows), ffn), 'feedForward(x)') as number[][];
    expectAllClose(f(ctx.tf.tensor2d(permuteRows(rows, perm)), ffn), permuteRows(out, perm), 'feedForward of the permuted positions (should be the permuted output: the FFN sees each position alone)');
  },
  'pre-ln-formula': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'preLN');
    const { ffn, ln1 } = encParams(ctx, 210, 8);
    const x = mat(ctx, 211, 5, 8, 2);
    const sub = (h: Tensor) => feedForwardRef(ctx.tf, h, ffn);
    expectAllClose(f(x, sub, ln1), preLNRef(ctx.tf, x, sub, ln1), 'preLN(x, FFN, ln) (should be x + FFN(LN(x)))');
  },
  'post-ln-formula': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'postLN');
    const { ffn, ln1 } = encParams(ctx, 212, 8);
    const x = mat(ctx, 213, 5, 8, 2);
    const sub = (h: Tensor) => feedForwardRef(ctx.tf, h, ffn);
    expectAllClose(f(x, sub, ln1), postLNRef(ctx.tf, x, sub, ln1), 'postLN(x, FFN, ln) (should be LN(x + FFN(x)))');
  },
  'pre-vs-post-ln': (ctx) => {
    const pre = ctx.fn<Fn>(FILE, 'preLN');
    const post = ctx.fn<Fn>(FILE, 'postLN');
    const { ffn } = encParams(ctx, 214, 8);
    const x = ctx.tf.add(mat(ctx, 215, 4, 8, 3), 1);
    const sub = (h: Tensor) => feedForwardRef(ctx.tf, h, ffn);
    const unit = ln(ctx, 8);
    // Post-LN ends in a LayerNorm: standardised rows. Pre-LN keeps x on the residual path: not standardised.
    expectStandardRows(post(x, sub, unit), 'postLN(x, FFN, γ = 1, β = 0)', 'Post-LN ends with LayerNorm');
    const preRows = toNested(pre(x, sub, unit), 'preLN(x, FFN, γ = 1, β = 0)') as number[][];
    const mean0 = preRows[0].reduce((s, v) => s + v, 0) / preRows[0].length;
    if (Math.abs(mean0) < 1e-3) {
      throw new CheckFailure('preLN output row 0 has mean ≈ 0, as if a LayerNorm ran last: Pre-LN normalises the sublayer input, not the sum', {
        expected: `row 0 mean ${fmt((toNested(ctx.tf.mean(preLNRef(ctx.tf, x, sub, unit), 1), 'the reference') as number[])[0])}`,
        actual: `row 0 mean ${fmt(mean0)}`,
      });
    }
  },

  // ── Level 3: blocks and stacks ──
  'encoder-block-shapes': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'encoderBlock');
    const got = expectOutputAndWeights(f(mat(ctx, 301, 5, 8), encParams(ctx, 302, 8), { heads: 2, norm: 'pre' }), 'encoderBlock(x [5, 8], p, {heads: 2})');
    expectShape(got.output, [5, 8], 'output');
    expectShape(got.weights, [2, 5, 5], 'self-attention weights for 2 heads');
  },
  'encoder-block-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'encoderBlock');
    const x = mat(ctx, 303, 6, 8);
    const p = encParams(ctx, 304, 8);
    for (const norm of ['pre', 'post'] as Norm[]) {
      const ref = encoderBlockRef(ctx.tf, x, p, { heads: 2, norm });
      const got = expectOutputAndWeights(f(x, p, { heads: 2, norm }), `encoderBlock(x, p, {heads: 2, norm: '${norm}'})`);
      expectAllClose(got.weights, ref.weights, `${norm}-LN self-attention weights`);
      expectAllClose(got.output, ref.output, `${norm}-LN block output`);
    }
  },
  'encoder-block-padding': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'encoderBlock');
    const p = encParams(ctx, 305, 8);
    const rows = randomMatrix(ctx.rng(306), 6, 8);
    const other = rows.map((r, i) => (i >= 4 ? r.map((v) => -3 * v + 1) : r)); // only the 2 padded tokens differ
    const mask = ctx.tf.tensor2d([[1, 1, 1, 1, 0, 0]]); // [1, n]: keys 4 and 5 are padding
    for (const norm of ['pre', 'post'] as Norm[]) {
      const a = expectOutputAndWeights(f(ctx.tf.tensor2d(rows), p, { heads: 2, norm, mask }), `encoderBlock(x, p, {mask})`);
      const b = expectOutputAndWeights(f(ctx.tf.tensor2d(other), p, { heads: 2, norm, mask }), `encoderBlock(x with other padding, p, {mask})`);
      expectZerosWhere(a.weights, ([, , j]) => j >= 4, 'weights', 'padded keys get no attention');
      const real = (m: unknown) => (toNested(m, 'output') as number[][]).slice(0, 4);
      expectAllClose(real(b.output), real(a.output), `${norm}-LN output of the 4 real tokens when only the padding changes`);
    }
  },
  'cross-attention-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'crossAttention');
    const x = mat(ctx, 307, 4, 8);
    const memory = mat(ctx, 308, 6, 8);
    const { crossAttn } = decParams(ctx, 309, 8);
    const got = expectOutputAndWeights(f(x, memory, crossAttn, 2), 'crossAttention(x [4, 8], memory [6, 8], w, 2)');
    expectShape(got.weights, [2, 4, 6], 'cross-attention weights (one row per decoder query, one column per encoder position)');
    const ref = crossAttentionRef(ctx.tf, x, memory, crossAttn, 2);
    expectAllClose(got.weights, ref.weights, 'cross-attention weights');
    expectAllClose(got.output, ref.output, 'cross-attention output');
  },
  'decoder-block-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'decoderBlock');
    const x = mat(ctx, 310, 5, 8);
    const memory = mat(ctx, 311, 7, 8);
    const p = decParams(ctx, 312, 8);
    for (const norm of ['pre', 'post'] as Norm[]) {
      const got = expectKeys(f(x, memory, p, { heads: 2, norm }), ['output', 'selfWeights', 'crossWeights'], `decoderBlock(x, memory, p, {norm: '${norm}'})`);
      const ref = decoderBlockRef(ctx.tf, x, memory, p, { heads: 2, norm });
      expectAllClose(got.selfWeights, ref.selfWeights, `${norm}-LN causal self-attention weights [2, 5, 5]`);
      expectAllClose(got.crossWeights, ref.crossWeights, `${norm}-LN cross-attention weights [2, 5, 7]`);
      expectAllClose(got.output, ref.output, `${norm}-LN decoder block output`);
    }
  },
  'decoder-block-causal': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'decoderBlock');
    const p = decParams(ctx, 313, 8);
    const memory = mat(ctx, 314, 4, 8);
    const rows = randomMatrix(ctx.rng(315), 6, 8);
    const t = 2;
    const changed = rows.map((r, i) => (i > t ? r.map((v) => v * -2 + 0.5) : r)); // tokens after t differ
    const out = (xs: number[][]) =>
      toNested(expectKeys(f(ctx.tf.tensor2d(xs), memory, p, { heads: 2, norm: 'pre' }), ['output'], 'decoderBlock(x, memory, p)').output, 'output') as number[][];
    expectAllClose(out(changed).slice(0, t + 1), out(rows).slice(0, t + 1), `decoder outputs at positions 0..${t} when only the tokens after ${t} change (they may not see the future)`);
  },
  'encoder-stack-is-n-blocks': (ctx) => {
    const stack = ctx.fn<Fn>(FILE, 'encoderStack');
    const block = ctx.fn<Fn>(FILE, 'encoderBlock');
    const layerNorm = ctx.fn<Fn>(FILE, 'layerNorm');
    const p = stackOf(ctx, 'enc', 316, 3, 8);
    const x = mat(ctx, 317, 5, 8);
    for (const norm of ['pre', 'post'] as Norm[]) {
      const got = expectKeys(stack(x, p, { heads: 2, norm }), ['output', 'hidden', 'weights'], `encoderStack(x, 3 layers, '${norm}')`);
      let h: Tensor = x;
      for (const layer of p.layers) h = expectOutputAndWeights(block(h, layer, { heads: 2, norm }), 'encoderBlock').output as Tensor;
      const expected = norm === 'pre' ? layerNorm(h, p.final) : h;
      const hidden = got.hidden as unknown[];
      if (!Array.isArray(hidden) || hidden.length !== 3) {
        throw new CheckFailure('hidden should hold the residual stream after each of the 3 blocks', { expected: 'an array of 3 tensors [5, 8]', actual: describe(hidden) });
      }
      expectAllClose(hidden[2], h, `hidden[2] (${norm}-LN: the last block's output, before any final LayerNorm)`);
      expectAllClose(got.output, expected, `${norm}-LN stack output (should be 3 applications of encoderBlock${norm === 'pre' ? ', then the final LayerNorm' : ''})`);
    }
  },
  'encoder-stack-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'encoderStack');
    const p = stackOf(ctx, 'enc', 318, 3, 8);
    const x = mat(ctx, 319, 5, 8);
    const ref = encoderStackRef(ctx.tf, x, p, { heads: 4, norm: 'pre' });
    const got = expectKeys(f(x, p, { heads: 4, norm: 'pre' }), ['output', 'weights'], 'encoderStack(x, 3 layers, {heads: 4})');
    expectAllClose((got.weights as unknown[])?.[1], ref.weights[1], 'weights of block 2 [4, 5, 5]');
    expectAllClose(got.output, ref.output, 'Pre-LN stack output (with the final LayerNorm)');
  },
  'decoder-stack-matches-reference': (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'decoderStack');
    const p = stackOf(ctx, 'dec', 320, 2, 8);
    const x = mat(ctx, 321, 5, 8);
    const memory = mat(ctx, 322, 3, 8);
    for (const norm of ['pre', 'post'] as Norm[]) {
      const ref = decoderStackRef(ctx.tf, x, memory, p, { heads: 2, norm });
      const got = expectKeys(f(x, memory, p, { heads: 2, norm }), ['output'], `decoderStack(x, memory, 2 layers, '${norm}')`);
      expectAllClose(got.output, ref.output, `${norm}-LN decoder stack output`);
    }
  },
};

export const visualize: LabModule['visualize'] = {
  block: blockView,
};
