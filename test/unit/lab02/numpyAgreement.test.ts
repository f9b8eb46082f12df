// Lab 2's reference math (sidecar/reference/block.ts) and the lab's reference solution against
// values computed independently with NumPy and math.erf
// (scripts/fixtures/lab02_numpy.py → test/fixtures/numpy/lab02.json).
import assert from 'node:assert/strict';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expectAllClose } from '../../../core/checks/expect';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import { erfRef, geluExactRef, geluRef, geluTanhRef } from '../../../sidecar/reference/activations';
import { crossAttentionRef, decoderBlockRef, encoderBlockRef, encoderStackRef, feedForwardRef } from '../../../sidecar/reference/block';
import { layerNormLoopsRef, layerNormRef } from '../../../sidecar/reference/normalisation';
import { toTensors } from '../../../sidecar/reference/block/params';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { GELU_MAX_GAP } from '../../../labs/02-transformer-block/checks';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const { cases: C } = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'numpy', 'lab02.json'), 'utf8'));
const F32 = { atol: 5e-5, rtol: 5e-5 };
const LAB = join(root, 'labs', '02-transformer-block');

function solution(): Record<string, any> {
  const files = ['block.ts', 'attention.ts'].map((p) => ({ path: p, text: readFileSync(join(LAB, 'solution', p), 'utf8') }));
  const { files: js, diagnostics } = transpile(files);
  assert.deepEqual(diagnostics, []);
  return new Sandbox(js, { tf, helpers, log: () => undefined }).exportsOf('block.ts');
}

