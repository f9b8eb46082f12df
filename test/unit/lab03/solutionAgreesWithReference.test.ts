// Lab 3's solution/ (tensors, float32) and the reference library (positionalEncodings.ts, plain
// float64 loops) on random inputs: neither can drift.
import * as tf from '@tensorflow/tfjs-core';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { expectAllClose } from '../../../core/checks/expect';
import {
  alibiBiasRef,
  alibiSlopesRef,
  extrapolationRef,
  lookupRef,
  pooledSentenceRef,
  ropeRef,
  selfAttentionRef,
  sinusoidalRef,
} from '../../../sidecar/reference/positionalEncodings';
import { DRAWS, randomInputs, solutionBeforeAll } from '../../support/labSolution';

const F32 = { atol: 1e-4, rtol: 1e-4 };

describe('Lab 3 solution agrees with the reference library on random inputs', function () {
  this.timeout(60_000);
  const sol = solutionBeforeAll('03-positional-encodings', ['positions.ts']);

  it('sinusoidal table, lookup, RoPE and ALiBi', async () => {
    for (let s = 0; s < DRAWS; s++) {
      const r = randomInputs(800 + s);
      const [maxLen, d, heads] = [r.int(1, 40), r.int(1, 17), r.int(1, 16)];
      await expectAllClose(sol.sinusoidalEncoding(maxLen, d), sinusoidalRef(maxLen, d), `sinusoidalEncoding(${maxLen}, ${d})`, { atol: 1e-9 });
      const positions = Array.from({ length: r.int(1, 8) }, () => r.int(0, maxLen - 1));
      const evenD = 2 * r.int(1, 6);
      await inTensorScope(tf, async () => {
        const table = r.matrix(maxLen, d);
        await expectAllClose(sol.lookupPositions(tf.tensor2d(table), positions), lookupRef(table, positions), `lookupPositions, draw ${s}`, F32);
        const x = r.matrix(positions.length, evenD);
        await expectAllClose(sol.applyRope(tf.tensor2d(x), positions), ropeRef(x, positions), `applyRope, draw ${s}`, F32);
        await expectAllClose(sol.alibiSlopes(heads), alibiSlopesRef(heads), `alibiSlopes(${heads})`, { atol: 1e-9 });
        const n = r.int(1, 9);
        await expectAllClose(sol.alibiBias(n, heads), alibiBiasRef(n, heads), `alibiBias(${n}, ${heads})`, F32);
      });
    }
  });

  it('self-attention, the pooled sentence and the extrapolation study', async () => {
    for (let s = 0; s < DRAWS / 2; s++) {
      const r = randomInputs(900 + s);
      const [n, d] = [r.int(1, 7), 2 * r.int(1, 4)];
      const x = r.matrix(n, d);
      const w = { wq: r.matrix(d, d, 0.5), wk: r.matrix(d, d, 0.5), wv: r.matrix(d, d, 0.5) };
      await inTensorScope(tf, async () => {
        const wt = { wq: tf.tensor2d(w.wq), wk: tf.tensor2d(w.wk), wv: tf.tensor2d(w.wv) };
        await expectAllClose(sol.selfAttention(tf.tensor2d(x), wt), selfAttentionRef(x, w), `selfAttention, draw ${s}`, F32);
        for (const addPositions of [false, true]) {
          await expectAllClose(await sol.pooledSentence(tf.tensor2d(x), wt, addPositions), pooledSentenceRef(x, w, addPositions), `pooledSentence (positions ${addPositions}), draw ${s}`, F32);
        }
        const table = r.matrix(r.int(2, 12), d);
        const content = r.vector(d);
        const [heads, maxPosition] = [r.int(1, 8), r.int(1, 30)];
        const got = await sol.extrapolationStudy(tf.tensor2d(table), content, heads, maxPosition);
        const ref = extrapolationRef(table, content, heads, maxPosition);
        for (const k of ['sinusoidal', 'rope', 'alibi'] as const) await expectAllClose(got[k], ref[k], `extrapolationStudy.${k}, draw ${s}`, F32);
        // null (no table row) becomes 9, a value no cosine takes.
        await expectAllClose(got.learned.map((v: number | null) => v ?? 9), ref.learned.map((v) => v ?? 9), `extrapolationStudy.learned, draw ${s}`, F32);
      });
    }
  });
});
