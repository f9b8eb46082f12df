// Pre-tokenization: GPT-2 cuts text into pieces with a regular expression before BPE, so no
// token spans a word boundary ("dog." never becomes one token, " dog" and "." do). Pieces:
// English contractions ('s 't 're 've 'm 'll 'd, lower case only, as in GPT-2), an optional
// space + letters, an optional space + digits, an optional space + other symbols, then
// whitespace. `\s+(?!\S)` takes a whitespace run except its last character when a word follows,
// so that last space starts the next piece (" world") and "hello   world" gives
// ["hello", "  ", " world"]. JavaScript needs the `u` flag: without it `\p{L}` is not a
// Unicode property but the letter "p" followed by "{L}".

export const GPT2_PATTERN_SOURCE = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** A fresh global, Unicode-aware copy of GPT-2's split pattern. */
export function gpt2Pattern(): RegExp {
  return new RegExp(GPT2_PATTERN_SOURCE, 'gu');
}

export type PatternOption = 'gpt2' | RegExp;

/** The pattern to split with, always global (a copy: lastIndex state is never shared). */
export function resolvePattern(pattern: PatternOption | undefined): RegExp {
  if (pattern === undefined || pattern === 'gpt2') return gpt2Pattern();
  if (!(pattern instanceof RegExp)) throw new Error(`pattern must be 'gpt2' or a RegExp, got ${typeof pattern}`);
  return new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
}

/**
 * Calls `piece` for each match, in order. Text the pattern does not match is skipped, as in
 * tiktoken (GPT-2's pattern matches everything). An empty match advances one character.
 */
export function forEachPiece(text: string, pattern: RegExp, piece: (s: string) => void): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    piece(m[0]);
  }
}

/** The pieces of `text` (GPT-2's pattern unless another is given). */
export function pretokenize(text: string, pattern: PatternOption = 'gpt2'): string[] {
  const out: string[] = [];
  forEachPiece(text, resolvePattern(pattern), (s) => out.push(s));
  return out;
}
