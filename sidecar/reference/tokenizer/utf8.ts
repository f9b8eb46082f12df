// UTF-8 by hand: text → bytes as TextEncoder does (a lone surrogate becomes U+FFFD), and bytes →
// text as TextDecoder does (WHATWG "UTF-8 decode": every maximal invalid subpart becomes one
// U+FFFD). Byte-level BPE needs both: any byte string is a valid token sequence, and a token
// boundary may cut a character in half, so decoding must never throw.

export const REPLACEMENT = 0xfffd;

/** Appends the UTF-8 bytes of one code point (0…0x10FFFF, surrogates already replaced). */
function pushCodePoint(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** The UTF-8 bytes of `text` (UTF-16 code units → code points; a lone surrogate → EF BF BD). */
export function utf8Bytes(text: string, out: number[] = []): number[] {
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else cp = REPLACEMENT;
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = REPLACEMENT;
    pushCodePoint(out, cp);
  }
  return out;
}

/** utf8Bytes as a Uint8Array (what TextEncoder.encode returns). */
export function utf8Encode(text: string): Uint8Array {
  return Uint8Array.from(utf8Bytes(text));
}

/**
 * Bytes → text exactly as `new TextDecoder('utf-8').decode(bytes)`: overlong forms, encoded
 * surrogates (ED A0…ED BF), code points above U+10FFFF, stray continuation bytes and a sequence
 * cut short each become U+FFFD; the byte that ended a bad sequence starts over.
 */
export function utf8Decode(bytes: ArrayLike<number>): string {
  const units: number[] = [];
  let out = '';
  const emit = (cp: number) => {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else units.push(cp);
    if (units.length > 8000) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  };
  let cp = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] & 0xff;
    if (needed === 0) {
      if (b <= 0x7f) emit(b);
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0; // no overlong 3-byte forms
        if (b === 0xed) upper = 0x9f; // no encoded surrogates
        needed = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90; // no overlong 4-byte forms
        if (b === 0xf4) upper = 0x8f; // nothing above U+10FFFF
        needed = 3;
        cp = b & 0x07;
      } else emit(REPLACEMENT); // 80…C1 and F5…FF never start a character
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is one maximal invalid subpart; this byte is looked at again.
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      emit(REPLACEMENT);
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (++seen === needed) {
      emit(cp);
      cp = needed = seen = 0;
    }
  }
  if (needed !== 0) emit(REPLACEMENT);
  return out + String.fromCharCode(...units);
}
