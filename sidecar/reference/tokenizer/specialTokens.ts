// Special tokens (<|endoftext|>, [CLS], …) are cut out of the text before the regex and before
// BPE, so they are never split and never merged with their neighbours. As in tiktoken, encoding
// text that contains a special token is an error unless that token is allowed: a user's text
// must not be able to smuggle in a control token. Allowed ones become their single id.

export type AllowedSpecial = 'all' | readonly string[];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A global regex matching any of `tokens`, longest first (so "[CLS]x" wins over "[CLS]"). */
export function specialRegex(tokens: readonly string[]): RegExp | undefined {
  if (tokens.length === 0) return undefined;
  const sorted = [...tokens].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'gu');
}

/** Checks a list of special token names: non-empty strings, no duplicates. */
export function validateSpecialTokens(tokens: unknown, what = 'specialTokens'): string[] {
  if (tokens === undefined) return [];
  if (!Array.isArray(tokens)) throw new Error(`${what} must be an array of strings`);
  const seen = new Set<string>();
  tokens.forEach((t, i) => {
    if (typeof t !== 'string' || t.length === 0) throw new Error(`${what}[${i}] must be a non-empty string, got ${JSON.stringify(t)}`);
    if (seen.has(t)) throw new Error(`${what}[${i}] ${JSON.stringify(t)} appears twice`);
    seen.add(t);
  });
  return tokens as string[];
}

export class DisallowedSpecialTokenError extends Error {
  constructor(
    readonly token: string,
    readonly index: number,
  ) {
    super(
      `the text contains the special token ${JSON.stringify(token)} at index ${index}, which is not allowed here: ` +
        `pass { allowedSpecial: [${JSON.stringify(token)}] } (or 'all') to encode it as its id, or encodeOrdinary() to encode it as plain text`,
    );
    this.name = 'DisallowedSpecialTokenError';
  }
}

/** The allowed set for an `allowedSpecial` option; throws for names that are not special tokens. */
export function allowedSet(allowed: AllowedSpecial | undefined, all: readonly string[]): Set<string> {
  if (allowed === undefined) return new Set();
  if (allowed === 'all') return new Set(all);
  if (!Array.isArray(allowed)) throw new Error(`allowedSpecial must be 'all' or an array of special token strings`);
  for (const t of allowed) {
    if (!all.includes(t)) throw new Error(`allowedSpecial names ${JSON.stringify(t)}, which is not one of this tokenizer's special tokens (${all.map((s) => JSON.stringify(s)).join(', ') || 'none'})`);
  }
  return new Set(allowed);
}

/** Throws DisallowedSpecialTokenError at the first special token of `text` that is not allowed. */
export function rejectDisallowed(text: string, all: readonly string[], allowed: ReadonlySet<string>): void {
  const re = specialRegex(all.filter((t) => !allowed.has(t)));
  if (!re) return;
  const m = re.exec(text);
  if (m) throw new DisallowedSpecialTokenError(m[0], m.index);
}

/**
 * Splits `text` around occurrences of the `tokens`: ordinary text goes to `ordinary`, each
 * special token to `special`, in order. Empty ordinary stretches are skipped.
 */
export function splitOnSpecial(text: string, tokens: readonly string[], ordinary: (s: string) => void, special: (token: string) => void): void {
  const re = specialRegex(tokens);
  if (!re) {
    if (text.length > 0) ordinary(text);
    return;
  }
  let start = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > start) ordinary(text.slice(start, m.index));
    special(m[0]);
    start = m.index + m[0].length;
  }
  if (start < text.length) ordinary(text.slice(start));
}
