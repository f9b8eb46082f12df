// Lab 4 — A byte-level BPE tokenizer. Level 3: a trainer that scales. Reference solution (not shipped).
import { utf8Bytes, type Merge } from './bpe';
import { encodeText, pretokenize, type Tokenizer } from './gpt2';

// ───────────────────────── Level 3: a trainer that scales ─────────────────────────

/**
 * The distinct GPT-2 pieces of `text` and how often each occurs. Special tokens are cut out
 * first and never counted, so no piece contains or crosses one.
 */
export function countWords(text: string, specialTokens: string[]): Map<string, number> {
  let parts = [text];
  for (const t of specialTokens) parts = parts.flatMap((p) => p.split(t));
  const counts = new Map<string, number>();
  for (const part of parts) {
    for (const piece of pretokenize(part)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  }
  return counts;
}

/** A max-heap of [count, left, right], best first: higher count, then smaller left, then smaller right. */
class PairQueue {
  private items: [number, number, number][] = [];
  private better(a: [number, number, number], b: [number, number, number]): boolean {
    return a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
  }
  push(item: [number, number, number]): void {
    const h = this.items;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.better(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): [number, number, number] | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && this.better(h[l], h[best])) best = l;
        if (r < h.length && this.better(h[r], h[best])) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best], h[i]];
        i = best;
      }
    }
    return top;
  }
}

/**
 * Trains on the words of `text` (countWords) to vocabSize tokens in all: 256 bytes, the merges,
 * then the special tokens (ids after the last merge, in the order given). Same tie rule as
 * Level 1. Incremental: after a merge only the words containing the pair are rewritten.
 */
export function trainFast(text: string, vocabSize: number, specialTokens: string[]): Tokenizer {
  if (!Number.isInteger(vocabSize) || vocabSize < 256 + specialTokens.length) {
    throw new Error(`vocabSize must be an integer ≥ ${256 + specialTokens.length}, got ${vocabSize}`);
  }
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [w, c] of countWords(text, specialTokens)) {
    words.push(utf8Bytes(w));
    freq.push(c);
  }
  const counts = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const add = (l: number, r: number, w: number, c: number) => {
    const key = `${l},${r}`;
    counts.set(key, (counts.get(key) ?? 0) + c);
    let set = where.get(key);
    if (!set) where.set(key, (set = new Set()));
    set.add(w);
  };
  words.forEach((word, w) => {
    for (let i = 0; i + 1 < word.length; i++) add(word[i], word[i + 1], w, freq[w]);
  });
  const queue = new PairQueue();
  for (const [key, c] of counts) {
    const [l, r] = key.split(',').map(Number);
    queue.push([c, l, r]);
  }

  const merges: Merge[] = [];
  const target = vocabSize - 256 - specialTokens.length;
  while (merges.length < target) {
    const top = queue.pop();
    if (!top) break;
    const [count, l, r] = top;
    const key = `${l},${r}`;
    const live = counts.get(key) ?? 0;
    if (live !== count) {
      if (live > 0) queue.push([live, l, r]); // the count dropped since this entry was queued
      continue;
    }
    const id = 256 + merges.length;
    merges.push([l, r]);
    const created = new Set<string>();
    for (const w of where.get(key) ?? []) {
      const word = words[w];
      const c = freq[w];
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === l && word[i + 1] === r) {
          next.push(id);
          i++;
        } else next.push(word[i]);
      }
      if (next.length === word.length) continue;
      for (let i = 0; i + 1 < word.length; i++) counts.set(`${word[i]},${word[i + 1]}`, counts.get(`${word[i]},${word[i + 1]}`)! - c);
      for (let i = 0; i + 1 < next.length; i++) {
        add(next[i], next[i + 1], w, c);
        if (next[i] === id || next[i + 1] === id) created.add(`${next[i]},${next[i + 1]}`);
      }
      words[w] = next;
    }
    where.delete(key);
    counts.delete(key);
    for (const k of created) {
      const [a, b] = k.split(',').map(Number);
      queue.push([counts.get(k)!, a, b]);
    }
  }
  const special: Record<string, number> = {};
  specialTokens.forEach((t, i) => (special[t] = 256 + merges.length + i));
  return { byteIds: Array.from({ length: 256 }, (_, b) => b), merges, special };
}

/**
 * The vocabulary-size trade-off: for each size, train on `trainText` and count how many tokens
 * `testText` becomes, per character (testText.length). Bigger vocabularies, shorter sequences.
 */
export function vocabStudy(trainText: string, testText: string, sizes: number[]): { vocabSize: number; tokensPerChar: number }[] {
  // BPE merges are learned greedily, one after another: the first k merges of a big vocabulary
  // are exactly the merges of a vocabulary of 256 + k. Train once, to the largest size.
  const full = trainFast(trainText, Math.max(...sizes), []);
  return sizes.map((vocabSize) => {
    const tok: Tokenizer = { ...full, merges: full.merges.slice(0, vocabSize - 256) };
    return { vocabSize, tokensPerChar: encodeText(testText, tok).length / testText.length };
  });
}