describe('Lab 2 reference math agrees with NumPy', function () {
  this.timeout(30_000);
  let sol: Record<string, any>;
  before(async () => {
    await loadBackend('wasm');
    sol = solution();
  });

  it('erf: the reference to 1e-14, the solution (A&S 7.1.26) within its 1.5e-7 bound, tf.erf on wasm to float32', async () => {
    const { x, y } = C.erf;
    await expectAllClose(x.map(erfRef), y, 'erfRef', { atol: 1e-14, rtol: 0 });
    await expectAllClose(x.map(sol.erf), y, 'solution erf', { atol: 1.5e-7, rtol: 0 });
    // Dense sweep of the bound, against the reference (itself checked above).
    let worst = 0;
    for (let v = -6; v <= 6; v += 0.001) worst = Math.max(worst, Math.abs(sol.erf(v) - erfRef(v)));
    assert.ok(worst <= 1.5e-7 && worst > 1e-8, `A&S 7.1.26 max error ${worst}`);
    assert.equal(tf.getBackend(), 'wasm');
    await inTensorScope(tf, () => expectAllClose(tf.erf(tf.tensor1d(x)), y, 'tf.erf (wasm)', { atol: 1e-6, rtol: 0 }));
  });

  it('GELU exact and tanh, and their largest gap (4.73e-4 at |x| ≈ 2.70)', async () => {
    const g = C.gelu;
    await expectAllClose(g.x.map(geluExactRef), g.exact, 'geluExactRef', { atol: 1e-14 });
    await expectAllClose(g.x.map(geluTanhRef), g.tanh, 'geluTanhRef', { atol: 1e-14 });
    await expectAllClose(g.x.map(sol.geluExact), g.exact, 'solution geluExact', { atol: 2e-7 });
    await expectAllClose(g.x.map(sol.geluTanh), g.tanh, 'solution geluTanh', { atol: 1e-14 });
    await inTensorScope(tf, async () => {
      await expectAllClose(geluRef(tf, tf.tensor1d(g.x)), g.exact, 'geluRef exact (tf.erf)', F32);
      await expectAllClose(geluRef(tf, tf.tensor1d(g.x), 'tanh'), g.tanh, 'geluRef tanh', F32);
      await expectAllClose(sol.gelu(tf.tensor1d(g.x)), g.exact, 'solution gelu', F32);
    });
    const { x, gap } = C.geluMaxGap;
    assert.ok(Math.abs(x - 2.699) < 0.01, `argmax ${x}`);
    assert.ok(gap <= GELU_MAX_GAP && GELU_MAX_GAP - gap < 1e-6, `the checks' bound ${GELU_MAX_GAP} vs NumPy's ${gap}`);
    assert.ok(Math.abs(Math.abs(geluExactRef(x) - geluTanhRef(x)) - gap) < 1e-12);
  });

  it('LayerNorm over the last axis of [2, 3, 8] (loops, tensors, solution)', async () => {
    const { x, ln, y } = C.layerNorm;
    const rows = (x as number[][][]).flat();
    await expectAllClose(layerNormLoopsRef(rows, ln.gamma, ln.beta), (y as number[][][]).flat(), 'layerNormLoopsRef', { atol: 1e-12 });
    await expectAllClose(sol.layerNormLoops(rows, ln.gamma, ln.beta), (y as number[][][]).flat(), 'solution layerNormLoops', { atol: 1e-12 });
    await inTensorScope(tf, async () => {
      const p = toTensors(tf, ln);
      await expectAllClose(layerNormRef(tf, tf.tensor(x), p), y, 'layerNormRef', F32);
      await expectAllClose(sol.layerNorm(tf.tensor(x), p), y, 'solution layerNorm', F32);
    });
  });

  it('the feed-forward network', async () => {
    await inTensorScope(tf, async () => {
      const { x, p, y } = C.ffn;
      await expectAllClose(feedForwardRef(tf, tf.tensor(x), toTensors(tf, p)), y, 'feedForwardRef', F32);
      await expectAllClose(sol.feedForward(tf.tensor(x), toTensors(tf, p)), y, 'solution feedForward', F32);
    });
  });

  it('encoder block, Pre-LN and Post-LN, with and without a padding mask', async () => {
    const e = C.encoderBlock;
    await inTensorScope(tf, async () => {
      const x = tf.tensor(e.x);
      const p = toTensors(tf, e.p);
      for (const norm of ['pre', 'post'] as const) {
        const ref = encoderBlockRef(tf, x, p, { heads: e.heads, norm });
        await expectAllClose(ref.output, e[norm].y, `${norm} encoderBlockRef`, F32);
        await expectAllClose(ref.weights, e[norm].weights, `${norm} weights`, F32);
        await expectAllClose(encoderBlockRef(tf, x, p, { heads: e.heads, norm, mask: tf.tensor(e.mask) }).output, e[norm].yMasked, `${norm} masked`, F32);
        await expectAllClose(sol.encoderBlock(x, p, { heads: e.heads, norm }).output, e[norm].y, `${norm} solution`, F32);
      }
      assert.ok(Math.abs(e.pre.y[0][0] - e.post.y[0][0]) > 1e-3, 'Pre-LN and Post-LN differ');
    });
  });

  it('cross-attention and the decoder block', async () => {
    await inTensorScope(tf, async () => {
      const c = C.crossAttention;
      const ref = crossAttentionRef(tf, tf.tensor(c.x), tf.tensor(c.memory), toTensors(tf, c.p), c.heads);
      await expectAllClose(ref.output, c.y, 'crossAttentionRef output', F32);
      await expectAllClose(ref.weights, c.weights, 'crossAttentionRef weights [2, 4, 6]', F32);
      await expectAllClose(sol.crossAttention(tf.tensor(c.x), tf.tensor(c.memory), toTensors(tf, c.p), c.heads).output, c.y, 'solution', F32);
      const d = C.decoderBlock;
      for (const norm of ['pre', 'post'] as const) {
        const args = [tf.tensor(d.x), tf.tensor(d.memory), toTensors(tf, d.p), { heads: d.heads, norm }] as const;
        await expectAllClose(decoderBlockRef(tf, ...args).output, d[norm], `${norm} decoderBlockRef`, F32);
        await expectAllClose(sol.decoderBlock(...args).output, d[norm], `${norm} solution decoderBlock`, F32);
      }
    });
  });

  it('a stack of 3 encoder blocks, Pre-LN with final LayerNorm and Post-LN', async () => {
    const s = C.encoderStack;
    await inTensorScope(tf, async () => {
      const p = toTensors(tf, s.p);
      for (const norm of ['pre', 'post'] as const) {
        await expectAllClose(encoderStackRef(tf, tf.tensor(s.x), p, { heads: s.heads, norm }).output, s[norm], `${norm} encoderStackRef`, F32);
        await expectAllClose(sol.encoderStack(tf.tensor(s.x), p, { heads: s.heads, norm }).output, s[norm], `${norm} solution`, F32);
      }
    });
  });
});
