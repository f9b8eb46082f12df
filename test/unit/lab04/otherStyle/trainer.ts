// Lab 4, Level 3, in another style: numeric pair keys, arrays of word ids per pair, a sorted
// bucket of candidates instead of a heap, and vocabStudy that trains once per size.
import { utf8Bytes, type Merge } from './bpe';
import { encodeText, pretokenize, type Tokenizer } from './gpt2';

export function countWords(text: string, specialTokens: string[]): Map<string, number> {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = specialTokens.length ? text.split(new RegExp(specialTokens.map(esc).join('|'), 'u')) : [text];
  const counts = new Map<string, number>();
  parts.flatMap(pretokenize).forEach((p) => counts.set(p, (counts.get(p) ?? 0) + 1));
  return counts;
}

const K = 1 << 16;

export function trainFast(text: string, vocabSize: number, specialTokens: string[]): Tokenizer {
  if (vocabSize < 256 + specialTokens.length) throw new Error('vocabSize too small');
  const entries = [...countWords(text, specialTokens)];
  const words = entries.map(([w]) => utf8Bytes(w));
  const freq = entries.map(([, c]) => c);
  const count = new Map<number, number>();
  const holders = new Map<number, number[]>();
  const bump = (key: number, by: number, w: number) => {
    count.set(key, (count.get(key) ?? 0) + by);
    if (by > 0) (holders.get(key) ?? holders.set(key, []).get(key)!).push(w);
  };
  words.forEach((ws, w) => ws.slice(1).forEach((r, i) => bump(ws[i] * K + r, freq[w], w)));
  // Heap of [count, key]: larger count first, then smaller key (= smaller left, then right).
  const heap: [number, number][] = [];
  const less = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] < b[1]);
  const push = (e: [number, number]) => {
    heap.push(e);
    let i = heap.length - 1;
    while (i && less(heap[i], heap[(i - 1) >> 1])) {
      [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1], heap[i]];
      i = (i - 1) >> 1;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        let m = i;
        for (const c of [2 * i + 1, 2 * i + 2]) if (c < heap.length && less(heap[c], heap[m])) m = c;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  count.forEach((c, k) => push([c, k]));
  const merges: Merge[] = [];
  const want = vocabSize - 256 - specialTokens.length;
  while (merges.length < want && heap.length) {
    const [c, key] = pop();
    const live = count.get(key) ?? 0;
    if (c !== live) {
      if (live > 0) push([live, key]);
      continue;
    }
    const l = Math.floor(key / K);
    const r = key % K;
    const id = 256 + merges.length;
    merges.push([l, r]);
    const fresh = new Set<number>();
    for (const w of new Set(holders.get(key))) {
      const old = words[w];
      const next: number[] = [];
      for (let i = 0; i < old.length; i++) {
        if (old[i] === l && old[i + 1] === r && i + 1 < old.length) next.push(id), i++;
        else next.push(old[i]);
      }
      if (next.length === old.length) continue;
      old.slice(1).forEach((b, i) => bump(old[i] * K + b, -freq[w], w));
      next.slice(1).forEach((b, i) => {
        bump(next[i] * K + b, freq[w], w);
        if (next[i] === id || b === id) fresh.add(next[i] * K + b);
      });
      words[w] = next;
    }
    holders.delete(key);
    fresh.forEach((k) => push([count.get(k)!, k]));
  }
  return {
    byteIds: [...Array(256).keys()],
    merges,
    special: Object.fromEntries(specialTokens.map((t, i) => [t, 256 + merges.length + i])),
  };
}

export function vocabStudy(trainText: string, testText: string, sizes: number[]): { vocabSize: number; tokensPerChar: number }[] {
  return sizes.map((vocabSize) => ({ vocabSize, tokensPerChar: encodeText(testText, trainFast(trainText, vocabSize, [])).length / testText.length }));
}
