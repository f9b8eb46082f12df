// Lab 2's solution/ and the reference library (normalisation.ts, activations.ts, block.ts) on
// random inputs and seeded random blocks: neither can drift.
import * as tf from '@tensorflow/tfjs-core';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { expectAllClose } from '../../../core/checks/expect';
import { erfRef, geluExactRef, geluRef, geluTanhRef } from '../../../sidecar/reference/activations';
import { crossAttentionRef, decoderStackRef, encoderStackRef, feedForwardRef } from '../../../sidecar/reference/block';
import { initDecoderBlock, initEncoderBlock, initStack, toTensors } from '../../../sidecar/reference/block/params';
import { layerNormLoopsRef, layerNormRef } from '../../../sidecar/reference/normalisation';
import { paddingMaskRef } from '../../../sidecar/reference/tensorAttention';
import { DRAWS, randomInputs, solutionBeforeAll } from '../../support/labSolution';

const F32 = { atol: 1e-4, rtol: 1e-4 };

describe('Lab 2 solution agrees with the reference library on random inputs', function () {
  this.timeout(60_000);
  const sol = solutionBeforeAll('02-transformer-block', ['block.ts']);

  it('erf, GELU (exact and tanh) and LayerNorm on plain numbers', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(300 + s);
      const xs = r.vector(20, 4);
      // The solution's erf is A&S 7.1.26, good to 1.5e-7 (the lab's stated bound).
      await expectAllClose(xs.map(sol.erf), xs.map(erfRef), `erf, draw ${s}`, { atol: 1.5e-7, rtol: 0 });
      await expectAllClose(xs.map(sol.geluExact), xs.map(geluExactRef), `geluExact, draw ${s}`, { atol: 3e-7, rtol: 0 });
      await expectAllClose(xs.map(sol.geluTanh), xs.map(geluTanhRef), `geluTanh, draw ${s}`, { atol: 1e-12 });
      const [n, d] = [r.int(1, 5), r.int(1, 9)];
      const x = r.matrix(n, d, 10 ** r.int(-3, 1));
      const [g, b] = [r.vector(d), r.vector(d)];
      await expectAllClose(sol.layerNormLoops(x, g, b), layerNormLoopsRef(x, g, b), `layerNormLoops, draw ${s}`, { atol: 1e-9 });
    }
  });

  it('LayerNorm, GELU and the FFN on tensors', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(400 + s);
      await inTensorScope(tf, async () => {
        const [n, d] = [r.int(1, 6), r.int(2, 8)];
        const x = tf.tensor2d(r.matrix(n, d, 3));
        const ln = { gamma: tf.tensor1d(r.vector(d)), beta: tf.tensor1d(r.vector(d)) };
        await expectAllClose(sol.layerNorm(x, ln), layerNormRef(tf, x, ln), `layerNorm, draw ${s}`, F32);
        await expectAllClose(sol.gelu(x), geluRef(tf, x), `gelu exact, draw ${s}`, F32);
        await expectAllClose(sol.gelu(x, 'tanh'), geluRef(tf, x, 'tanh'), `gelu tanh, draw ${s}`, F32);
        const ffn = toTensors(tf, { w1: r.matrix(d, 4 * d, 0.5), b1: r.vector(4 * d, 0.1), w2: r.matrix(4 * d, d, 0.5), b2: r.vector(d, 0.1) });
        await expectAllClose(sol.feedForward(x, ffn), feedForwardRef(tf, x, ffn), `feedForward, draw ${s}`, F32);
      });
    }
  });

  it('encoder and decoder stacks, cross-attention, Pre-LN and Post-LN, with masks', async () => {
    for (let s = 0; s < DRAWS / 2; s++) {
      const r = randomInputs(500 + s);
      await inTensorScope(tf, async () => {
        const heads = r.int(1, 3);
        const d = heads * r.int(1, 3) * 2;
        const [n, m, layers] = [r.int(1, 6), r.int(1, 6), r.int(1, 3)];
        const norm = s % 2 ? 'post' : 'pre';
        const x = tf.tensor2d(r.matrix(n, d));
        const memory = tf.tensor2d(r.matrix(m, d));
        const enc = toTensors(tf, initStack((seed) => initEncoderBlock(seed, d, { perturb: true }), 600 + s, layers, d, true));
        const mask = paddingMaskRef(tf, [r.int(1, n)], n);
        const ge = sol.encoderStack(x, enc, { heads, norm, mask });
        const re = encoderStackRef(tf, x, enc, { heads, norm, mask });
        await expectAllClose(ge.output, re.output, `encoderStack (${norm}-LN), draw ${s}`, F32);
        for (const [l, wr] of re.weights.entries()) await expectAllClose(ge.weights[l], wr, `encoderStack weights of layer ${l}, draw ${s}`, F32);
        const dec = toTensors(tf, initStack((seed) => initDecoderBlock(seed, d, { perturb: true }), 700 + s, layers, d, true));
        const memoryMask = paddingMaskRef(tf, [r.int(1, m)], m);
        const gd = sol.decoderStack(x, memory, dec, { heads, norm, memoryMask });
        const rd = decoderStackRef(tf, x, memory, dec, { heads, norm, memoryMask });
        await expectAllClose(gd.output, rd.output, `decoderStack (${norm}-LN), draw ${s}`, F32);
        const w = dec.layers[0].crossAttn;
        const gc = sol.crossAttention(x, memory, w, heads, memoryMask);
        const rc = crossAttentionRef(tf, x, memory, w, heads, memoryMask);
        await expectAllClose(gc.output, rc.output, `crossAttention output, draw ${s}`, F32);
        await expectAllClose(gc.weights, rc.weights, `crossAttention weights, draw ${s}`, F32);
      });
    }
  });
});
