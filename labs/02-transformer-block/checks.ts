// Lab 2 checks: trusted code that runs in the sidecar's worker and calls the learner's
// functions through ctx.fn. Every tensor created here is released by the runner's scope.
import type { CheckContext, LabModule, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import { describe, expectAllClose, expectFinite, expectOutputAndWeights, expectShape, expectZerosWhere, fmt, toNested, type KnownMistake } from '../../core/checks/expect';
import { erfRef, geluExactRef, geluRef, geluTanhRef } from '../../sidecar/reference/activations';
import { crossAttentionRef, decoderBlockRef, decoderStackRef, encoderBlockRef, encoderStackRef, feedForwardRef, postLNRef, preLNRef } from '../../sidecar/reference/block';
import { layerNormLoopsRef, layerNormRef, LN_EPS } from '../../sidecar/reference/normalisation';
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
async function expectStandardRows(value: unknown, what: string, why: string): Promise<void> {
  const rows = (await expectFinite(value, what)) as number[][];
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

/** LayerNorm with ε in the wrong place: outside the square root, or left out. */
function misplacedEpsilon(x: number[][], gamma: number[], beta: number[], where: 'outside' | 'none'): number[][] {
  return x.map((row) => {
    const d = row.length;
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const sd = Math.sqrt(row.reduce((s, v) => s + (v - mean) ** 2, 0) / d);
    return row.map((v, j) => (gamma[j] * (v - mean)) / (where === 'outside' ? sd + LN_EPS : sd) + beta[j]);
  });
}

const EPSILON_MISTAKES = (x: number[][], gamma: number[], beta: number[]): KnownMistake[] => [
  { value: () => misplacedEpsilon(x, gamma, beta, 'outside'), means: 'that is (x − μ) / (√σ² + ε): ε belongs INSIDE the square root, √(σ² + ε)' },
  { value: () => misplacedEpsilon(x, gamma, beta, 'none'), means: 'that is LayerNorm with no ε at all: ε goes inside the square root, √(σ² + ε)' },
];

/**
 * A LayerNorm result where rows are (near-)constant: a NaN means no ε (0 / 0), and a finite
 * wrong value is matched against ε outside the root and no ε.
 */
async function expectNearConstantRows(got: unknown, x: number[][], gamma: number[], beta: number[], what: string, atol: number): Promise<void> {
  const rows = await toNested(got, what);
  const constant = x.findIndex((row) => row.every((v) => v === row[0]));
  if (Array.isArray(rows) && constant >= 0) {
    const row = rows[constant];
    if (Array.isArray(row) && row.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new CheckFailure(`${what}: row ${constant} is constant, its variance is 0, and you returned ${JSON.stringify(row)} — with no ε that is 0 / 0; ε goes inside the square root, √(σ² + ε), and a constant row gives β`, {
        expected: `[${beta.join(', ')}] (β)`,
        actual: JSON.stringify(row),
      });
    }
  }
  await expectAllClose(rows, layerNormLoopsRef(x, gamma, beta), what, { atol, rtol: 1e-4, known: EPSILON_MISTAKES(x, gamma, beta) });
}

/**
 * Both GELUs: GELU(x) − GELU(−x) = x (Φ(x) + Φ(−x) = 1), and in the tails GELU(x) ≈ x on the
 * right and ≈ 0 on the left — finite, where a hand-made tanh from exponentials overflows.
 */
async function oddAndTails(ctx: CheckContext, odd: number[], tails: number[]): Promise<void> {
  for (const name of ['geluExact', 'geluTanh']) {
    const g = ctx.fn<(x: number) => number>(FILE, name);
    for (const x of tails) {
      const y = g(x);
      if (typeof y !== 'number' || !Number.isFinite(y)) {
        throw new CheckFailure(`${name}(${x}) is ${String(y)}: far in the tails GELU is ≈ ${x > 0 ? 'x' : '0'}. Math.tanh and erf saturate at ±1 there; an exponential such as e^(2z) overflows to Infinity and Infinity / Infinity is NaN`, {
          expected: fmt(x > 0 ? x : 0),
          actual: String(y),
        });
      }
    }
    await expectAllClose(tails.map((x) => g(x)), tails.map((x) => (x > 0 ? x : 0)), `${name} at [${tails.join(', ')}] (≈ x for large x, ≈ 0 for very negative x)`, { atol: 1e-6 });
    for (const x of odd) {
      await expectAllClose(g(x) - g(-x), x, `${name}(${x}) − ${name}(−${x}) (should be exactly ${x}, since Φ(x) + Φ(−x) = 1)`, { atol: 1e-6 });
    }
  }
}

function permuteRows<T>(rows: T[], perm: number[]): T[] {
  return perm.map((p) => rows[p]);
}

/** The Pre-LN and Post-LN formula checks' inputs: x [5, 8] (seed + 1), an FFN sublayer and its first LayerNorm (seed). */
function sublayerCase(ctx: CheckContext, seed: number): { tf: Tf; x: Tensor; sub: (h: Tensor) => Tensor; ln1: { gamma: Tensor; beta: Tensor } } {
  const { ffn, ln1 } = encParams(ctx, seed, 8);
  return { tf: ctx.tf, x: mat(ctx, seed + 1, 5, 8, 2), sub: (h: Tensor) => feedForwardRef(ctx.tf, h, ffn), ln1 };
}

export const checks: LabModule['checks'] = {
  // ── Level 1: plain numbers ──
  'layernorm-loops-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNormLoops');
    const rand = ctx.rng(101);
    const x = randomMatrix(rand, 4, 6, 3);
    const gamma = Array.from({ length: 6 }, () => 0.5 + rand());
    const beta = Array.from({ length: 6 }, () => rand() - 0.5);
    await expectAllClose(f(x, gamma, beta), layerNormLoopsRef(x, gamma, beta), 'layerNormLoops(x [4][6], γ, β)', { atol: 1e-9, rtol: 1e-9 });
  },
  'layernorm-loops-normalises': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNormLoops');
    const x = randomMatrix(ctx.rng(102), 5, 8, 4).map((r, i) => r.map((v) => v + 10 * i)); // shifted, scaled rows
    await expectStandardRows(f(x, new Array(8).fill(1), new Array(8).fill(0)), 'layerNormLoops(x [5][8], row i shifted by 10·i, γ = 1, β = 0)', 'before γ and β, every position is standardised');
  },
  'layernorm-loops-near-constant-row': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNormLoops');
    // Row 0 varies by ±0.002 (σ² = 2e-6, the same size as ε), row 1 not at all: where ε sits matters.
    const x = [
      [1, 1.002, 0.998, 1],
      [-2, -2, -2, -2],
    ];
    const gamma = [1, 2, 0.5, 1];
    const beta = [0.1, -0.2, 0.3, 0];
    await expectNearConstantRows(f(x, gamma, beta), x, gamma, beta, 'layerNormLoops([[1, 1.002, 0.998, 1], [-2, -2, -2, -2]], γ, β)', 1e-9);
  },
  'layernorm-loops-constant-row': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNormLoops');
    const x = [
      [3, 3, 3, 3],
      [5, 5.0001, 5, 4.9999],
    ];
    const gamma = [2, 2, 2, 2];
    const beta = [0.1, -0.2, 0.3, 0];
    await expectNearConstantRows(f(x, gamma, beta), x, gamma, beta, 'layerNormLoops([[3, 3, 3, 3], [5, 5.0001, 5, 4.9999]], γ = 2, β)', 1e-9);
  },
  'erf-accuracy': async (ctx) => {
    const erf = ctx.fn<(x: number) => unknown>(FILE, 'erf');
    const xs = [-3, -1.5, -0.5, -1e-3, 0, 0.3, 1, 2, 4];
    const got = xs.map((x) => erf(x));
    // A&S 7.1.26 promises 1.5e-7; 2e-7 leaves room for rounding.
    await expectAllClose(got, xs.map(erfRef), `erf at [${xs.join(', ')}]`, {
      atol: 2e-7,
      rtol: 0,
      known: [{ value: () => xs.map((x) => erfRef(Math.abs(x))), means: 'that is erf(|x|) for every x: erf is odd, erf(−x) = −erf(x) — the formula holds for x ≥ 0 only' }],
    });
  },
  'gelu-exact-values': async (ctx) => {
    const g = ctx.fn<(x: number) => unknown>(FILE, 'geluExact');
    await expectAllClose(GELU_POINTS.map((x) => g(x)), GELU_POINTS.map(geluExactRef), `geluExact at [${GELU_POINTS.join(', ')}]`, {
      atol: 1e-6,
      rtol: 0,
      known: [
        { value: () => GELU_POINTS.map((x) => 0.5 * x * (1 + erfRef(x))), means: 'that is 0.5·x·(1 + erf(x)): Φ(x) needs erf(x / √2)' },
        { value: () => GELU_POINTS.map(geluTanhRef), means: 'that is the tanh approximation: geluExact uses erf' },
      ],
    });
  },
  'gelu-tanh-values': async (ctx) => {
    const g = ctx.fn<(x: number) => unknown>(FILE, 'geluTanh');
    const withSquare = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x)));
    await expectAllClose(GELU_POINTS.map((x) => g(x)), GELU_POINTS.map(geluTanhRef), `geluTanh at [${GELU_POINTS.join(', ')}]`, {
      atol: 1e-9,
      rtol: 0,
      known: [
        { value: () => GELU_POINTS.map(withSquare), means: 'that uses 0.044715·x² where the formula has 0.044715·x³' },
        { value: () => GELU_POINTS.map(geluExactRef), means: 'that is the exact GELU: geluTanh is the tanh approximation' },
      ],
    });
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
  'gelu-odd-and-tails': async (ctx) => {
    await oddAndTails(ctx, [0.7], [40, -40, -12]);
  },
  'gelu-odd-and-limits': async (ctx) => {
    await oddAndTails(ctx, [1.9, 3.3], [12, 25, -25]);
  },

  // ── Level 2: tensors ──
  'layernorm-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNorm');
    const x = ctx.tf.reshape(mat(ctx, 201, 6, 8, 2), [2, 3, 8]);
    const p = ln(ctx, 8, 202);
    await expectAllClose(f(x, p), layerNormRef(ctx.tf, x, p), 'layerNorm(x [2, 3, 8], γ, β) over the last axis');
  },
  'layernorm-normalises': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNorm');
    const x = ctx.tf.add(mat(ctx, 203, 5, 16, 3), 7);
    await expectStandardRows(f(x, ln(ctx, 16)), 'layerNorm(x [5, 16], γ = 1, β = 0)', 'each position is standardised over its 16 features');
  },
  'layernorm-near-constant-rows': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'layerNorm');
    // Row 0 varies by ±0.002 around 0.5 (σ² = 2e-6, the size of ε), row 1 is constant: only
    // √(σ² + ε) gives the reference here; √σ² + ε and no ε are far off (or NaN).
    const x = [
      [0.5, 0.502, 0.498, 0.5, 0.501, 0.499, 0.5, 0.5],
      [-2, -2, -2, -2, -2, -2, -2, -2],
    ];
    const gamma = [1, 2, 0.5, 1, 1, 1, 1.5, 1];
    const beta = [0.1, -0.2, 0.3, 0, 0, 0.5, 0, -1];
    const p = { gamma: ctx.tf.tensor1d(gamma), beta: ctx.tf.tensor1d(beta) };
    // float32: the centred values carry about 3e-8 of rounding, i.e. 1e-5 after dividing by 3e-3.
    await expectNearConstantRows(f(ctx.tf.tensor2d(x), p), x, gamma, beta, 'layerNorm(x [2, 8] with a near-constant row 0 and a constant row 1, γ, β)', 1e-3);
  },
  'gelu-tensor-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'gelu');
    const tf = ctx.tf;
    const x = tf.tensor2d([GELU_POINTS.slice(0, 6), GELU_POINTS.slice(7)]);
    await expectAllClose(f(x), geluRef(tf, x), 'gelu(x [2, 6]) (exact, the default)', {
      atol: 1e-5,
      known: [{ value: () => geluRef(tf, x, 'tanh'), means: "that is the tanh approximation: with no second argument gelu is the exact GELU, 0.5·x·(1 + erf(x/√2))" }],
    });
    await expectAllClose(f(x, 'tanh'), geluRef(tf, x, 'tanh'), "gelu(x [2, 6], 'tanh')", {
      atol: 1e-5,
      known: [{ value: () => geluRef(tf, x), means: "that is the exact GELU: with 'tanh' gelu uses the tanh approximation" }],
    });
  },
  'ffn-shapes': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'feedForward');
    const { ffn } = encParams(ctx, 204, 8);
    await expectShape(f(mat(ctx, 205, 5, 8), ffn), [5, 8], 'feedForward(x [5, 8], w1 [8, 32], b1, w2 [32, 8], b2)');
  },
  'ffn-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'feedForward');
    const tf = ctx.tf;
    const { ffn } = encParams(ctx, 206, 8);
    // Scaled up so that the hidden units reach |x| ≈ 2–3, where the two GELUs differ most.
    const x = mat(ctx, 207, 6, 8, 3);
    const tanhFfn = () => tf.add(tf.matMul(geluRef(tf, tf.add(tf.matMul(x, ffn.w1), ffn.b1), 'tanh'), ffn.w2), ffn.b2);
    const relu = () => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, ffn.w1), ffn.b1)), ffn.w2), ffn.b2);
    // Same backend, same ops: the tolerance is tight enough to tell the two GELUs apart.
    await expectAllClose(f(x, ffn), feedForwardRef(tf, x, ffn), 'feedForward(x [6, 8], w)', {
      atol: 2e-5,
      rtol: 2e-5,
      known: [
        { value: tanhFfn, means: "that is the FFN with the tanh approximation of GELU: this lab's FFN uses the exact GELU (gelu with its default)" },
        { value: relu, means: 'that is the FFN with ReLU: the activation is the exact GELU' },
      ],
    });
  },
  'ffn-position-wise': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'feedForward');
    const { ffn } = encParams(ctx, 208, 8);
    const rows = randomMatrix(ctx.rng(209), 5, 8);
    const perm = [2, 4, 0, 3, 1];
    const out = (await toNested(f(ctx.tf.tensor2d(rows), ffn), 'feedForward(x [5, 8], w)')) as number[][];
    await expectAllClose(f(ctx.tf.tensor2d(permuteRows(rows, perm)), ffn), permuteRows(out, perm), `feedForward(x with its rows in the order [${perm.join(', ')}], w) (should be the output rows in the same order: the FFN sees each position alone)`);
  },
  'pre-ln-formula': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'preLN');
    const { tf, x, sub, ln1 } = sublayerCase(ctx, 210);
    await expectAllClose(f(x, sub, ln1), preLNRef(tf, x, sub, ln1), 'preLN(x [5, 8], FFN, ln) (should be x + FFN(LN(x)))', {
      known: [
        { value: () => postLNRef(tf, x, sub, ln1), means: 'that is Post-LN, LN(x + F(x)): Pre-LN normalises the sublayer\'s input and adds the raw x' },
        { value: () => tf.add(layerNormRef(tf, x, ln1), sub(layerNormRef(tf, x, ln1))), means: 'that adds the NORMALISED x on the residual path: Pre-LN adds the raw x, x + F(LN(x))' },
      ],
    });
  },
  'post-ln-formula': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'postLN');
    const { tf, x, sub, ln1 } = sublayerCase(ctx, 212);
    await expectAllClose(f(x, sub, ln1), postLNRef(tf, x, sub, ln1), 'postLN(x [5, 8], FFN, ln) (should be LN(x + FFN(x)))', {
      known: [
        { value: () => preLNRef(tf, x, sub, ln1), means: 'that is Pre-LN, x + F(LN(x)): Post-LN applies the sublayer to the raw x and normalises the sum' },
        { value: () => tf.add(x, layerNormRef(tf, sub(x), ln1)), means: 'that normalises only F(x) and adds x afterwards: Post-LN normalises the whole sum, LN(x + F(x))' },
      ],
    });
  },
  'pre-vs-post-ln': async (ctx) => {
    const pre = ctx.fn<Fn>(FILE, 'preLN');
    const post = ctx.fn<Fn>(FILE, 'postLN');
    const { ffn } = encParams(ctx, 214, 8);
    const x = ctx.tf.add(mat(ctx, 215, 4, 8, 3), 1);
    const sub = (h: Tensor) => feedForwardRef(ctx.tf, h, ffn);
    const unit = ln(ctx, 8);
    // Post-LN ends in a LayerNorm: standardised rows. Pre-LN keeps x on the residual path: not standardised.
    await expectStandardRows(post(x, sub, unit), 'postLN(x [4, 8], FFN, γ = 1, β = 0)', 'Post-LN ends with LayerNorm');
    const preRows = (await toNested(pre(x, sub, unit), 'preLN(x [4, 8], FFN, γ = 1, β = 0)')) as number[][];
    const mean0 = preRows[0].reduce((s, v) => s + v, 0) / preRows[0].length;
    if (Math.abs(mean0) < 1e-3) {
      throw new CheckFailure('preLN(x [4, 8], FFN, γ = 1, β = 0): output row 0 has mean ≈ 0, as if a LayerNorm ran last: Pre-LN normalises the sublayer input, not the sum', {
        expected: `row 0 mean ${fmt(((await toNested(ctx.tf.mean(preLNRef(ctx.tf, x, sub, unit), 1), 'the reference')) as number[])[0])}`,
        actual: `row 0 mean ${fmt(mean0)}`,
      });
    }
  },

  // ── Level 3: blocks and stacks ──
  'encoder-block-shapes': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'encoderBlock');
    const what = "encoderBlock(x [5, 8], p, {heads: 2, norm: 'pre'})";
    const got = expectOutputAndWeights(f(mat(ctx, 301, 5, 8), encParams(ctx, 302, 8), { heads: 2, norm: 'pre' }), what);
    await expectShape(got.output, [5, 8], `${what}.output`);
    await expectShape(got.weights, [2, 5, 5], `${what}.weights (one [5, 5] map per head)`);
  },
  'encoder-block-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'encoderBlock');
    const x = mat(ctx, 303, 6, 8);
    const p = encParams(ctx, 304, 8);
    for (const norm of ['pre', 'post'] as Norm[]) {
      const ref = encoderBlockRef(ctx.tf, x, p, { heads: 2, norm });
      const what = `encoderBlock(x [6, 8], p, {heads: 2, norm: '${norm}'})`;
      const got = expectOutputAndWeights(f(x, p, { heads: 2, norm }), what);
      const other = () => encoderBlockRef(ctx.tf, x, p, { heads: 2, norm: norm === 'pre' ? 'post' : 'pre' });
      const means = `that is the ${norm === 'pre' ? 'Post' : 'Pre'}-LN block: opts.norm says '${norm}'`;
      await expectAllClose(got.weights, ref.weights, `${what}.weights`, { known: [{ value: () => other().weights, means }] });
      await expectAllClose(got.output, ref.output, `${what}.output`, { known: [{ value: () => other().output, means }] });
    }
  },
  'encoder-block-padding-mask': async (ctx) => {
    await paddedEncoderBlock(ctx, 323, 5, 3, ['pre']);
  },
  'encoder-block-padding': async (ctx) => {
    await paddedEncoderBlock(ctx, 305, 6, 4, ['pre', 'post']);
  },
  'cross-attention-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'crossAttention');
    const x = mat(ctx, 307, 4, 8);
    const memory = mat(ctx, 308, 6, 8);
    const { crossAttn } = decParams(ctx, 309, 8);
    const what = 'crossAttention(x [4, 8], memory [6, 8], w, 2)';
    const got = expectOutputAndWeights(f(x, memory, crossAttn, 2), what);
    await expectShape(got.weights, [2, 4, 6], `${what}.weights (one row per decoder query, one column per encoder position; [2, 4, 4] means the keys came from x, not from memory)`);
    const ref = crossAttentionRef(ctx.tf, x, memory, crossAttn, 2);
    await expectAllClose(got.weights, ref.weights, `${what}.weights`);
    await expectAllClose(got.output, ref.output, `${what}.output`);
  },
  'decoder-block-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'decoderBlock');
    const x = mat(ctx, 310, 5, 8);
    const memory = mat(ctx, 311, 7, 8);
    const p = decParams(ctx, 312, 8);
    for (const norm of ['pre', 'post'] as Norm[]) {
      const what = `decoderBlock(x [5, 8], memory [7, 8], p, {heads: 2, norm: '${norm}'})`;
      const got = expectKeys(f(x, memory, p, { heads: 2, norm }), ['output', 'selfWeights', 'crossWeights'], what);
      const ref = decoderBlockRef(ctx.tf, x, memory, p, { heads: 2, norm });
      await expectAllClose(got.selfWeights, ref.selfWeights, `${what}.selfWeights [2, 5, 5]`);
      await expectAllClose(got.crossWeights, ref.crossWeights, `${what}.crossWeights [2, 5, 7]`);
      await expectAllClose(got.output, ref.output, `${what}.output`);
    }
  },
  'decoder-block-causal': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'decoderBlock');
    const p = decParams(ctx, 313, 8);
    const memory = mat(ctx, 314, 4, 8);
    const rows = randomMatrix(ctx.rng(315), 6, 8);
    const t = 2;
    const changed = rows.map((r, i) => (i > t ? r.map((v) => v * -2 + 0.5) : r)); // tokens after t differ
    const what = "decoderBlock(x [6, 8], memory [4, 8], p, {heads: 2, norm: 'pre'})";
    const out = async (xs: number[][]) => (await toNested(expectKeys(f(ctx.tf.tensor2d(xs), memory, p, { heads: 2, norm: 'pre' }), ['output'], what).output, `${what}.output`)) as number[][];
    const [afterChange, original] = [await out(changed), await out(rows)];
    await expectAllClose(afterChange.slice(0, t + 1), original.slice(0, t + 1), `${what}.output at positions 0..${t} when only the tokens after ${t} change (they may not see the future: a causal mask on the self-attention)`);
  },
  'encoder-stack-is-n-blocks': async (ctx) => {
    await stackIsNBlocks(ctx, 'enc', 316, 317);
  },
  'encoder-stack-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'encoderStack');
    const p = stackOf(ctx, 'enc', 318, 3, 8);
    const x = mat(ctx, 319, 5, 8);
    const ref = encoderStackRef(ctx.tf, x, p, { heads: 4, norm: 'pre' });
    const what = "encoderStack(x [5, 8], 3 layers, {heads: 4, norm: 'pre'})";
    const got = expectKeys(f(x, p, { heads: 4, norm: 'pre' }), ['output', 'weights'], what);
    await expectAllClose((got.weights as unknown[])?.[1], ref.weights[1], `${what}.weights[1] [4, 5, 5]`);
    await expectAllClose(got.output, ref.output, `${what}.output (with the final LayerNorm)`);
  },
  'decoder-stack-is-n-blocks': async (ctx) => {
    await stackIsNBlocks(ctx, 'dec', 324, 325);
  },
  'decoder-stack-matches-reference': async (ctx) => {
    const f = ctx.fn<Fn>(FILE, 'decoderStack');
    const p = stackOf(ctx, 'dec', 320, 2, 8);
    const x = mat(ctx, 321, 5, 8);
    const memory = mat(ctx, 322, 3, 8);
    for (const norm of ['pre', 'post'] as Norm[]) {
      const ref = decoderStackRef(ctx.tf, x, memory, p, { heads: 2, norm });
      const what = `decoderStack(x [5, 8], memory [3, 8], 2 layers, {heads: 2, norm: '${norm}'})`;
      const got = expectKeys(f(x, memory, p, { heads: 2, norm }), ['output'], what);
      await expectAllClose(got.output, ref.output, `${what}.output`);
    }
  },
};

