// The incremental BPE trainer (what Hugging Face tokenizers does): the text becomes distinct
// words with counts; pair counts are kept for the whole corpus together with the words each pair
// occurs in; after a merge only those words are rewritten and only their pairs recounted. A
// priority queue yields the next pair. Tie rule: the highest count wins; among equal counts the
// smaller pair (left id, then right id). Deterministic: same text and options, same merges.
import { countWords } from './wordCounts';
import { PairHeap } from './pairHeap';
import { MAX_VOCAB, pairKey, pairLeft, pairRight } from './pairs';
import type { PatternOption } from './pretokenize';
import { validateSpecialTokens } from './specialTokens';
import { BpeTokenizer } from './tokenizer';
import type { Merge } from './tokenizerSpec';
import { utf8Bytes } from './utf8';

export interface TrainOptions {
  /** Total vocabulary: 256 bytes + merges + special tokens. */
  vocabSize: number;
  /** Cut out of the training text, never merged; ids after the merges, in this order. */
  specialTokens?: string[];
  /** Pre-tokenization; 'gpt2' by default. /[^]+/gu trains on the raw text (no word boundaries). */
  pattern?: PatternOption;
  /** Called after each merge with the number of merges so far. */
  onProgress?(merges: number): void;
}

/** Replaces every non-overlapping (left, right) in `word`, left to right, by `id`. */
export function mergeWord(word: readonly number[], left: number, right: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < word.length; i++) {
    if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
      out.push(id);
      i++;
    } else out.push(word[i]);
  }
  return out;
}

function contains(word: readonly number[], left: number, right: number): boolean {
  for (let i = 0; i + 1 < word.length; i++) if (word[i] === left && word[i + 1] === right) return true;
  return false;
}

/** The merges, in order, for `text` (pieces from `pattern`, counts kept incrementally). */
export function learnMerges(wordCounts: ReadonlyMap<string, number>, merges: number, onProgress?: (n: number) => void): Merge[] {
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [w, c] of wordCounts) {
    words.push(utf8Bytes(w));
    freq.push(c);
  }
  const count = new Map<number, number>();
  // where[key]: the words holding the pair (may list words that lost it since: checked on use).
  const where = new Map<number, number[]>();
  const note = (key: number, w: number) => {
    const list = where.get(key);
    if (!list) where.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  };
  words.forEach((word, w) => {
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKey(word[i], word[i + 1]);
      count.set(key, (count.get(key) ?? 0) + freq[w]);
      note(key, w);
    }
  });
  const heap = new PairHeap();
  for (const [key, c] of count) heap.push(c, key);

  const out: Merge[] = [];
  const touched = new Set<number>();
  while (out.length < merges) {
    const top = heap.peek();
    if (!top) break; // every word is a single token: nothing left to merge
    heap.pop();
    const live = count.get(top.key) ?? 0;
    if (live !== top.count) {
      if (live > 0) heap.push(live, top.key); // stale: a merge lowered this pair's count
      continue;
    }
    const left = pairLeft(top.key);
    const right = pairRight(top.key);
    const id = 256 + out.length;
    out.push([left, right]);
    touched.clear();
    for (const w of where.get(top.key) ?? []) {
      const word = words[w];
      if (!contains(word, left, right)) continue;
      const c = freq[w];
      for (let i = 0; i + 1 < word.length; i++) {
        const key = pairKey(word[i], word[i + 1]);
        const n = count.get(key)! - c;
        if (n === 0) count.delete(key);
        else count.set(key, n);
      }
      const merged = mergeWord(word, left, right, id);
      words[w] = merged;
      for (let i = 0; i + 1 < merged.length; i++) {
        const key = pairKey(merged[i], merged[i + 1]);
        count.set(key, (count.get(key) ?? 0) + c);
        // Only pairs with the new id are new; every other pair's count can only have dropped.
        if (merged[i] === id || merged[i + 1] === id) {
          touched.add(key);
          note(key, w);
        }
      }
    }
    where.delete(top.key);
    for (const key of touched) heap.push(count.get(key)!, key);
    onProgress?.(out.length);
  }
  return out;
}

/** Trains a byte-level BPE tokenizer on `text`. */
export function trainBpe(text: string, opts: TrainOptions): BpeTokenizer {
  if (typeof text !== 'string') throw new Error(`trainBpe: text must be a string, got ${typeof text}`);
  const specials = validateSpecialTokens(opts?.specialTokens, 'trainBpe: specialTokens');
  const vocabSize = opts?.vocabSize;
  const least = 256 + specials.length;
  if (typeof vocabSize !== 'number' || !Number.isInteger(vocabSize) || vocabSize < least || vocabSize > MAX_VOCAB) {
    throw new Error(`trainBpe: vocabSize must be an integer from ${least} (256 bytes${specials.length ? ` + ${specials.length} special tokens` : ''}) to ${MAX_VOCAB}, got ${JSON.stringify(vocabSize)}`);
  }
  const words = countWords(text, opts.pattern ?? 'gpt2', specials);
  const merges = learnMerges(words, vocabSize - least, opts.onProgress);
  const specialTokens: Record<string, number> = {};
  specials.forEach((t, i) => (specialTokens[t] = 256 + merges.length + i));
  return new BpeTokenizer({ merges, specialTokens, pattern: opts.pattern ?? 'gpt2' });
}
