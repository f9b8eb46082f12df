// Lab 6's solution/ and the reference library (decoding/decodingRef.ts, miniGpt/layers.ts and
// forward.ts) on random logits and a randomly initialised GPT: neither can drift.
import assert from 'node:assert/strict';
import { inTensorScope } from '../../../core/checks/tensorScope';
import * as tf from '@tensorflow/tfjs-core';
import type { Tf } from '../../../core/checks/checkApi';
import { expectAllClose } from '../../../core/checks/expect';
import { geluRef } from '../../../sidecar/reference/activations';
import { applyTemperatureRef, beamSearchRef, generateRef, greedyRef, sampleFromRef, topKRef, topPRef } from '../../../sidecar/reference/decoding/decodingRef';
import { randomTrainedModel, weightTensors } from '../../../sidecar/reference/decoding/trainedModel';
import { gptForwardRef } from '../../../sidecar/reference/miniGpt/forward';
import { blockRef, causalSelfAttentionRef, mlpRef } from '../../../sidecar/reference/miniGpt/layers';
import { layerNormRef } from '../../../sidecar/reference/normalisation';
import { mulberry32 } from '../../../sidecar/reference/random';
import { DRAWS, plain, randomInputs, solutionBeforeAll } from '../../support/labSolution';

const ID = '06-mini-gpt';
const F32 = { atol: 1e-4, rtol: 1e-4 };
const T = tf as unknown as Tf;

describe('Lab 6 solution agrees with the reference library on random inputs', function () {
  this.timeout(60_000);
  const dec = solutionBeforeAll(ID, ['decoding.ts']);
  const model = solutionBeforeAll(ID, ['model.ts']);

  it('greedy, temperature, top-k, top-p, sampling, generation and beam search', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(1200 + s);
      const V = r.int(2, 9);
      // Half-integer logits make ties common, the case the stated tie rules exist for.
      const logits = Array.from({ length: V }, () => r.int(-4, 4) / 2);
      assert.equal(dec.greedy(logits), greedyRef(logits), `greedy(${logits})`);
      const temperature = [0.05, 0.5, 1, 3][r.int(0, 3)];
      const probs = applyTemperatureRef(logits, temperature);
      await expectAllClose(dec.applyTemperature(logits, temperature), probs, `applyTemperature(${logits}, ${temperature})`, { atol: 1e-12 });
      const k = r.int(1, V + 1);
      await expectAllClose(dec.topK(probs, k), topKRef(probs, k), `topK(k = ${k}), draw ${s}`, { atol: 1e-12 });
      const p = [0.3, 0.5, 0.9, 1][r.int(0, 3)];
      await expectAllClose(dec.topP(probs, p), topPRef(probs, p), `topP(p = ${p}), draw ${s}`, { atol: 1e-12 });
      const u = Array.from({ length: 20 }, () => r.rand());
      assert.deepEqual(u.map((x) => dec.sampleFrom(probs, () => x) as number), u.map((x) => sampleFromRef(probs, () => x)), `sampleFrom, draw ${s}`);
      const table = Array.from({ length: 7 }, () => Array.from({ length: V }, () => r.int(-4, 4) / 2));
      const next = (tokens: number[]) => table[tokens.reduce((a, t) => (a * 31 + t) % 7, 0)].slice();
      const strategy = { kind: 'sample' as const, temperature, topK: k, topP: p };
      const got = dec.generate(next, [0], 6, { ...strategy, rng: mulberry32(s) });
      assert.deepEqual(plain(got), generateRef(next, [0], 6, { ...strategy, rng: mulberry32(s) }), `generate (sampling), draw ${s}`);
      assert.deepEqual(plain(dec.generate(next, [0], 6, { kind: 'greedy' })), generateRef(next, [0], 6, { kind: 'greedy' }), `generate (greedy), draw ${s}`);
      const beam = { width: r.int(1, 3), maxLength: r.int(1, 4), lengthPenalty: r.int(0, 2) / 2, endToken: s % 2 ? V - 1 : undefined };
      const gb = dec.beamSearch(next, [0], beam);
      const rb = beamSearchRef(next, [0], beam);
      assert.deepEqual(plain(gb.tokens), rb.tokens, `beamSearch(${JSON.stringify(beam)}) tokens, draw ${s}`);
      await expectAllClose(gb.score, rb.score, `beamSearch score, draw ${s}`, { atol: 1e-12 });
    }
  });

  it('layerNorm, gelu, attention, MLP, block and forward of a random GPT', async () => {
    for (let s = 0; s < DRAWS / 3; s++) {
      const r = randomInputs(1300 + s);
      const nHead = r.int(1, 3);
      const config = { vocabSize: r.int(3, 12), blockSize: r.int(4, 10), nLayer: r.int(1, 3), nHead, nEmbd: nHead * 2 * r.int(1, 3) };
      const vocab = Array.from({ length: config.vocabSize }, (_, i) => String.fromCharCode(97 + i));
      const m = randomTrainedModel(config, vocab, r.rand);
      await inTensorScope(tf, async () => {
        const w = weightTensors(T, m);
        const n = r.int(1, config.blockSize);
        const x = tf.tensor2d(r.matrix(n, config.nEmbd, 2));
        const ln = { gamma: w['h.0.ln_1.weight'], beta: w['h.0.ln_1.bias'] };
        await expectAllClose(model.layerNorm(x, ln.gamma, ln.beta), layerNormRef(T, x, ln), `layerNorm, draw ${s}`, F32);
        await expectAllClose(model.gelu(x), geluRef(T, x, 'tanh'), `gelu, draw ${s}`, F32);
        const layer = r.int(0, config.nLayer - 1);
        const ga = model.causalSelfAttention(x, w, layer, nHead);
        const ra = causalSelfAttentionRef(T, x, w, layer, nHead);
        await expectAllClose(ga.weights, ra.weights, `causalSelfAttention weights, draw ${s}`, F32);
        await expectAllClose(ga.output, ra.output, `causalSelfAttention output, draw ${s}`, F32);
        await expectAllClose(model.mlp(x, w, layer), mlpRef(T, x, w, layer), `mlp, draw ${s}`, F32);
        await expectAllClose(model.block(x, w, layer, config), blockRef(T, x, w, layer, nHead).output, `block, draw ${s}`, F32);
        const ids = Array.from({ length: n }, () => r.int(0, config.vocabSize - 1));
        const logits = model.forward(w, ids, config);
        await expectAllClose(logits, gptForwardRef(T, w, config, ids).logits, `forward, draw ${s}`, { atol: 1e-3, rtol: 1e-3 });
      });
    }
  });
});
