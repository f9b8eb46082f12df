// Assertions for tokenizer checks (Lab 4): token id lists, Maps returned from learner code (a
// different realm, so no instanceof), and sequence comparisons that show where two token
// sequences part and what the tokens around that point say.
import { CheckFailure } from './checkApi';
import { describe } from './expect';

/** A JSON string of `s`, cut to `max` characters. */
export function quote(s: string, max = 80): string {
  const q = JSON.stringify(s);
  return q.length > max ? q.slice(0, max - 2) + '…"' : q;
}

/** "[1, 2, 3, …] (n tokens)". */
export function showIds(ids: readonly unknown[], max = 16): string {
  const head = ids.slice(0, max).map((x) => (typeof x === 'number' ? String(x) : JSON.stringify(x)));
  return `[${head.join(', ')}${ids.length > max ? ', …' : ''}] (${ids.length} ${ids.length === 1 ? 'token' : 'tokens'})`;
}

/** The value as a list of integers, or a CheckFailure naming what came back. */
export function idList(value: unknown, what: string, max = Infinity): number[] {
  if (!Array.isArray(value)) {
    throw new CheckFailure(`${what} should return an array of numbers`, { expected: 'number[]', actual: describe(value) });
  }
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything that is not a number, so the typeof test never decides alone
  const bad = value.findIndex((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max);
  if (bad >= 0) {
    throw new CheckFailure(`${what}[${bad}] is ${JSON.stringify(value[bad]) ?? String(value[bad])}, not ${max === 255 ? 'a byte (an integer 0…255)' : 'a token id (an integer ≥ 0)'}`, {
      expected: max === 255 ? 'integers 0…255' : 'integers ≥ 0',
      actual: showIds(value),
    });
  }
  return value as number[];
}

/** The entries of a Map the learner returned (any realm). */
export function mapEntries(value: unknown, what: string): [unknown, unknown][] {
  const m = value as { entries?: unknown; get?: unknown } | null;
  if (!m || typeof m !== 'object' || typeof m.entries !== 'function' || typeof m.get !== 'function') {
    throw new CheckFailure(`${what} should return a Map`, { expected: 'new Map(...)', actual: describe(value) });
  }
  return Array.from((m as Map<unknown, unknown>).entries());
}

/** Index of the first difference of two sequences, -1 when equal. */
export function firstDifference<T>(a: readonly T[], b: readonly T[]): number {
  const n = Math.max(a.length, b.length);
  // Stryker disable next-line EqualityOperator: at i = n both sequences read undefined, which are equal
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

export interface TokenRendering {
  /** A token as readable text (quoted), for the window around a difference. */
  token(id: number): string;
  /** The text the tokens before index i stand for, to show where in the input the difference is. */
  textBefore?(ids: readonly number[], i: number): string;
}

/**
 * got must equal expected. On failure: the first differing position, the text just before it,
 * and the tokens around it in both sequences as readable pieces.
 */
export function expectSameTokens(got: readonly number[], expected: readonly number[], what: string, render: TokenRendering, explain?: (at: number) => string): void {
  const at = firstDifference(got, expected);
  if (at < 0) return;
  const window = (ids: readonly number[]) => {
    const from = Math.max(0, at - 3);
    const to = Math.min(ids.length, at + 5);
    const parts = ids.slice(from, to).map((id, k) => (from + k === at ? `▶${id} ${render.token(id)}` : `${id} ${render.token(id)}`));
    return `${from > 0 ? '… ' : ''}${parts.join(' · ')}${to < ids.length ? ' …' : ''}`;
  };
  const before = render.textBefore ? ` after ${quote(render.textBefore(expected, at).slice(-40), 60)}` : '';
  const lengths = got.length !== expected.length ? ` (${got.length} tokens, expected ${expected.length})` : '';
  throw new CheckFailure(`${what} differs at token ${at}${before}${lengths}${explain ? explain(at) : ''}`, {
    expected: `${window(expected)} — ${showIds(expected, 8)}`,
    actual: `${window(got)} — ${showIds(got, 8)}`,
  });
}