/**
 * An encoder block with a key mask: padded keys get no weight, and changing only the padded
 * tokens changes nothing for the real ones (the FFN is position-wise, so it cannot leak them).
 */
async function paddedEncoderBlock(ctx: CheckContext, seed: number, n: number, real: number, norms: Norm[]): Promise<void> {
  const f = ctx.fn<Fn>(FILE, 'encoderBlock');
  const p = encParams(ctx, seed, 8);
  const rows = randomMatrix(ctx.rng(seed + 1), n, 8);
  const other = rows.map((r, i) => (i >= real ? r.map((v) => -3 * v + 1) : r)); // only the padded tokens differ
  const maskRow = Array.from({ length: n }, (_, j) => (j < real ? 1 : 0));
  const mask = ctx.tf.tensor2d([maskRow]); // [1, n]: broadcasts over heads and queries
  for (const norm of norms) {
    const what = `encoderBlock(x [${n}, 8], p, {heads: 2, norm: '${norm}', mask: [[${maskRow.join(', ')}]]})`;
    const a = expectOutputAndWeights(f(ctx.tf.tensor2d(rows), p, { heads: 2, norm, mask }), what);
    await expectZerosWhere(a.weights, ([, , j]) => j >= real, `${what}.weights`, 'padded keys get no attention: pass opts.mask on to the attention');
    const b = expectOutputAndWeights(f(ctx.tf.tensor2d(other), p, { heads: 2, norm, mask }), `${what} with other padding tokens`);
    const head = async (m: unknown) => ((await toNested(m, `${what}.output`)) as number[][]).slice(0, real);
    await expectAllClose(await head(b.output), await head(a.output), `${what}.output of the ${real} real tokens when only the padding tokens change`);
  }
}

