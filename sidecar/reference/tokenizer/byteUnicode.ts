// GPT-2's bytes_to_unicode: every byte gets a printable character so a token can be written as
// text (vocab.json, merges.txt). The 188 bytes that are already printable and not whitespace
// (33–126, 161–172, 174–255) stand for themselves; the other 68 (controls, space, DEL, NBSP,
// soft hyphen…) take U+0100 + n in byte order, so space (the 33rd of them) is U+0120 "Ġ".

/** True for the 188 bytes GPT-2 keeps as their own Latin-1 character. */
export function isPrintableByte(b: number): boolean {
  return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
}

let table: string[] | undefined;

/** byte → its one-character stand-in (256 entries). */
export function bytesToUnicode(): readonly string[] {
  if (!table) {
    const t: string[] = [];
    let n = 0;
    for (let b = 0; b < 256; b++) t.push(String.fromCharCode(isPrintableByte(b) ? b : 0x100 + n++));
    table = t;
  }
  return table;
}

let inverse: Map<string, number> | undefined;

/** stand-in character → byte. */
export function unicodeToBytes(): ReadonlyMap<string, number> {
  if (!inverse) inverse = new Map(bytesToUnicode().map((ch, b) => [ch, b]));
  return inverse;
}

/** Token bytes written the GPT-2 way ("Ġthe" for " the"). */
export function bytesToVisible(bytes: ArrayLike<number>): string {
  const t = bytesToUnicode();
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += t[bytes[i]];
  return s;
}

/** Inverse of bytesToVisible; throws naming the first character outside the table. */
export function visibleToBytes(text: string): number[] {
  const inv = unicodeToBytes();
  return Array.from(text, (ch, i) => {
    const b = inv.get(ch);
    if (b === undefined) throw new Error(`${JSON.stringify(text)}: character ${i} (${JSON.stringify(ch)}) is not one of the 256 byte characters`);
    return b;
  });
}
