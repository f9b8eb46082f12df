// Lab 4 — A byte-level BPE tokenizer. Level 1: BPE on plain arrays. Reference solution (not shipped).
// Token ids 0…255 are the bytes; merges[i] = [left, right] creates token 256 + i.

/** A merge: the pair [left, right] of token ids it joins. merges[i] creates id 256 + i. */
export type Merge = [number, number];

// ───────────────────────── Level 1: BPE on bytes ─────────────────────────

/**
 * The UTF-8 bytes of `text`, as TextEncoder gives them: 1 byte for U+0000…U+007F, 2 up to
 * U+07FF, 3 up to U+FFFF, 4 above (an emoji: a surrogate pair in the string, 4 bytes in UTF-8).
 * A lone surrogate becomes U+FFFD (EF BF BD).
 */
export function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      i++;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return out;
}

/** How often each adjacent pair occurs, keyed "left,right". Overlaps count: [a, a, a] has "a,a" twice. */
export function countPairs(ids: number[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < ids.length; i++) {
    const key = `${ids[i]},${ids[i + 1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A new array with every non-overlapping occurrence of `pair`, left to right, replaced by `newId`. */
export function mergePair(ids: number[], pair: Merge, newId: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(newId);
      i++;
    } else {
      out.push(ids[i]);
    }
  }
  return out;
}

/**
 * Learns vocabSize − 256 merges on the bytes of `text` (one sequence, no pre-tokenization).
 * Each step merges the most frequent pair; on a tie the smaller pair wins (smaller left id, then
 * smaller right id). Stops early when no pair is left. Throws for vocabSize < 256.
 */
export function train(text: string, vocabSize: number): Merge[] {
  if (!Number.isInteger(vocabSize) || vocabSize < 256) throw new Error(`vocabSize must be an integer ≥ 256, got ${vocabSize}`);
  let ids = utf8Bytes(text);
  const merges: Merge[] = [];
  while (256 + merges.length < vocabSize) {
    let best: Merge | undefined;
    let bestCount = 0;
    for (const [key, count] of countPairs(ids)) {
      const [l, r] = key.split(',').map(Number);
      if (!best || count > bestCount || (count === bestCount && (l < best[0] || (l === best[0] && r < best[1])))) {
        best = [l, r];
        bestCount = count;
      }
    }
    if (!best) break;
    ids = mergePair(ids, best, 256 + merges.length);
    merges.push(best);
  }
  return merges;
}

/** The rank of each merge, keyed "left,right" (the first one wins if a pair is listed twice). */
function rankTable(merges: Merge[]): Map<string, number> {
  const ranks = new Map<string, number>();
  merges.forEach(([l, r], i) => {
    if (!ranks.has(`${l},${r}`)) ranks.set(`${l},${r}`, i);
  });
  return ranks;
}

/** Merges a sequence of token ids by rank: always the adjacent pair learned earliest, leftmost first. */
export function mergeByRank(ids: number[], ranks: Map<string, number>): number[] {
  let tokens = ids;
  for (;;) {
    let bestRank = Infinity;
    let at = -1;
    for (let i = 0; i + 1 < tokens.length; i++) {
      const rank = ranks.get(`${tokens[i]},${tokens[i + 1]}`);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        at = i;
      }
    }
    if (at < 0) return tokens;
    tokens = [...tokens.slice(0, at), 256 + bestRank, ...tokens.slice(at + 2)];
  }
}

/** Encodes `text` (its bytes, one sequence) with the merges, lowest rank first. */
export function encode(text: string, merges: Merge[]): number[] {
  return mergeByRank(utf8Bytes(text), rankTable(merges));
}

/** The bytes of every token: bytes 0…255, then each merge's two parts joined. */
export function tokenBytesTable(merges: Merge[]): number[][] {
  const table: number[][] = [];
  for (let b = 0; b < 256; b++) table.push([b]);
  for (const [l, r] of merges) table.push([...table[l], ...table[r]]);
  return table;
}

/** Ids → text. Bytes that are not valid UTF-8 become U+FFFD, exactly as TextDecoder does (never throws). */
export function decode(ids: number[], merges: Merge[]): string {
  const table = tokenBytesTable(merges);
  const bytes: number[] = [];
  for (const id of ids) {
    const b = table[id];
    if (!b) throw new Error(`token id ${id} is not in the vocabulary (0…${table.length - 1})`);
    bytes.push(...b);
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
