// Lab 4 — A byte-level BPE tokenizer. Level 1: BPE on plain arrays.
// Replace each `throw` with your implementation. Checks run as you type; the CodeLens above each
// function shows how many pass, and "Hint" CodeLenses reveal hints one at a time.
// Token ids 0…255 are the bytes; merges[i] = [left, right] creates token 256 + i.
// Instructions: INSTRUCTIONS.md (opened beside this file).

/** A merge: the pair [left, right] of token ids it joins. merges[i] creates id 256 + i. */
export type Merge = [number, number];

// ───────────────────────── Level 1: BPE on bytes ─────────────────────────

/**
 * The UTF-8 bytes of `text`, as TextEncoder gives them: 1 byte for U+0000…U+007F, 2 up to
 * U+07FF, 3 up to U+FFFF, 4 above (an emoji: a surrogate pair in the string, 4 bytes in UTF-8).
 * A lone surrogate becomes U+FFFD (EF BF BD).
 */
export function utf8Bytes(text: string): number[] {
  // Nudge: a JavaScript string is UTF-16 code units; work with code points, then write each as 1–4 bytes.
  throw new Error('TODO: implement utf8Bytes');
}

/** How often each adjacent pair occurs, keyed "left,right". Overlaps count: [a, a, a] has "a,a" twice. */
export function countPairs(ids: number[]): Map<string, number> {
  // Nudge: every position i with a neighbour i + 1 is one occurrence of a pair.
  throw new Error('TODO: implement countPairs');
}

/** A new array with every non-overlapping occurrence of `pair`, left to right, replaced by `newId`. */
export function mergePair(ids: number[], pair: Merge, newId: number): number[] {
  // Nudge: walk left to right; a match consumes two elements, anything else one.
  throw new Error('TODO: implement mergePair');
}

/**
 * Learns vocabSize − 256 merges on the bytes of `text` (one sequence, no pre-tokenization).
 * Each step merges the most frequent pair; on a tie the smaller pair wins (smaller left id, then
 * smaller right id). Stops early when no pair is left. Throws for vocabSize < 256.
 */
export function train(text: string, vocabSize: number): Merge[] {
  // Nudge: repeat count → pick → merge, and the new token's id says how many merges came before it.
  throw new Error('TODO: implement train');
}

/** Encodes `text` (its bytes, one sequence) with the merges, lowest rank first. */
export function encode(text: string, merges: Merge[]): number[] {
  // Nudge: the merge learned earliest that is present in the sequence goes first, wherever it is.
  throw new Error('TODO: implement encode');
}

/** Ids → text. Bytes that are not valid UTF-8 become U+FFFD, exactly as TextDecoder does (never throws). */
export function decode(ids: number[], merges: Merge[]): string {
  // Nudge: every token is a byte string; join them, then read the bytes as UTF-8.
  throw new Error('TODO: implement decode');
}
