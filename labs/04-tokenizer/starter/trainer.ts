// Lab 4 — A byte-level BPE tokenizer. Level 3: a trainer that scales.
// You may import anything you wrote in ./bpe and ./gpt2.
import type { Tokenizer } from './gpt2';

// ───────────────────────── Level 3: a trainer that scales ─────────────────────────

/**
 * The distinct GPT-2 pieces of `text` and how often each occurs. Special tokens are cut out
 * first and never counted, so no piece contains or crosses one.
 */
export function countWords(text: string, specialTokens: string[]): Map<string, number> {
  // Nudge: real text repeats its words; each distinct piece needs training only once.
  throw new Error('TODO: implement countWords');
}

/**
 * Trains on the words of `text` (countWords) to vocabSize tokens in all: 256 bytes, the merges,
 * then the special tokens (ids after the last merge, in the order given). Same tie rule as
 * Level 1. Incremental: after a merge only the words containing the pair are rewritten.
 */
export function trainFast(text: string, vocabSize: number, specialTokens: string[]): Tokenizer {
  // Nudge: a merge changes only the words that contain its pair — keep track of which words those are.
  throw new Error('TODO: implement trainFast');
}

/**
 * The vocabulary-size trade-off: for each size, train on `trainText` and count how many tokens
 * `testText` becomes, per character (testText.length). Bigger vocabularies, shorter sequences.
 */
export function vocabStudy(trainText: string, testText: string, sizes: number[]): { vocabSize: number; tokensPerChar: number }[] {
  // Nudge: think about what the first k merges of a large training run are.
  throw new Error('TODO: implement vocabStudy');
}
