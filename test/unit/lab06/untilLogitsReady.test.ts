// The reference model's logits where no synchronous read exists (webgpu in Node): a decoding run
// that asks for logits not computed yet is stopped, the logits are read with `await`, and the
// run starts over. Here on wasm, with a tf whose backend answers "webgpu", so the same code path
// runs as in the sidecar on Dawn; the webgpu suite runs it on the real backend.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { Tf } from '../../../core/checks/checkApi';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { beamSearchRef, generateRef } from '../../../sidecar/reference/decoding/decodingRef';
import { cachedNextLogits, LogitsNotReady, RunNotRepeatable, randomTrainedModel, readsSynchronously, untilLogitsReady, type TrainedModel } from '../../../sidecar/reference/decoding/trainedModel';
import { nextLogitsTensorRef } from '../../../sidecar/reference/miniGpt/forward';
import { mulberry32 } from '../../../sidecar/reference/random';

/** The real tf, except that it says it runs on webgpu (which has no dataSync in Node). */
const asWebgpu = Object.create(tf, { getBackend: { value: () => 'webgpu' } }) as Tf;

function tinyModel(seed: number): TrainedModel {
  const vocab = Array.from('abcdefgh');
  return randomTrainedModel({ vocabSize: vocab.length, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 }, vocab, mulberry32(seed));
}

function counting(t: Tf, model: TrainedModel, opts: { cache?: 'shared' | 'own' } = {}) {
  let forwards = 0;
  const next = cachedNextLogits(
    t,
    model,
    (w, tokens) => {
      forwards++;
      return nextLogitsTensorRef(t, w, model.config, tokens);
    },
    opts,
  );
  return { next, forwards: () => forwards };
}

describe('lab 6 reference logits without synchronous reads (untilLogitsReady)', function () {
  this.timeout(60_000);
  before(() => loadBackend('wasm'));

  it('knows which backend reads synchronously', () => {
    assert.equal(readsSynchronously(tf as unknown as Tf), true);
    assert.equal(readsSynchronously(asWebgpu), false);
  });

  it('a miss throws LogitsNotReady and names the context; a sync backend computes it at once', async () => {
    const model = tinyModel(1);
    const sync = counting(tf as unknown as Tf, model, { cache: 'own' });
    const logits = sync.next([1, 2, 3]);
    assert.equal(logits.length, 8);
    assert.equal(sync.next.missing, undefined);
    const later = counting(asWebgpu, model, { cache: 'own' });
    assert.throws(() => later.next([1, 2, 3]), LogitsNotReady);
    assert.deepEqual(later.next.missing, [1, 2, 3]);
    await later.next.fillMissing();
    assert.equal(later.next.missing, undefined);
    assert.deepEqual(later.next([1, 2, 3]), logits);
    assert.equal(later.forwards(), 1);
  });

  it('greedy generation and beam search give the synchronous results, one forward pass per context', async () => {
    const model = tinyModel(2);
    const prompt = [0, 3, 5];
    const sync = counting(tf as unknown as Tf, model, { cache: 'own' });
    const greedy = generateRef(sync.next, prompt, 6, { kind: 'greedy' });
    const beam = beamSearchRef(sync.next, prompt, { width: 3, maxLength: 4 });

    const later = counting(asWebgpu, model, { cache: 'own' });
    let runs = 0;
    const got = await untilLogitsReady(later.next, () => {
      runs++;
      return generateRef(later.next, prompt, 6, { kind: 'greedy' });
    });
    assert.deepEqual(got, greedy);
    assert.equal(later.forwards(), 6, 'one forward pass per step');
    assert.equal(runs, 7, 'six misses, then one run that has them all');
    const gotBeam = await untilLogitsReady(later.next, () => beamSearchRef(later.next, prompt, { width: 3, maxLength: 4 }));
    assert.deepEqual(gotBeam, beam);
    // Beam search asks for contexts greedy never reached; the greedy ones come from the cache.
    assert.equal(later.forwards(), sync.forwards());
  });

  it('a run that catches the miss itself is still repeated; another error ends it at once', async () => {
    const model = tinyModel(3);
    const later = counting(asWebgpu, model, { cache: 'own' });
    const swallow = () => {
      try {
        return later.next([4]);
      } catch {
        return [];
      }
    };
    const got = await untilLogitsReady(later.next, swallow);
    assert.equal(got.length, 8);
    let calls = 0;
    await assert.rejects(
      untilLogitsReady(later.next, () => {
        calls++;
        throw new TypeError('the learner code broke');
      }),
      /the learner code broke/,
    );
    assert.equal(calls, 1);
  });

  it('an own cache does not reach the shared one (logits with the learner\'s attention are not the model\'s)', async () => {
    const model = tinyModel(4);
    const own = counting(asWebgpu, model, { cache: 'own' });
    await untilLogitsReady(own.next, () => own.next([2, 2]));
    const shared = counting(asWebgpu, model);
    assert.throws(() => shared.next([2, 2]), LogitsNotReady);
    await shared.next.fillMissing();
    const again = counting(asWebgpu, model);
    assert.equal(again.next([2, 2]).length, 8, 'the shared cache serves another function of the same model');
    assert.equal(again.forwards(), 0);
  });

  it('sampling from Math.random instead of the given rng is stopped with a sentence, not repeated until the time limit', async () => {
    const model = tinyModel(5);
    const prompt = [1, 2];
    const later = counting(asWebgpu, model, { cache: 'own' });
    let runs = 0;
    let draws = 0;
    // Math.random's stand-in: a generator that is not restarted with the run (a seeded one, so the test is repeatable).
    const unseeded = mulberry32(99);
    const sample = { kind: 'sample' as const, temperature: 5, rng: () => (draws++, unseeded()) };
    await assert.rejects(
      untilLogitsReady(later.next, () => {
        runs++;
        return generateRef(later.next, prompt, 30, sample);
      }),
      (e: Error) => e instanceof RunNotRepeatable && /draw random numbers only from the rng you are given \(strategy\.rng\), not Math\.random/.test(e.message),
    );
    assert.ok(runs < 30, `stopped after ${runs} runs (${draws} draws)`);

    // The same sampling with the rng restarted for each run converges to the synchronous result.
    const sync = counting(tf as unknown as Tf, model, { cache: 'own' });
    const seeded = () => ({ kind: 'sample' as const, temperature: 5, rng: mulberry32(7) });
    const want = generateRef(sync.next, prompt, 30, seeded());
    const fresh = counting(asWebgpu, model, { cache: 'own' });
    assert.deepEqual(await untilLogitsReady(fresh.next, () => generateRef(fresh.next, prompt, 30, seeded())), want);
  });

  it("a learner's own memo of the logits (kept across runs) is no reason to stop", async () => {
    const model = tinyModel(6);
    const prompt = [3];
    const sync = counting(tf as unknown as Tf, model, { cache: 'own' });
    const want = generateRef(sync.next, prompt, 5, { kind: 'greedy' });
    const later = counting(asWebgpu, model, { cache: 'own' });
    const memo = new Map<string, number[]>();
    const memoised = (tokens: number[]) => {
      const key = tokens.join(',');
      if (!memo.has(key)) memo.set(key, later.next(tokens));
      return memo.get(key)!;
    };
    assert.deepEqual(await untilLogitsReady(later.next, () => generateRef(memoised, prompt, 5, { kind: 'greedy' })), want);
  });
});
