// Lab 4 written in another style than the reference solution (TextEncoder, reduce, a hand-written
// UTF-8 decoder, merges applied one after another): every check must accept it.
export type Merge = [number, number];

export function utf8Bytes(text: string): number[] {
  return Array.from(new TextEncoder().encode(text));
}

export function countPairs(ids: number[]): Map<string, number> {
  return ids.slice(1).reduce((m, right, i) => {
    const k = `${ids[i]},${right}`;
    return m.set(k, (m.get(k) || 0) + 1);
  }, new Map<string, number>());
}

export function mergePair(ids: number[], pair: Merge, newId: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < ids.length) {
    const hit = ids[i] === pair[0] && ids[i + 1] === pair[1] && i < ids.length - 1;
    out.push(hit ? newId : ids[i]);
    i += hit ? 2 : 1;
  }
  return out;
}

export function train(text: string, vocabSize: number): Merge[] {
  if (!(vocabSize >= 256)) throw new RangeError('vocabSize < 256');
  const merges: Merge[] = [];
  let ids = utf8Bytes(text);
  for (let id = 256; id < vocabSize; id++) {
    const ranked = [...countPairs(ids)]
      .map(([k, c]) => [c, ...k.split(',').map(Number)] as [number, number, number])
      .sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
    if (ranked.length === 0) break;
    const pair: Merge = [ranked[0][1], ranked[0][2]];
    ids = mergePair(ids, pair, id);
    merges.push(pair);
  }
  return merges;
}

export function encode(text: string, merges: Merge[]): number[] {
  // Applying every merge in training order, each over the whole sequence, is the same as
  // lowest-rank-first (a later merge never creates an earlier pair).
  return merges.reduce((ids, pair, i) => mergePair(ids, pair, 256 + i), utf8Bytes(text));
}

/** WHATWG UTF-8 decode by hand: each maximal invalid subpart becomes U+FFFD. */
export function utf8Decode(bytes: number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let cp = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, cp] = [1, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, cp, lo, hi] = [2, b & 0xf, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf];
    else if (b >= 0xf0 && b <= 0xf4) [need, cp, lo, hi] = [3, b & 7, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf];
    else {
      out += '\ufffd';
      i++;
      continue;
    }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const c = bytes[j];
      const [min, max] = k === 0 ? [lo, hi] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    out += ok ? String.fromCodePoint(cp) : '\ufffd';
    i = ok ? j : j; // on failure j points at the byte that broke the sequence: read it again
  }
  return out;
}

export function decode(ids: number[], merges: Merge[]): string {
  const vocab = new Map<number, number[]>(Array.from({ length: 256 }, (_, b) => [b, [b]]));
  merges.forEach(([a, b], i) => vocab.set(256 + i, vocab.get(a)!.concat(vocab.get(b)!)));
  return utf8Decode(ids.flatMap((id) => vocab.get(id) ?? []));
}
