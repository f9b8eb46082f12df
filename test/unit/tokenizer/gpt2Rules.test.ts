import assert from 'node:assert/strict';
import { bytesToUnicode, bytesToVisible, isPrintableByte, unicodeToBytes, visibleToBytes } from '../../../sidecar/reference/tokenizer/byteUnicode';
import { GPT2_PATTERN_SOURCE, pretokenize } from '../../../sidecar/reference/tokenizer/pretokenize';
import { utf8Bytes } from '../../../sidecar/reference/tokenizer/utf8';

describe('tokenizer reference: bytes_to_unicode', () => {
  it('keeps 188 printable bytes and maps the other 68 to U+0100 + n in byte order', () => {
    const t = bytesToUnicode();
    assert.equal(t.length, 256);
    const kept = t.filter((ch, b) => ch.charCodeAt(0) === b);
    assert.equal(kept.length, 188);
    const moved = [...Array(256).keys()].filter((b) => !isPrintableByte(b));
    assert.equal(moved.length, 68);
    moved.forEach((b, n) => assert.equal(t[b].charCodeAt(0), 0x100 + n, `byte ${b}`));
    assert.equal(t[0x20], 'Ġ');
    assert.equal(t[0x0a], 'Ċ');
    assert.equal(t[0], '\u0100');
    assert.equal(t[0xad], 'Ń'); // the soft hyphen is the last moved byte
    assert.equal(new Set(t).size, 256);
    assert.equal(unicodeToBytes().get('Ġ'), 32);
  });

  it('writes token bytes the GPT-2 way and back', () => {
    assert.equal(bytesToVisible(utf8Bytes(' the')), 'Ġthe');
    assert.equal(bytesToVisible(utf8Bytes('é')), 'Ã©');
    assert.deepEqual(visibleToBytes('Ġthe'), utf8Bytes(' the'));
    assert.throws(() => visibleToBytes('a b'), /character 1 \(" "\) is not one of the 256 byte characters/);
  });
});

describe('tokenizer reference: GPT-2 pre-tokenization', () => {
  it('splits contractions (lower case only), letters, digits, symbols', () => {
    assert.deepEqual(pretokenize("I'm here, they'll see"), ['I', "'m", ' here', ',', ' they', "'ll", ' see']);
    assert.deepEqual(pretokenize("I'M"), ['I', "'", 'M']);
    assert.deepEqual(pretokenize('abc123 4,5'), ['abc', '123', ' 4', ',', '5']);
    assert.deepEqual(pretokenize('café naïve'), ['café', ' naïve']);
  });

  it('gives the last space of a run to the next word (\\s+(?!\\S))', () => {
    assert.deepEqual(pretokenize('hello   world'), ['hello', '  ', ' world']);
    assert.deepEqual(pretokenize('a \n b'), ['a', ' \n', ' b']);
    assert.deepEqual(pretokenize('end   '), ['end', '   ']);
    assert.deepEqual(pretokenize(''), []);
  });

  it('needs the u flag: without it \\p{L} is the letter p', () => {
    const noU = new RegExp(GPT2_PATTERN_SOURCE, 'g');
    // Without u, [^\s\p{L}\p{N}] means "not whitespace, p, {, L, }, N": letters and commas stick together.
    assert.deepEqual(pretokenize('hello, world', noU), ['hello,', ' world']);
    assert.deepEqual(pretokenize('hello, world'), ['hello', ',', ' world']);
  });

  it('covers every character of the text', () => {
    const s = "Don't   stop\t\n 12 345 — 中文 😀!! ";
    assert.equal(pretokenize(s).join(''), s);
  });
});
