// The trained model on the wasm backend: the KV cache reproduces the full forward pass at every
// step (including past the 64-character window), cached and uncached generation agree, beam
// width 1 is greedy, the learner's attention can be plugged in, and the model scores held-out
// text as its model card says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import { beamSearch } from '../../../sidecar/reference/miniGpt/beam';
import { generateCached, generateUncached } from '../../../sidecar/reference/miniGpt/generate';
import { contextLength, KvCacheSession } from '../../../sidecar/reference/miniGpt/kvCache';
import { findModelDir, loadMiniGpt } from '../../../sidecar/reference/miniGpt/loader';
import { MiniGpt } from '../../../sidecar/reference/miniGpt/model';
import { mulberry32 } from '../../../sidecar/reference/random';
import { attentionRef } from '../../../sidecar/reference/tensorAttention';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { loadCorpus } from '../../../scripts/train/corpus';
import { repoRoot } from '../../support/repoRoot';

/** Largest |a − b| and where. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; at: number } {
  assert.equal(a.length, b.length);
  let diff = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= diff)) {
      diff = d;
      at = i;
    }
  }
  return { diff, at };
}

/** Last row of model.forward(window). */
function fullLogits(model: MiniGpt, window: number[]): Float32Array {
  const { logits } = model.forward(window);
  const row = tf.tidy(() => tf.slice(logits, [window.length - 1, 0], [1, model.config.vocabSize]).dataSync() as Float32Array);
  logits.dispose();
  return row;
}

