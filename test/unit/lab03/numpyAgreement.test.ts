// Lab 3's reference math — sidecar/reference/positionalEncodings.ts and the lab's reference
// solution — against values computed independently with NumPy
// (scripts/fixtures/lab03_numpy.py → test/fixtures/numpy/lab03.json).
import assert from 'node:assert/strict';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expectAllClose } from '../../../core/checks/expect';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import {
  alibiBiasRef,
  alibiSlopesRef,
  dot,
  extrapolationRef,
  pooledSentenceRef,
  ropeRef,
  selfAttentionRef,
  sinusoidalRef,
} from '../../../sidecar/reference/positionalEncodings';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const { cases: C } = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'numpy', 'lab03.json'), 'utf8'));
const F32 = { atol: 1e-4, rtol: 1e-4 };

function solution(): Record<string, any> {
  const text = readFileSync(join(root, 'labs', '03-positional-encodings', 'solution', 'positions.ts'), 'utf8');
  const { files, diagnostics } = transpile([{ path: 'positions.ts', text }]);
  assert.deepEqual(diagnostics, []);
  return new Sandbox(files, { tf, helpers, log: () => undefined }).exportsOf('positions.ts');
}

describe('Lab 3 reference math agrees with NumPy', function () {
  this.timeout(30_000);
  let sol: Record<string, any>;
  before(async () => {
    await loadBackend('wasm');
    sol = solution();
  });

  it('sinusoidal encodings, interleaved, even and odd d (reference and solution)', async () => {
    for (const c of [C.sinusoidal, C.sinusoidalOdd]) {
      await expectAllClose(sinusoidalRef(c.n, c.d), c.pe, `sinusoidalRef(${c.n}, ${c.d})`, { atol: 1e-12 });
      await expectAllClose(sol.sinusoidalEncoding(c.n, c.d), c.pe, `solution sinusoidalEncoding(${c.n}, ${c.d})`, { atol: 1e-12 });
    }
  });

  it('PE(p)·PE(p+k) equals NumPy\'s closed form Σ_i cos(k·ω_i) at every p', () => {
    const { d, k: ks, dot: dots } = C.sinusoidalDots;
    const pe = sinusoidalRef(60, d);
    ks.forEach((k: number, n: number) => {
      for (const p of [0, 7, 30]) assert.ok(Math.abs(dot(pe[p], pe[p + k]) - dots[n]) < 1e-9, `k = ${k}, p = ${p}`);
    });
  });

  it('RoPE equals NumPy\'s block-diagonal rotation matrices (reference and solution)', async () => {
    const { x, positions, out } = C.rope;
    await expectAllClose(ropeRef(x, positions), out, 'ropeRef', { atol: 1e-12 });
    await inTensorScope(tf, () => expectAllClose(sol.applyRope(tf.tensor2d(x), positions), out, 'solution applyRope', { atol: 2e-3 }));
  });

  it('ALiBi slopes for 1, 2, 4, 6, 8, 12, 16 heads equal the paper\'s get_slopes, and the bias', async () => {
    for (const [h, slopes] of Object.entries(C.alibiSlopes)) {
      await expectAllClose(alibiSlopesRef(Number(h)), slopes, `alibiSlopesRef(${h})`, { atol: 1e-15, rtol: 0 });
      await expectAllClose(sol.alibiSlopes(Number(h)), slopes, `solution alibiSlopes(${h})`, { atol: 1e-15, rtol: 0 });
    }
    const { n, heads, bias } = C.alibiBias;
    await expectAllClose(alibiBiasRef(n, heads), bias, 'alibiBiasRef(5, 6)', { atol: 1e-12 });
    await inTensorScope(tf, () => expectAllClose(sol.alibiBias(n, heads), bias, 'solution alibiBias(5, 6)', { atol: 1e-6, rtol: 1e-6 }));
  });

  it('the extrapolation study: learned stops at the table length (reference and solution)', async () => {
    const { table, content, heads, maxPosition, series } = C.extrapolation;
    const ref = extrapolationRef(table, content, heads, maxPosition);
    assert.deepEqual(ref.learned.slice(6), [null, null, null, null, null, null]);
    assert.deepEqual(series.learned.slice(6), [null, null, null, null, null, null]);
    for (const key of ['sinusoidal', 'rope', 'alibi'] as const) await expectAllClose(ref[key], series[key], `reference ${key}`, { atol: 1e-12 });
    await expectAllClose(ref.learned.slice(0, 6) as number[], series.learned.slice(0, 6), 'reference learned', { atol: 1e-12 });
    await inTensorScope(tf, async () => {
      const got = await sol.extrapolationStudy(tf.tensor2d(table), content, heads, maxPosition);
      for (const key of ['sinusoidal', 'rope', 'alibi'] as const) await expectAllClose(got[key], series[key], `solution ${key}`, F32);
      assert.deepEqual(Array.from(got.learned.slice(6)), [null, null, null, null, null, null]);
      await expectAllClose(got.learned.slice(0, 6), series.learned.slice(0, 6), 'solution learned', F32);
    });
  });

  it('the permutation experiment: pooled equal without positions, different with them', async () => {
    const c = C.pooled;
    const w = { wq: c.wq, wk: c.wk, wv: c.wv };
    const reversed = [...c.x].reverse();
    await expectAllClose(selfAttentionRef(c.x, w), c.selfAttention, 'selfAttentionRef', { atol: 1e-12 });
    await expectAllClose(pooledSentenceRef(c.x, w, false), c.pooledPlain, 'pooled, no positions', { atol: 1e-12 });
    await expectAllClose(pooledSentenceRef(reversed, w, false), c.pooledPlain, 'pooled reversed, no positions', { atol: 1e-12 });
    await expectAllClose(pooledSentenceRef(c.x, w, true), c.pooledPositions, 'pooled, positions', { atol: 1e-12 });
    await expectAllClose(pooledSentenceRef(reversed, w, true), c.pooledPositionsReversed, 'pooled reversed, positions', { atol: 1e-12 });
    const gap = Math.max(...c.pooledPositions.map((v: number, i: number) => Math.abs(v - c.pooledPositionsReversed[i])));
    assert.ok(gap > 1e-3, `NumPy's pooled vectors with positions differ (by ${gap})`);
    await inTensorScope(tf, async () => {
      const tw = { wq: tf.tensor2d(c.wq), wk: tf.tensor2d(c.wk), wv: tf.tensor2d(c.wv) };
      await expectAllClose(sol.selfAttention(tf.tensor2d(c.x), tw), c.selfAttention, 'solution selfAttention', F32);
      await expectAllClose(await sol.pooledSentence(tf.tensor2d(reversed), tw, false), c.pooledPlain, 'solution pooled reversed', F32);
      await expectAllClose(await sol.pooledSentence(tf.tensor2d(reversed), tw, true), c.pooledPositionsReversed, 'solution pooled reversed + PE', F32);
    });
  });
});
