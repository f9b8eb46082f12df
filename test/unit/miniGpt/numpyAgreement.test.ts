// The TypeScript forward pass against an independent NumPy float64 implementation
// (scripts/train/minigpt_numpy.py → fixtures/minigpt_numpy.json) on the shipped weights.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { findModelDir, loadMiniGpt } from '../../../sidecar/reference/miniGpt/loader';
import { MiniGpt } from '../../../sidecar/reference/miniGpt/model';
import { repoRoot } from '../../support/repoRoot';

describe('mini-gpt forward pass agrees with NumPy', function () {
  this.timeout(60_000);
  it('logits, last-layer attention and loss of a short text', async () => {
    const fx = JSON.parse(readFileSync(join(repoRoot(), 'test', 'unit', 'miniGpt', 'fixtures', 'minigpt_numpy.json'), 'utf8'));
    await loadBackend('wasm');
    const file = loadMiniGpt(findModelDir(__dirname));
    assert.equal(fx.weightsSha256, file.meta.weightsSha256, 'the NumPy fixture is from other weights: run python3 scripts/train/minigpt_numpy.py');
    const model = new MiniGpt(tf, file);
    const ids = model.tokenizer.encode(fx.text);
    const { logits, attention } = model.forward(ids, { collectAttention: true });
    const got = logits.arraySync() as number[][];
    logits.dispose();
    let worst = { d: 0, t: -1, v: -1 };
    got.forEach((row, t) => row.forEach((x, v) => {
      const d = Math.abs(x - fx.logits[t][v]);
      if (d > worst.d) worst = { d, t, v };
    }));
    assert.ok(worst.d < 2e-4, `logit [${worst.t}, ${worst.v}]: ${got[worst.t]?.[worst.v]} vs NumPy ${fx.logits[worst.t]?.[worst.v]}`);
    const last = attention![attention!.length - 1];
    let worstA = 0;
    last.forEach((h, i) => h.forEach((row, q) => row.forEach((x, k) => (worstA = Math.max(worstA, Math.abs(x - fx.lastLayerAttention[i][q][k]))))));
    assert.ok(worstA < 1e-5, `last-layer attention differs from NumPy by ${worstA}`);
    const loss = model.loss(ids);
    assert.ok(Math.abs(loss - fx.loss) < 1e-4, `loss ${loss} vs NumPy ${fx.loss}`);
    model.dispose();
  });
});
