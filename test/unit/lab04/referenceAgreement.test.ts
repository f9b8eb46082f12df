// The lab's solution and the course's reference library agree on random inputs, and the
// solution's encodeText with GPT-2's merges gives exactly js-tiktoken's ids on the full corpora.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { CheckContext, Tf } from '../../../core/checks/checkApi';
import { createCheckContext } from '../../../sidecar/runner/checkContext';
import { gpt2ForLearner, gpt2FilesForLearner, asLearnerTokenizer } from '../../../sidecar/reference/tokenizer/labFixtures';
import { jsTiktokenGpt2 } from '../../../sidecar/reference/tokenizer/jsTiktoken';
import { gpt2Tokenizer } from '../../../sidecar/reference/tokenizer/gpt2';
import { bytesToUnicode } from '../../../sidecar/reference/tokenizer/byteUnicode';
import { pretokenize } from '../../../sidecar/reference/tokenizer/pretokenize';
import { randomAlmostUtf8, randomUnicodeText } from '../../../sidecar/reference/tokenizer/randomText';
import { BpeTokenizer } from '../../../sidecar/reference/tokenizer/tokenizer';
import { trainBpe } from '../../../sidecar/reference/tokenizer/trainer';
import { countWords } from '../../../sidecar/reference/tokenizer/wordCounts';
import { mulberry32 } from '../../../sidecar/reference/random';
import { mobyDick, stateOfTheUnion } from '../tokenizer/corpora';
import { sandboxOf, setUp } from './support';

describe('Lab 4 solution against the reference library', function () {
  this.timeout(300_000);
  let ctx: CheckContext;
  // Results come from the sandbox's realm: compare them as plain data.
  const isMap = (x: unknown): x is Map<unknown, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as Map<unknown, unknown>).get === 'function';
  const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(isMap(x) ? [...x.entries()] : x));
  const fn = (file: string, name: string) => {
    const f = ctx.fn<(...a: unknown[]) => unknown>(file, name);
    return (...a: unknown[]): any => plain(f(...a));
  };
  before(async () => {
    await setUp();
    ctx = createCheckContext(tf as unknown as Tf, sandboxOf({}));
  });

  it('Level 1 on 40 random texts: train, encode, decode', () => {
    const rand = mulberry32(41);
    for (let t = 0; t < 40; t++) {
      const text = randomUnicodeText(rand, 20 + Math.floor(rand() * 120));
      const vocab = 256 + Math.floor(rand() * 40);
      const ref = trainBpe(text, { vocabSize: vocab, pattern: /[^]+/gu });
      const merges = fn('bpe.ts', 'train')(text, vocab);
      assert.deepEqual(merges, ref.merges.map((m) => [m[0], m[1]]), `train, text ${t}`);
      const probe = randomUnicodeText(rand, 30);
      const ids = fn('bpe.ts', 'encode')(probe, merges);
      assert.deepEqual(ids, new BpeTokenizer({ merges: ref.merges, pattern: /[^]+/gu }).encode(probe), `encode, text ${t}`);
      const bytes = randomAlmostUtf8(rand, 12);
      assert.equal(fn('bpe.ts', 'decode')(bytes, []), new TextDecoder().decode(Uint8Array.from(bytes)));
    }
  });

  it('Level 2: the byte table, the pieces and loadGpt2 are the reference\'s', () => {
    assert.deepEqual(fn('gpt2.ts', 'bytesToUnicode')(), [...bytesToUnicode()]);
    const rand = mulberry32(42);
    for (let t = 0; t < 100; t++) {
      const s = randomUnicodeText(rand, 60) + " it's  A'S ";
      assert.deepEqual(fn('gpt2.ts', 'pretokenize')(s), pretokenize(s));
    }
    const files = gpt2FilesForLearner();
    const tok = fn('gpt2.ts', 'loadGpt2')(files.vocab, files.merges, files.specialTokens);
    assert.deepEqual(tok, plain(asLearnerTokenizer(gpt2Tokenizer())));
  });

  it('Level 3 on slices of Moby-Dick and the State of the Union: countWords and trainFast', () => {
    const texts = [mobyDick().slice(400_000, 450_000), stateOfTheUnion()[100].slice(0, 40_000)];
    for (const text of texts) {
      const words = fn('trainer.ts', 'countWords')(text, ['<|endoftext|>']);
      assert.deepEqual((words as [string, number][]).sort(), [...countWords(text, 'gpt2', ['<|endoftext|>'])].sort());
      const ref = trainBpe(text, { vocabSize: 256 + 800 + 1, specialTokens: ['<|endoftext|>'] });
      const got = fn('trainer.ts', 'trainFast')(text, 256 + 800 + 1, ['<|endoftext|>']);
      assert.deepEqual(got, plain(asLearnerTokenizer(ref)));
    }
  });

  it('encodeText with GPT-2 gives exactly js-tiktoken\'s ids on all of Moby-Dick and every State of the Union address', () => {
    const encodeText = fn('gpt2.ts', 'encodeText');
    const g = gpt2ForLearner();
    const same = (text: string, what: string) => {
      const exp = jsTiktokenGpt2().encode(text);
      const got = encodeText(text, g, []) as number[];
      const at = exp.findIndex((id, i) => got[i] !== id);
      assert.ok(at < 0 && got.length === exp.length, `${what}: first difference at token ${at}`);
    };
    same(mobyDick(), 'Moby-Dick');
    stateOfTheUnion().forEach((a, i) => same(a, `address ${i}`));
  });
});
