import assert from 'node:assert/strict';
import { trainBpe } from '../../../sidecar/reference/tokenizer/trainer';
import { countWords } from '../../../sidecar/reference/tokenizer/wordCounts';
import { randomUnicodeText } from '../../../sidecar/reference/tokenizer/randomText';
import { mulberry32 } from '../../../sidecar/reference/random';
import { mobyDick } from './corpora';

const RAW = /[^]+/gu; // the whole text is one word: plain BPE on bytes

/**
 * minbpe-style training written independently: recount every pair of every word after every
 * merge; ties by the smaller pair. Slow, obviously right, used as the oracle.
 */
function naiveTrain(words: Map<string, number>, merges: number): [number, number][] {
  let seqs = [...words].map(([w, c]) => ({ ids: [...new TextEncoder().encode(w)], c }));
  const out: [number, number][] = [];
  for (let m = 0; m < merges; m++) {
    const counts = new Map<string, number>();
    for (const { ids, c } of seqs) for (let i = 0; i + 1 < ids.length; i++) counts.set(`${ids[i]},${ids[i + 1]}`, (counts.get(`${ids[i]},${ids[i + 1]}`) ?? 0) + c);
    if (counts.size === 0) break;
    const best = [...counts]
      .map(([k, c]) => ({ pair: k.split(',').map(Number) as [number, number], c }))
      .sort((a, b) => b.c - a.c || a.pair[0] - b.pair[0] || a.pair[1] - b.pair[1])[0].pair;
    out.push(best);
    const id = 256 + m;
    seqs = seqs.map(({ ids, c }) => {
      const next: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === best[0] && ids[i + 1] === best[1] && i + 1 < ids.length) {
          next.push(id);
          i++;
        } else next.push(ids[i]);
      }
      return { ids: next, c };
    });
  }
  return out;
}

describe('tokenizer reference: trainer', () => {
  it('aaabdaaabac with 3 merges gives [258, 100, 258, 97, 99]', () => {
    const tok = trainBpe('aaabdaaabac', { vocabSize: 259, pattern: RAW });
    assert.deepEqual(tok.merges, [
      [97, 97],
      [97, 98],
      [256, 257],
    ]);
    assert.deepEqual(tok.encode('aaabdaaabac'), [258, 100, 258, 97, 99]);
  });

  it('breaks ties by the smaller pair, not by where the pair first appears', () => {
    // "zy" appears first, "ab" has the same count and the smaller ids: ab wins.
    const tok = trainBpe('zyab zyab', { vocabSize: 257, pattern: RAW });
    assert.deepEqual(tok.merges, [[97, 98]]);
    // The higher count still wins over the smaller pair.
    assert.deepEqual(trainBpe('zyzyzy ab', { vocabSize: 257, pattern: RAW }).merges, [[122, 121]]);
  });

  it('counts overlapping pairs in a run ("aaa" has the pair aa twice) and merges left to right', () => {
    const tok = trainBpe('aaa', { vocabSize: 258, pattern: RAW });
    assert.deepEqual(tok.merges, [
      [97, 97],
      [256, 97],
    ]);
    assert.deepEqual(trainBpe('aaaa', { vocabSize: 258, pattern: RAW }).encode('aaaa'), [257]);
  });

  it('equals a full-recount trainer on random texts and on words of Moby-Dick', () => {
    const rand = mulberry32(10);
    for (let t = 0; t < 25; t++) {
      const text = randomUnicodeText(rand, 40 + Math.floor(rand() * 200)).replace(/[\uD800-\uDFFF]/g, '') + ' the cat the hat that';
      const words = countWords(text, 'gpt2');
      const n = 5 + Math.floor(rand() * 60);
      assert.deepEqual(trainBpe(text, { vocabSize: 256 + n }).merges, naiveTrain(words, n), `text ${t}`);
    }
    const slice = mobyDick().slice(0, 30_000);
    assert.deepEqual(trainBpe(slice, { vocabSize: 256 + 300 }).merges, naiveTrain(countWords(slice, 'gpt2'), 300));
    assert.deepEqual(trainBpe(slice.slice(0, 3000), { vocabSize: 256 + 80, pattern: RAW }).merges, naiveTrain(new Map([[slice.slice(0, 3000), 1]]), 80));
  });

  it('is deterministic', () => {
    const text = mobyDick().slice(50_000, 90_000);
    const a = trainBpe(text, { vocabSize: 700 });
    const b = trainBpe(text, { vocabSize: 700 });
    assert.deepEqual(a.toJSON(), b.toJSON());
  });

  it('never merges across pieces or into special tokens; special ids follow the merges', () => {
    const text = 'hello<|endoftext|>hello [CLS] x [SEP]<|endoftext|>';
    const tok = trainBpe(text.repeat(5), { vocabSize: 256 + 20 + 3, specialTokens: ['<|endoftext|>', '[CLS]', '[SEP]'] });
    const words = countWords(text, 'gpt2', ['<|endoftext|>', '[CLS]', '[SEP]']);
    assert.deepEqual([...words.keys()], ['hello', ' ', ' x']);
    const m = tok.merges.length;
    assert.deepEqual(tok.specialTokens, { '<|endoftext|>': 256 + m, '[CLS]': 257 + m, '[SEP]': 258 + m });
    for (let id = 256; id < 256 + m; id++) {
      const s = new TextDecoder().decode(tok.tokenBytes(id));
      assert.ok(!/[<|>[\]]/.test(s), `token ${id} ${JSON.stringify(s)} holds part of a special token`);
    }
    assert.deepEqual(tok.encode('[CLS] hello<|endoftext|>', { allowedSpecial: 'all' }).slice(-1), [256 + m]);
    assert.equal(tok.encode('[CLS] hello', { allowedSpecial: 'all' })[0], 257 + m);
  });

  it('stops when nothing is left to merge and reports progress', () => {
    const seen: number[] = [];
    const tok = trainBpe('ab ab', { vocabSize: 1000, onProgress: (n) => seen.push(n) });
    assert.deepEqual(tok.merges, [
      [97, 98],
      [32, 256],
    ]);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(tok.vocabSize, 258);
    assert.deepEqual(trainBpe('', { vocabSize: 300 }).merges, []);
  });

  it('rejects a vocabulary too small for the bytes and special tokens, and bad special tokens', () => {
    assert.throws(() => trainBpe('x', { vocabSize: 255 }), /vocabSize must be an integer from 256 \(256 bytes\)/);
    assert.throws(() => trainBpe('x', { vocabSize: 257, specialTokens: ['[A]', '[B]'] }), /from 258 \(256 bytes \+ 2 special tokens\)/);
    assert.throws(() => trainBpe('x', { vocabSize: 300.5 }), /vocabSize/);
    assert.throws(() => trainBpe('x', { vocabSize: 300, specialTokens: ['[A]', '[A]'] }), /specialTokens\[1\] "\[A\]" appears twice/);
    assert.throws(() => trainBpe('x', { vocabSize: 300, specialTokens: [''] }), /specialTokens\[0\] must be a non-empty string/);
  });
});
