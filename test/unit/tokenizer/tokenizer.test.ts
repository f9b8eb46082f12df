import assert from 'node:assert/strict';
import { BpeTokenizer } from '../../../sidecar/reference/tokenizer/tokenizer';
import { trainBpe } from '../../../sidecar/reference/tokenizer/trainer';
import { randomUnicodeText } from '../../../sidecar/reference/tokenizer/randomText';
import { STRESS_TEXT } from '../../../sidecar/reference/tokenizer/stressText';
import { mulberry32 } from '../../../sidecar/reference/random';
import { mobyDick } from './corpora';

let trained: BpeTokenizer | undefined;
function tokenizer(): BpeTokenizer {
  return (trained ??= trainBpe(mobyDick().slice(0, 200_000), { vocabSize: 256 + 600 + 2, specialTokens: ['<|endoftext|>', '[MASK]'] }));
}

describe('tokenizer reference: BpeTokenizer', () => {
  it('round-trips "", "?", Korean with emoji, a 185 KB text and the stress text', () => {
    const tok = tokenizer();
    for (const s of ['', '?', '안녕하세요 👋 (hello in Korean!)', mobyDick().slice(300_000, 300_000 + 185_000), STRESS_TEXT.replace(/[\uD800-\uDFFF]/gu, '')]) {
      assert.equal(tok.decode(tok.encode(s, { allowedSpecial: 'all' })), s, s.slice(0, 40));
    }
    assert.deepEqual(tok.encode(''), []);
  });

  it('round-trips 300 seeded random Unicode strings (combining marks, astral characters, whitespace)', () => {
    const tok = tokenizer();
    const rand = mulberry32(12);
    for (let t = 0; t < 300; t++) {
      const s = randomUnicodeText(rand, Math.floor(rand() * 30));
      assert.equal(tok.decode(tok.encode(s)), s, JSON.stringify(s));
    }
  });

  it('encodes a lone surrogate as U+FFFD, as TextEncoder does', () => {
    const tok = tokenizer();
    assert.equal(tok.decode(tok.encode('a\ud800b')), 'a\ufffdb');
  });

  it('decodes a token sequence that cuts a character to U+FFFD instead of throwing', () => {
    const tok = tokenizer();
    assert.equal(tok.decode([0xe4, 0xb8]), '\ufffd');
    assert.equal(tok.decode([0xe4, 0xb8, 0xad]), '中');
    assert.throws(() => tok.decode([70000]), /decode: ids\[0\]: token id 70000 is not in this vocabulary/);
  });

  it('tokenBytes gives every token its bytes; a merge is the concatenation of its pair', () => {
    const tok = tokenizer();
    tok.merges.forEach(([l, r], i) => assert.deepEqual([...tok.tokenBytes(256 + i)], [...tok.tokenBytes(l), ...tok.tokenBytes(r)]));
    assert.deepEqual([...tok.tokenBytes(tok.specialTokens['[MASK]'])], [...new TextEncoder().encode('[MASK]')]);
    assert.equal(tok.vocabSize, 256 + tok.merges.length + 2);
  });

  it('special tokens: an error unless allowed, then one id; never split; encodeOrdinary treats them as text', () => {
    const tok = tokenizer();
    const eot = tok.specialTokens['<|endoftext|>'];
    assert.throws(() => tok.encode('the end<|endoftext|>'), /special token "<\|endoftext\|>" at index 7, which is not allowed/);
    assert.throws(() => tok.encode('a [MASK]', { allowedSpecial: ['<|endoftext|>'] }), /"\[MASK\]"/);
    const ids = tok.encode('the end<|endoftext|>next', { allowedSpecial: ['<|endoftext|>'] });
    assert.equal(ids.filter((id) => id === eot).length, 1);
    assert.equal(tok.decode(ids), 'the end<|endoftext|>next');
    const plain = tok.encodeOrdinary('<|endoftext|>');
    assert.ok(plain.length > 1 && !plain.includes(eot));
    assert.deepEqual(tok.encode('x<|endoftext|>', { disallowedSpecial: [] }), tok.encodeOrdinary('x<|endoftext|>'));
    assert.throws(() => tok.encode('x', { allowedSpecial: ['<|nope|>'] }), /"<\|nope\|>", which is not one of this tokenizer's special tokens/);
  });

  it('toJSON → fromJSON gives the same tokenizer, from the object and from its text', () => {
    const tok = tokenizer();
    const again = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    const fromText = BpeTokenizer.fromJSON(JSON.stringify(tok));
    const s = mobyDick().slice(500_000, 510_000);
    assert.deepEqual(again.encode(s), tok.encode(s));
    assert.deepEqual(fromText.toJSON(), tok.toJSON());
    const custom = trainBpe('ab ab', { vocabSize: 258, pattern: /\S+|\s+/u });
    assert.deepEqual(BpeTokenizer.fromJSON(JSON.stringify(custom)).pattern.source, '\\S+|\\s+');
  });

  it('fromJSON names what is wrong with a malformed file', () => {
    const good = tokenizer().toJSON();
    const bad = (patch: object) => JSON.stringify({ ...good, ...patch });
    assert.throws(() => BpeTokenizer.fromJSON('{"type": '), /tokenizer JSON: not valid JSON/);
    assert.throws(() => BpeTokenizer.fromJSON('[1]'), /expected an object, got an array/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ type: 'wordpiece' })), /"type" must be "byte-level-bpe", got "wordpiece"/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ version: 2 })), /"version" must be 1, got 2/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ merges: undefined })), /"merges" is missing/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ merges: [[97, 98], [300, 97]] })), /tokenizer JSON: merges\[1\] is \[300,97\], but only ids 0…256 exist before merge 1/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ merges: [[97]] })), /merges\[0\] must be a pair/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ byteIds: [1, 2, 3] })), /byteIds must list 256 ids/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ byteIds: Array(256).fill(0) })), /byteIds\[1\] and byteIds\[0\] are both 0/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ specialTokens: { '[X]': 5 } })), /special token "\[X\]" has id 5; special ids must be integers from 856/);
    assert.throws(() => BpeTokenizer.fromJSON(bad({ pattern: { source: '(', flags: 'u' } })), /"pattern" is not a valid regular expression/);
  });
});
