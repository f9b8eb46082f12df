// Seeded random text and bytes that hit what a tokenizer gets wrong: ASCII words and spaces,
// whitespace runs, digits, accents, combining marks, CJK, astral characters (emoji: surrogate
// pairs in UTF-16, 4 bytes in UTF-8), and byte strings that are almost UTF-8.

/** Code point ranges, each drawn with the same chance. */
const RANGES: [number, number][] = [
  [0x61, 0x7a], // a–z
  [0x41, 0x5a], // A–Z
  [0x20, 0x20], // space
  [0x30, 0x39], // digits
  [0x21, 0x2f], // punctuation, apostrophe included
  [0x09, 0x0d], // tab, newline, vertical tab, form feed, carriage return
  [0xc0, 0x17f], // Latin-1 and Latin Extended-A letters (2 bytes)
  [0x300, 0x36f], // combining marks
  [0x4e00, 0x4fff], // CJK (3 bytes)
  [0xac00, 0xacff], // Hangul syllables
  [0x1f600, 0x1f64f], // emoji (4 bytes, a surrogate pair)
  [0x10000, 0x1007f], // Linear B (astral letters)
  [0x2000, 0x200b], // other spaces
];

/** A random well-formed string of `length` code points (every one round-trips through UTF-8). */
export function randomUnicodeText(rand: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = RANGES[Math.floor(rand() * RANGES.length)];
    s += String.fromCodePoint(lo + Math.floor(rand() * (hi - lo + 1)));
  }
  return s;
}

/** Random bytes, mostly valid UTF-8 with truncations, stray continuations and forbidden leads mixed in. */
export function randomAlmostUtf8(rand: () => number, length: number): number[] {
  const leads = [0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
  const out: number[] = [];
  while (out.length < length) {
    const r = rand();
    if (r < 0.4) out.push(Math.floor(rand() * 0x80));
    else if (r < 0.6) out.push(0x80 + Math.floor(rand() * 0x40));
    else if (r < 0.8) out.push(leads[Math.floor(rand() * leads.length)]);
    else {
      const cp = Math.floor(rand() * 0x110000);
      const ch = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
      for (const b of new TextEncoder().encode(String.fromCodePoint(ch))) out.push(b);
    }
  }
  return out.slice(0, length);
}
