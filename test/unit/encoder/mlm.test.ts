// Masked language modelling: the masking follows BERT's rule (15 % of the real, non-special
// tokens; of those 80 % [MASK], 10 % a random token, 10 % unchanged), and the shipped encoder
// predicts masked tokens of held-out text (never seen in training) better than a unigram model.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadEncoderCorpus, windows } from '../../../scripts/train/encoderCorpus';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { tensorSpecs } from '../../../sidecar/reference/encoder/config';
import { encode, type Params } from '../../../sidecar/reference/encoder/encoder';
import { findEncoderDir, loadEncoder } from '../../../sidecar/reference/encoder/loader';
import { maskTokens, mlmLogits } from '../../../sidecar/reference/encoder/mlm';
import { mulberry32 } from '../../../sidecar/reference/random';

describe('encoder: masked language modelling', function () {
  this.timeout(180_000);
  before(async () => {
    await loadBackend('wasm');
  });

  it('masks 15 % of the real non-special tokens, 80 % [MASK] / 10 % random / 10 % kept', () => {
    const r = mulberry32(3);
    const special = [0, 1, 2, 3];
    const rows = Array.from({ length: 400 }, () => [1, ...Array.from({ length: 98 }, () => 4 + Math.floor(r() * 500)), 2, 0, 0]);
    const lengths = rows.map(() => 100);
    const m = maskTokens(rows, mulberry32(4), { maskId: 3, vocabSize: 504, specialIds: special, lengths });
    assert.equal(m.positions.length, 400 * Math.round(0.15 * 98));
    const T = rows[0].length;
    for (const [i, p] of m.positions.entries()) {
      const [b, t] = [Math.floor(p / T), p % T];
      assert.ok(t >= 1 && t <= 98, `picked position ${t} is [CLS], [SEP] or padding`);
      assert.equal(m.targets[i], rows[b][t]);
      const a = m.action[i];
      if (a === 'mask') assert.equal(m.input[b][t], 3);
      if (a === 'keep') assert.equal(m.input[b][t], rows[b][t]);
      if (a === 'random') assert.ok(!special.includes(m.input[b][t]));
    }
    const share = (a: string) => m.action.filter((x) => x === a).length / m.action.length;
    // 5,600 picks: each share is within 4 standard errors of its target.
    assert.ok(Math.abs(share('mask') - 0.8) < 0.022, `mask ${share('mask')}`);
    assert.ok(Math.abs(share('random') - 0.1) < 0.017, `random ${share('random')}`);
    assert.ok(Math.abs(share('keep') - 0.1) < 0.017, `keep ${share('keep')}`);
  });

  it('the shipped encoder beats a unigram model on masked held-out text', () => {
    const enc = loadEncoder(findEncoderDir(__dirname));
    const corpus = loadEncoderCorpus();
    const s = enc.special;
    const ids = { cls: s['[CLS]'], sep: s['[SEP]'], pad: s['[PAD]'] };
    const specialIds = Object.values(s);
    // The unigram model: token frequencies of the training text (a 2 MB slice keeps this quick).
    const counts = new Float64Array(enc.config.vocabSize);
    for (const d of corpus.train.slice(0, 60)) for (const id of enc.tokenizer.encode(d.text, { disallowedSpecial: [] })) counts[id]++;
    for (const id of specialIds) counts[id] = 0;
    const top = counts.indexOf(Math.max(...counts));
    const held = windows(corpus.validation.map((d) => enc.tokenizer.encode(d.text, { disallowedSpecial: [] })), enc.config.maxLen, ids);
    const pick = mulberry32(8);
    const rows = Array.from({ length: 48 }, () => held[Math.floor(pick() * held.length)]);
    let right = 0;
    let unigramRight = 0;
    let n = 0;
    tf.tidy(() => {
      const p: Params = {};
      for (const spec of tensorSpecs(enc.config)) p[spec.name] = tf.tensor(enc.tensors[spec.name].data, spec.shape);
      for (let i = 0; i < rows.length; i += 16) {
        const batch = rows.slice(i, i + 16);
        const m = maskTokens(batch.map((r) => r.ids), pick, { maskId: s['[MASK]'], vocabSize: enc.config.vocabSize, specialIds, lengths: batch.map((r) => r.length) });
        const mask = tf.tensor2d(batch.map((r) => r.ids.map((_, t) => (t < r.length ? 1 : 0))));
        const hidden = encode(tf, p, enc.config, tf.tensor2d(m.input, [batch.length, enc.config.maxLen], 'int32'), mask).hidden;
        const pred = tf.argMax(mlmLogits(tf, p, hidden, tf.tensor1d(m.positions, 'int32')), 1).dataSync();
        m.targets.forEach((y, k) => {
          right += pred[k] === y ? 1 : 0;
          unigramRight += top === y ? 1 : 0;
          n++;
        });
      }
    });
    const acc = right / n;
    const uni = unigramRight / n;
    assert.ok(n > 500, `${n} masked tokens`);
    assert.ok(acc > uni + 0.03, `masked-token accuracy ${acc.toFixed(3)} vs unigram ${uni.toFixed(3)} on ${n} held-out tokens`);
    // eslint-disable-next-line no-console
    console.log(`      held-out masked-token accuracy ${(100 * acc).toFixed(1)} % vs unigram ${(100 * uni).toFixed(1)} % (${n} tokens)`);
  });
});
