// Lines two tokenizations of the same text up by byte offsets: a token "matches" when the other
// side has a token with the same id over the same bytes. Pure (unit-tested in Node).
import type { TokenPiece } from '../../core/protocol/views/tokensView';

export interface Span {
  start: number;
  end: number;
}

/** Byte ranges of the tokens, in order. */
export function spans(tokens: readonly TokenPiece[]): Span[] {
  let at = 0;
  return tokens.map((t) => {
    const s = { start: at, end: at + t.bytes };
    at += t.bytes;
    return s;
  });
}

/** For each token of `a`: does `b` have the same id over the same bytes? */
export function matches(a: readonly TokenPiece[], b: readonly TokenPiece[]): boolean[] {
  const key = (t: TokenPiece, s: Span) => `${s.start}:${s.end}:${t.id}`;
  const sb = spans(b);
  const inB = new Set(b.map((t, i) => key(t, sb[i])));
  const sa = spans(a);
  return a.map((t, i) => inB.has(key(t, sa[i])));
}

/** Index of the first token of `a` that `b` does not have, -1 when the two agree everywhere. */
export function firstMismatch(a: readonly TokenPiece[], b: readonly TokenPiece[]): number {
  if (a.length !== b.length) {
    const m = matches(a, b).indexOf(false);
    return m < 0 ? Math.min(a.length, b.length) : m;
  }
  return matches(a, b).indexOf(false);
}