describe('mini-gpt model (wasm)', function () {
  this.timeout(240_000);
  let model: MiniGpt;
  let valText: string;

  before(async () => {
    await loadBackend('wasm');
    model = new MiniGpt(tf, loadMiniGpt(findModelDir(__dirname)));
    const { text } = loadCorpus();
    const meta = JSON.parse(readFileSync(join(findModelDir(__dirname), 'model.json'), 'utf8'));
    valText = text.slice(meta.corpus.trainEnd);
  });
  after(() => model?.dispose());

  it('contextLength follows the window policy', () => {
    // keep 32: 1..64 as fed, then 33..64 repeating; keep 63: nanoGPT's crop (always 64).
    assert.deepEqual([1, 64, 65, 96, 97, 128, 129].map((n) => contextLength(n, 64, 32)), [1, 64, 33, 64, 33, 64, 33]);
    assert.deepEqual([64, 65, 66, 300].map((n) => contextLength(n, 64, 63)), [64, 64, 64, 64]);
  });

  for (const keep of [32, 63]) {
    it(`KV-cached logits equal the full forward pass at every step (keep ${keep}, through window rebuilds)`, () => {
      const ids = model.tokenizer.encode(valText.slice(1000, 1000 + (keep === 32 ? 140 : 80)));
      const s = new KvCacheSession(model, { keep });
      try {
        for (let n = 1; n <= ids.length; n++) {
          const cached = s.step(ids[n - 1]);
          const window = ids.slice(n - contextLength(n, 64, keep), n);
          const { diff, at } = maxDiff(cached, fullLogits(model, window));
          assert.ok(diff <= 1e-4, `after ${n} tokens (window ${window.length}): |cached − full| = ${diff} at vocab index ${at}`);
        }
        assert.ok(s.rebuilds > 0, 'the test should pass the 64-token window');
      } finally {
        s.dispose();
      }
    });
  }

  it('a prompt fed at once equals the same prompt fed one token at a time', () => {
    const ids = model.tokenizer.encode(valText.slice(5000, 5100)); // longer than the window
    const a = new KvCacheSession(model);
    const b = new KvCacheSession(model);
    const la = a.feed(ids);
    let lb: ArrayLike<number> = [];
    for (const id of ids) lb = b.step(id);
    assert.ok(maxDiff(la, lb).diff <= 1e-4);
    const c = a.clone();
    assert.deepEqual(Array.from(c.step(ids[0])), Array.from(b.step(ids[0])), 'a clone continues like the original');
    for (const x of [a, b, c]) x.dispose();
  });

  it('greedy generation with and without the cache gives the same 150 characters', () => {
    const prompt = model.tokenizer.encode('Call me Ishmael. ');
    const withCache = generateCached(model, prompt, 150);
    const without = generateUncached(model, prompt, 150);
    assert.equal(model.tokenizer.decode(withCache), model.tokenizer.decode(without));
  });

  it('sampling at temperature 0.8 with the same seed agrees too', () => {
    const prompt = model.tokenizer.encode('The whale');
    const a = generateCached(model, prompt, 80, { temperature: 0.8, rand: mulberry32(3) });
    const b = generateUncached(model, prompt, 80, { temperature: 0.8, rand: mulberry32(3) });
    assert.equal(model.tokenizer.decode(a), model.tokenizer.decode(b));
  });

  it('beam search of width 1 is greedy decoding; wider beams score at least as well', () => {
    const prompt = model.tokenizer.encode('It was the ');
    const greedy = generateCached(model, prompt, 40);
    const [one] = beamSearch(model, prompt, { width: 1, length: 40 });
    assert.equal(model.tokenizer.decode(one.tokens), model.tokenizer.decode(greedy));
    const four = beamSearch(model, prompt, { width: 4, length: 40 });
    assert.equal(four.length, 4);
    assert.ok(four[0].logProb >= one.logProb - 1e-9, `width 4 best ${four[0].logProb} < greedy ${one.logProb}`);
    assert.ok(four.every((b, i) => i === 0 || b.score <= four[i - 1].score), 'beams are sorted best first');
  });

  it('validation loss on held-out text is close to the model card and beats the bigram baseline', () => {
    const meta = JSON.parse(readFileSync(join(findModelDir(__dirname), 'model.json'), 'utf8'));
    const card = meta.training.finalValLoss as number;
    const bigram = meta.training.bigramValLoss as number;
    assert.ok(typeof card === 'number' && typeof bigram === 'number', 'model.json records finalValLoss and bigramValLoss');
    // 40 windows of 65 characters spread evenly over the validation text (64 predictions each).
    const windows = 40;
    const stride = Math.floor((valText.length - 65) / windows);
    let sum = 0;
    for (let w = 0; w < windows; w++) sum += model.loss(model.tokenizer.encode(valText.slice(w * stride, w * stride + 65)));
    const loss = sum / windows;
    assert.ok(Math.abs(loss - card) < 0.15, `measured ${loss.toFixed(4)} nats/char on 2,560 validation characters, model card says ${card}`);
    assert.ok(loss < bigram - 0.2, `measured ${loss.toFixed(4)} should clearly beat the bigram baseline ${bigram}`);
  });

  it('attentionRef plugged in explicitly equals the default; attention weights are causal rows summing to 1', () => {
    const ids = model.tokenizer.encode('Call me Ishmael.');
    const a = model.forward(ids, { collectAttention: true });
    const b = model.forward(ids, { attention: (q, k, v, m) => attentionRef(tf, q, k, v, m) });
    assert.deepEqual(Array.from(a.logits.dataSync()), Array.from(b.logits.dataSync()));
    const att = a.attention!;
    const { nLayer, nHead } = model.config;
    assert.deepEqual([att.length, att[0].length, att[0][0].length, att[0][0][0].length], [nLayer, nHead, ids.length, ids.length]);
    for (const layer of att)
      for (const h of layer)
        h.forEach((row, i) => {
          assert.ok(Math.abs(row.reduce((s, x) => s + x, 0) - 1) < 1e-5, `row ${i} sums to 1`);
          assert.ok(row.slice(i + 1).every((x) => x === 0), `row ${i} attends to no later position`);
        });
    a.logits.dispose();
    b.logits.dispose();
  });

  it("Lab 1's reference solution, run in the learner sandbox, drives the trained model to the same logits", () => {
    const root = repoRoot();
    const text = readFileSync(join(root, 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8');
    const { files } = transpile([{ path: 'attention.ts', text }]);
    const sol = new Sandbox(files, { tf, helpers, log: () => undefined }).exportsOf('attention.ts') as Record<string, any>;
    const ids = model.tokenizer.encode('There she blows!');
    const mine = model.forward(ids, { attention: sol.attention });
    const ref = model.forward(ids);
    const { diff } = maxDiff(mine.logits.dataSync(), ref.logits.dataSync());
    assert.ok(diff <= 1e-4, `max |learner − reference| logit = ${diff}`);
    // A wrong attention (no 1/√d scaling) visibly changes the model's predictions.
    const unscaled = model.forward(ids, {
      attention: (q, k, v, m) => {
        const w = tf.mul(tf.softmax(tf.add(tf.matMul(q, k, false, true), tf.mul(tf.sub(1, m!), -1e9))), m!);
        return { output: tf.matMul(w, v), weights: w };
      },
    });
    assert.ok(maxDiff(unscaled.logits.dataSync(), ref.logits.dataSync()).diff > 0.1);
    for (const r of [mine, ref, unscaled]) r.logits.dispose();
  });

  it('rejects a wrongly shaped attention output, naming the shapes', () => {
    const ids = model.tokenizer.encode('abc');
    assert.throws(
      () => model.forward(ids, { attention: (q) => ({ output: tf.transpose(q, [1, 0, 2]), weights: q }) }),
      /attention output \(layer 0\) has shape \[3, 4, 32\], expected \[4, 3, 32\]/,
    );
  });
});
