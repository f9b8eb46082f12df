// What Lab 4's checks and token panel hand to the learner's functions, built once per worker:
// GPT-2 in the learner's Tokenizer shape and as Hugging Face files, tokenizers trained on the
// shipped Moby-Dick, and readable renderings of token sequences for failure messages.
// Learner code is untrusted and may mutate what it is given: small fixtures are fresh copies,
// GPT-2's (50,000 merges) are deep-frozen and shared.
import { gpt2HuggingFaceFiles, gpt2Tokenizer, GPT2_END_OF_TEXT, type Gpt2Files } from './gpt2';
import { mobyDickSplit } from './shippedTexts';
import type { BpeTokenizer } from './tokenizer';
import { trainBpe } from './trainer';
import { utf8Decode } from './utf8';

/** The learner's Tokenizer type (gpt2.ts of Lab 4). */
export interface LearnerTokenizer {
  byteIds: number[];
  merges: [number, number][];
  special: Record<string, number>;
}

/** Plain BPE on the whole text (Level 1: no pre-tokenization). */
export const RAW_PATTERN = /[^]+/gu;

export function asLearnerTokenizer(tok: BpeTokenizer): LearnerTokenizer {
  return { byteIds: [...tok.byteIds], merges: tok.merges.map((m) => [m[0], m[1]]), special: { ...tok.specialTokens } };
}

/** Freezes the tokenizer object, its arrays and every merge pair (a flat loop: 50,000 pairs). */
function freezeTokenizer(t: LearnerTokenizer): LearnerTokenizer {
  for (const m of t.merges) Object.freeze(m);
  Object.freeze(t.merges);
  Object.freeze(t.byteIds);
  Object.freeze(t.special);
  return Object.freeze(t);
}

let gpt2Shared: LearnerTokenizer | undefined;

/**
 * GPT-2 (50,000 merges, <|endoftext|> = 50256) as a learner Tokenizer: one frozen object shared
 * by every call (a copy per call would cost more than the learner's encoder), so a learner's
 * cache keyed on it works and an attempt to change it fails loudly.
 */
export function gpt2ForLearner(): LearnerTokenizer {
  return (gpt2Shared ??= freezeTokenizer(asLearnerTokenizer(gpt2Tokenizer())));
}

export interface LearnerGpt2Files {
  vocab: Record<string, number>;
  merges: string[];
  specialTokens: string[];
}

const filesByLimit = new Map<number, LearnerGpt2Files>();

/** GPT-2's vocab.json and merges.txt lines (all, or the first `mergeLimit` merges), frozen and shared. */
export function gpt2FilesForLearner(mergeLimit = Infinity): LearnerGpt2Files {
  let f = filesByLimit.get(mergeLimit);
  if (!f) {
    const files: Gpt2Files = gpt2HuggingFaceFiles(gpt2Tokenizer(), mergeLimit);
    Object.freeze(files.vocab);
    Object.freeze(files.merges);
    f = Object.freeze({ vocab: files.vocab, merges: files.merges, specialTokens: Object.freeze([GPT2_END_OF_TEXT]) as string[] });
    filesByLimit.set(mergeLimit, f);
  }
  return f;
}

export const LAB_SPECIALS = ['<|endoftext|>', '[MASK]'];
let trained: BpeTokenizer | undefined;

/** A reference tokenizer trained on the first 40,000 characters of the shipped Moby-Dick: 400 merges, 2 special tokens. */
export function trainedOnMoby(): BpeTokenizer {
  return (trained ??= trainBpe(mobyDickSplit().train.slice(0, 40_000), { vocabSize: 256 + 400 + LAB_SPECIALS.length, specialTokens: LAB_SPECIALS }));
}

/** A token as readable text: its bytes as UTF-8, or its bytes in hex when they are not valid UTF-8 alone. */
export function tokenText(bytes: Uint8Array | number[]): string {
  const s = utf8Decode(bytes);
  if (!s.includes('\ufffd')) return s;
  return `<${Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}>`;
}

/** Tokens i… of a sequence as `"Call" " me" …`, each token its own quoted string. */
export function readable(ids: readonly number[], bytesOf: (id: number) => Uint8Array | number[] | undefined, from: number, to: number): string {
  const out: string[] = [];
  for (let i = Math.max(0, from); i < Math.min(ids.length, to); i++) {
    const b = bytesOf(ids[i]);
    out.push(b ? JSON.stringify(tokenText(b)) : `<id ${ids[i]}?>`);
  }
  return (from > 0 ? '… ' : '') + out.join(' ') + (to < ids.length ? ' …' : '');
}