/**
 * A stack is its N blocks in order (the learner's own blocks, so a wrong block does not fail
 * this check), every decoder block reading the same memory; only Pre-LN ends with p.final.
 */
async function stackIsNBlocks(ctx: CheckContext, kind: 'enc' | 'dec', seed: number, xSeed: number): Promise<void> {
  const stackName = kind === 'enc' ? 'encoderStack' : 'decoderStack';
  const stack = ctx.fn<Fn>(FILE, stackName);
  const block = ctx.fn<Fn>(FILE, kind === 'enc' ? 'encoderBlock' : 'decoderBlock');
  const layerNorm = ctx.fn<Fn>(FILE, 'layerNorm');
  const layers = kind === 'enc' ? 3 : 2;
  const p = stackOf(ctx, kind, seed, layers, 8);
  const x = mat(ctx, xSeed, 5, 8);
  const memory = kind === 'dec' ? mat(ctx, xSeed + 100, 4, 8) : undefined;
  for (const norm of ['pre', 'post'] as Norm[]) {
    const opts = { heads: 2, norm };
    const what = `${stackName}(x [5, 8], ${memory ? 'memory [4, 8], ' : ''}${layers} layers, {heads: 2, norm: '${norm}'})`;
    const got = expectKeys(memory ? stack(x, memory, p, opts) : stack(x, p, opts), ['output', 'hidden', 'weights'], what);
    let h: Tensor = x;
    for (const layer of p.layers) h = expectKeys(memory ? block(h, memory, layer, opts) : block(h, layer, opts), ['output'], kind === 'enc' ? 'encoderBlock' : 'decoderBlock').output as Tensor;
    const hidden = got.hidden as unknown[];
    if (!Array.isArray(hidden) || hidden.length !== layers) {
      throw new CheckFailure(`${what}.hidden should hold the residual stream after each of the ${layers} blocks`, { expected: `an array of ${layers} tensors [5, 8]`, actual: describe(hidden) });
    }
    const ownMemory = () => {
      let z: Tensor = x;
      for (const layer of p.layers) z = expectKeys(block(z, z, layer, opts), ['output'], 'decoderBlock').output as Tensor;
      return z;
    };
    await expectAllClose(hidden[layers - 1], h, `${what}.hidden[${layers - 1}] (the last block's output, before any final LayerNorm)`, {
      known: memory ? [{ value: ownMemory, means: 'that gives each block its own input as memory: every decoder block reads the same memory, the encoder output' }] : [],
    });
    const withFinal = () => layerNorm(h, p.final);
    const expected = norm === 'pre' ? withFinal() : h;
    await expectAllClose(got.output, expected, `${what}.output (${layers} applications of ${kind === 'enc' ? 'encoderBlock' : 'decoderBlock'}${norm === 'pre' ? ', then the final LayerNorm' : ''})`, {
      known:
        norm === 'pre'
          ? [{ value: h, means: 'that is the last block\'s output without the final LayerNorm: a Pre-LN stack ends with layerNorm(h, p.final), since nothing else normalises its residual stream' }]
          : [{ value: withFinal, means: 'that applies the final LayerNorm to a Post-LN stack: its last block already ended in a LayerNorm, so output is hidden[N − 1]' }],
    });
  }
}

export const visualize: LabModule['visualize'] = {
  block: blockView,
};
