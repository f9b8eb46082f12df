// Lab 4 — A byte-level BPE tokenizer. Level 2: GPT-2's byte-level BPE.
// You may import anything you wrote in ./bpe (export a helper there to reuse it here).
import type { Merge } from './bpe';

/**
 * A byte-level BPE tokenizer as data. byteIds[b] is the id of the single byte b (b itself for a
 * tokenizer you train; GPT-2 numbers its bytes differently), merges[i] creates id 256 + i, and
 * special maps each special token's text to its id.
 */
export interface Tokenizer {
  byteIds: number[];
  merges: Merge[];
  special: Record<string, number>;
}

// ───────────────────────── Level 2: GPT-2's byte-level BPE ─────────────────────────

/**
 * GPT-2's bytes_to_unicode: table[b] is the one character that stands for byte b in vocab.json
 * and merges.txt. The 188 printable bytes 33–126, 161–172 and 174–255 stand for themselves; the
 * other 68, in byte order, become U+0100, U+0101, … (so space, 32, is U+0120 "Ġ").
 */
export function bytesToUnicode(): string[] {
  // Nudge: one pass over the 256 bytes with a counter for the ones that are not printable.
  throw new Error('TODO: implement bytesToUnicode');
}

/** Cuts text into GPT-2's pieces: BPE never merges across two pieces. */
export function pretokenize(text: string): string[] {
  // Nudge: GPT-2's split pattern is in INSTRUCTIONS.md; JavaScript needs one extra flag for \p{…}.
  throw new Error('TODO: implement pretokenize');
}

/**
 * GPT-2 from Hugging Face's files: vocab.json (token written with bytesToUnicode → id) and the
 * lines of merges.txt ("Ġ t": the two tokens merge i joins, written the same way).
 */
export function loadGpt2(vocab: Record<string, number>, merges: string[], specialTokens: string[]): Tokenizer {
  // Nudge: every byte, every merge line and every special token is a lookup in vocab.
  throw new Error('TODO: implement loadGpt2');
}

/**
 * Encodes text like tiktoken: special tokens are cut out first (an allowed one becomes its id;
 * one that is not allowed is an error), then each regex piece is BPE-encoded on its own.
 */
export function encodeText(text: string, tok: Tokenizer, allowedSpecial: 'all' | string[] = []): number[] {
  // Nudge: special tokens, then pieces, then Level 1's merging inside each piece — bytes go through tok.byteIds.
  throw new Error('TODO: implement encodeText');
}

/** Ids → text: special ids give their text, the rest their bytes, decoded as UTF-8 with U+FFFD. */
export function decodeText(ids: number[], tok: Tokenizer): string {
  // Nudge: Level 1's decode, with byteIds read backwards and special tokens added.
  throw new Error('TODO: implement decodeText');
}
