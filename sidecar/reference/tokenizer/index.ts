// The course's reference byte-level BPE tokenizer (Lab 4), one concept per file:
//   utf8.ts           text ↔ UTF-8 bytes, decoding exactly as TextDecoder (U+FFFD)
//   byteUnicode.ts    GPT-2's bytes_to_unicode table
//   pretokenize.ts    GPT-2's split pattern (with the u flag)
//   specialTokens.ts  special tokens: split out first, never merged, allowed or an error
//   wordCounts.ts     distinct words with counts
//   pairs.ts, pairHeap.ts, trainer.ts   the incremental trainer and its tie rule
//   mergeByRank.ts    encoding one piece: lowest-rank pair first
//   tokenizer.ts, tokenizerSpec.ts      BpeTokenizer, its JSON form and validation
//   gpt2.ts           GPT-2's ranks from js-tiktoken, as merges; vocab.json / merges.txt
export { BpeTokenizer, type EncodeOptions } from './tokenizer';
export type { BpeSpec, BpeTokenizerJson, Merge } from './tokenizerSpec';
export { trainBpe, learnMerges, mergeWord, type TrainOptions } from './trainer';
export { countWords } from './wordCounts';
export { mergeByRank } from './mergeByRank';
export { gpt2Tokenizer, gpt2HuggingFaceFiles, GPT2_END_OF_TEXT, GPT2_END_OF_TEXT_ID, type Gpt2Files } from './gpt2';
export { GPT2_PATTERN_SOURCE, gpt2Pattern, pretokenize, type PatternOption } from './pretokenize';
export { DisallowedSpecialTokenError, type AllowedSpecial } from './specialTokens';
export { bytesToUnicode, unicodeToBytes, bytesToVisible, visibleToBytes, isPrintableByte } from './byteUnicode';
export { utf8Bytes, utf8Encode, utf8Decode } from './utf8';
export { pairKey, MAX_VOCAB } from './pairs';
