import assert from 'node:assert/strict';
import { utf8Bytes, utf8Decode, utf8Encode } from '../../../sidecar/reference/tokenizer/utf8';
import { randomAlmostUtf8, randomUnicodeText } from '../../../sidecar/reference/tokenizer/randomText';
import { mulberry32 } from '../../../sidecar/reference/random';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

describe('tokenizer reference: UTF-8', () => {
  it('encodes 1-, 2-, 3- and 4-byte characters as TextEncoder does', () => {
    assert.deepEqual(utf8Bytes('A'), [0x41]);
    assert.deepEqual(utf8Bytes('é'), [0xc3, 0xa9]);
    assert.deepEqual(utf8Bytes('中'), [0xe4, 0xb8, 0xad]);
    assert.deepEqual(utf8Bytes('😀'), [0xf0, 0x9f, 0x98, 0x80]);
    assert.deepEqual(utf8Bytes(''), []);
  });

  it('writes a lone surrogate as U+FFFD (EF BF BD), as TextEncoder does', () => {
    for (const s of ['\ud800', 'a\udc00b', '\ud83d', '\udfff\ud800']) {
      assert.deepEqual(utf8Bytes(s), [...encoder.encode(s)], JSON.stringify(s));
    }
  });

  it('agrees with TextEncoder on 300 random strings, lone surrogates mixed in', () => {
    const rand = mulberry32(4);
    for (let t = 0; t < 300; t++) {
      let s = randomUnicodeText(rand, 1 + Math.floor(rand() * 40));
      if (t % 3 === 0) s = s.slice(0, Math.floor(rand() * s.length)) + String.fromCharCode(0xd800 + Math.floor(rand() * 0x800)) + s;
      assert.deepEqual([...utf8Encode(s)], [...encoder.encode(s)], JSON.stringify(s));
    }
  });

  it('decodes invalid UTF-8 to U+FFFD exactly as TextDecoder does (maximal subparts)', () => {
    const cases: number[][] = [
      [0xe4], // a 3-byte character cut after its first byte
      [0xe4, 0xb8], // … after two
      [0xe4, 0xb8, 0x41], // cut, then ASCII: one U+FFFD, then "A"
      [0x80], // a stray continuation byte
      [0xc0, 0xaf], // overlong "/" (C0 never starts a character)
      [0xe0, 0x80, 0xaf], // overlong 3-byte form
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xf5, 0x80], // F5 never starts a character
      [0xf0, 0x9f, 0x98], // an emoji cut short
      [0xff, 0xfe, 0x41],
    ];
    for (const bytes of cases) assert.equal(utf8Decode(bytes), decoder.decode(Uint8Array.from(bytes)), bytes.map((b) => b.toString(16)).join(' '));
  });

  it('agrees with TextDecoder on 2,000 random almost-UTF-8 byte strings', () => {
    const rand = mulberry32(8);
    for (let t = 0; t < 2000; t++) {
      const bytes = randomAlmostUtf8(rand, 1 + Math.floor(rand() * 24));
      assert.equal(utf8Decode(bytes), decoder.decode(Uint8Array.from(bytes)), bytes.map((b) => b.toString(16)).join(' '));
    }
  });

  it('round-trips long well-formed text', () => {
    const s = randomUnicodeText(mulberry32(9), 20000);
    assert.equal(utf8Decode(utf8Bytes(s)), s);
  });
});
