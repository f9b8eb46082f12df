// Training never needs the text twice: "the" appears 14,000 times in Moby-Dick but is one word to
// merge. Special tokens are cut out first, so their characters never enter a merge.
import { forEachPiece, resolvePattern, type PatternOption } from './pretokenize';
import { splitOnSpecial } from './specialTokens';

/** Distinct pieces of `text` with how often each occurs, in order of first appearance. */
export function countWords(text: string, pattern: PatternOption | RegExp = 'gpt2', specialTokens: readonly string[] = []): Map<string, number> {
  const re = resolvePattern(pattern);
  const counts = new Map<string, number>();
  const add = (piece: string) => counts.set(piece, (counts.get(piece) ?? 0) + 1);
  splitOnSpecial(
    text,
    specialTokens,
    (s) => forEachPiece(s, re, add),
    () => undefined,
  );
  return counts;
}
