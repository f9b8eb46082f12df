// GPT-2 from js-tiktoken's ranks must encode exactly as js-tiktoken does, on whole corpora.
import assert from 'node:assert/strict';
import { Tiktoken } from 'js-tiktoken/lite';
import { gpt2HuggingFaceFiles, gpt2Tokenizer, mergesFromRanks, parseRanks } from '../../../sidecar/reference/tokenizer/gpt2';
import { STRESS_TEXT } from '../../../sidecar/reference/tokenizer/stressText';
import { randomUnicodeText } from '../../../sidecar/reference/tokenizer/randomText';
import { mulberry32 } from '../../../sidecar/reference/random';
import { mobyDick, stateOfTheUnion } from './corpora';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ranksFile = require('js-tiktoken/ranks/gpt2');
let tiktoken: Tiktoken | undefined;
const jsTiktoken = () => (tiktoken ??= new Tiktoken(ranksFile));

function assertSameIds(text: string, what: string): void {
  const expected = jsTiktoken().encode(text);
  const got = gpt2Tokenizer().encode(text);
  const at = expected.findIndex((id, i) => got[i] !== id);
  assert.ok(at < 0 && got.length === expected.length, `${what}: first difference at token ${at < 0 ? Math.min(got.length, expected.length) : at} of ${expected.length}`);
}

describe('tokenizer reference: GPT-2 against js-tiktoken', function () {
  this.timeout(120_000);

  it('has 50,257 tokens, <|endoftext|> = 50256, and "Hello world" = [15496, 995]', () => {
    const g = gpt2Tokenizer();
    assert.equal(g.vocabSize, 50257);
    assert.equal(g.merges.length, 50000);
    assert.deepEqual(g.specialTokens, { '<|endoftext|>': 50256 });
    assert.deepEqual(g.encode('Hello world, transformers!'), [15496, 995, 11, 6121, 364, 0]);
  });

  it('recovers the same merges fast as by rank concatenation (tiktoken\'s rule) for all 50,000 tokens', () => {
    const tokens = parseRanks(ranksFile.bpe_ranks);
    assert.deepEqual(mergesFromRanks(tokens).merges, mergesFromRanks(tokens, true).merges);
  });

  it('gives exactly js-tiktoken\'s ids on all of Moby-Dick', () => {
    assertSameIds(mobyDick(), 'Moby-Dick');
  });

  it('gives exactly js-tiktoken\'s ids on every State of the Union address', () => {
    const all = stateOfTheUnion();
    assert.ok(all.length > 200);
    all.forEach((text, i) => assertSameIds(text, `address ${i}`));
  });

  it('gives exactly js-tiktoken\'s ids on the stress text and 500 random Unicode strings', () => {
    assertSameIds(STRESS_TEXT.replace(/<\|endoftext\|>/g, ''), 'stress text');
    const rand = mulberry32(13);
    for (let t = 0; t < 500; t++) assertSameIds(randomUnicodeText(rand, Math.floor(rand() * 60)), `random string ${t}`);
  });

  it('handles <|endoftext|> as js-tiktoken does: an error by default, 50256 when allowed', () => {
    const text = 'first<|endoftext|>second';
    assert.throws(() => jsTiktoken().encode(text));
    assert.throws(() => gpt2Tokenizer().encode(text), /not allowed/);
    assert.deepEqual(gpt2Tokenizer().encode(text, { allowedSpecial: 'all' }), jsTiktoken().encode(text, 'all'));
    assert.deepEqual(gpt2Tokenizer().encode(STRESS_TEXT, { allowedSpecial: 'all' }), jsTiktoken().encode(STRESS_TEXT, 'all'));
    assert.deepEqual(gpt2Tokenizer().encode(text, { disallowedSpecial: [] }), jsTiktoken().encode(text, [], []));
  });

  it('decodes as js-tiktoken does, invalid UTF-8 included', () => {
    const ids = jsTiktoken().encode(STRESS_TEXT, 'all');
    assert.equal(gpt2Tokenizer().decode(ids), jsTiktoken().decode(ids));
    for (let i = 0; i < ids.length; i++) assert.equal(gpt2Tokenizer().decode(ids.slice(i, i + 1)), jsTiktoken().decode(ids.slice(i, i + 1)));
  });

  it('rebuilds vocab.json and merges.txt the way Hugging Face ships GPT-2', () => {
    const files = gpt2HuggingFaceFiles();
    assert.equal(files.merges.length, 50000);
    assert.equal(files.merges[0], 'Ġ t');
    assert.equal(files.vocab['Ġthe'], 262);
    assert.equal(files.vocab['!'], 0);
    assert.equal(files.vocab['<|endoftext|>'], 50256);
    assert.equal(Object.keys(files.vocab).length, 50257);
  });
});
