// Lab 5 — Batching: from messages to the encoder's input.
// Replace each `throw` with your implementation.

/** The ids of the special tokens the encoder was pretrained with. */
export interface SpecialIds {
  cls: number;
  sep: number;
  pad: number;
}

/** A padded batch: B rows of the same width W (the longest row of this batch). */
export interface Batch {
  /** [B][W] token ids: [CLS], the message's first tokens, [SEP], then [PAD] up to W. */
  ids: number[][];
  /** [B][W]: 1 where ids holds a real token ([CLS] and [SEP] included), 0 on padding. */
  mask: number[][];
  /** Real tokens per row (the number of 1s in its mask row). */
  lengths: number[];
}

/**
 * Tokenizes each text, keeps its first maxLen − 2 tokens, wraps them as [CLS] … [SEP], pads every
 * row with [PAD] to the longest row of THIS batch (not to maxLen), and builds the attention mask.
 */
export function makeBatch(texts: string[], tokenize: (text: string) => number[], special: SpecialIds, maxLen: number): Batch {
  // Build each row first, then find the batch's longest row, then pad.
  throw new Error('TODO: implement makeBatch');
}
