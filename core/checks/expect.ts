// Assertions for lab checks. Each failure says what was expected and what came back —
// the shape, the first wrong index, the values — because that is what a learner debugs from.
// They read tensors with `await tensor.array()`, never arraySync(): on the webgpu backend in Node
// a synchronous read is impossible (tfjs-backend-webgpu needs OffscreenCanvas for it), so every
// assertion that may see a tensor is async and a check awaits it (test/unit/checks/awaitedChecks).
import type * as tfTypes from '@tensorflow/tfjs-core';
import { CheckFailure } from './checkApi';
import { tracked } from './assertionTracking';

export { forgetAssertions, settleAssertions } from './assertionTracking';

export type Numeric = number | Numeric[];


/** A plain nested array from a tensor, a typed array or nested arrays; anything else fails. */
export const toNested = tracked(async function toNested(value: unknown, what: string): Promise<Numeric> {
  const v = value as { array?: () => Promise<Numeric>; shape?: number[]; isDisposed?: boolean };
  if (v && typeof v === 'object' && typeof v.array === 'function' && Array.isArray(v.shape)) {
    if (v.isDisposed) throw new CheckFailure(`${what} is a tensor that was already disposed`, { actual: 'a disposed tensor' });
    return await v.array();
  }
  // A check that forgot an `await` hands over a promise: say so, not "should be numbers".
  if (value instanceof Promise) throw new Error(`${what} is a promise: the check must await it (a bug in the check, not in your code)`);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value) || typeof value === 'number') return value as Numeric;
  throw new CheckFailure(`${what} should be numbers (an array or a tensor)`, {
    expected: 'number[], number[][] or a tf.Tensor',
    actual: describe(value),
  });
});

export function describe(value: unknown): string {
  if (value === undefined) return 'undefined (did you forget to return?)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object with keys {${Object.keys(value as object).join(', ')}}`;
  return `${typeof value} ${String(value)}`;
}

/** Shape of a rectangular nested array; throws a CheckFailure for ragged rows. */
export function shapeOf(x: Numeric, what: string): number[] {
  if (typeof x === 'number') return [];
  if (x.length === 0) return [0];
  const inner = shapeOf(x[0], what);
  x.forEach((row, i) => {
    const s = shapeOf(row, what);
    if (s.join() !== inner.join()) {
      throw new CheckFailure(`${what} is ragged: row ${i} has shape [${s}] but row 0 has [${inner}]`);
    }
  });
  return [x.length, ...inner];
}

function flatten(x: Numeric, out: number[] = []): number[] {
  if (typeof x === 'number') out.push(x);
  else for (const v of x) flatten(v, out);
  return out;
}

function indexOf(flat: number, shape: number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join('][')}]`;
}

export function fmt(n: number): string {
  // Stryker disable next-line ConditionalExpression: without it NaN prints as String(Number('NaN')) and ±Infinity as toExponential: the same text
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(4) : String(Number(n.toFixed(6)));
}

/**
 * Two numbers with just enough significant digits to tell them apart (at least 6), so that a
 * failure never reads "expected 0.326728, got 0.326728".
 */
export function fmtPair(expected: number, actual: number): [string, string] {
  if (!Number.isFinite(expected) || !Number.isFinite(actual) || expected === actual) return [fmt(expected), fmt(actual)];
  // Stryker disable next-line EqualityOperator: at 17 significant digits two different doubles always differ and print as String() does, so stopping at 16 returns the same strings below
  for (let digits = 6; digits <= 17; digits++) {
    const e = Number(expected.toPrecision(digits));
    const a = Number(actual.toPrecision(digits));
    if (e !== a) return [String(e), String(a)];
  }
  return [String(expected), String(actual)];
}

/** "|Δ| 4.2e-7, relative 1.3e-6; tolerance |Δ| ≤ 1e-7 + 1e-6·|expected| = 4.3e-7". */
export function describeDifference(expected: number, actual: number, atol: number, rtol: number): string {
  if (!Number.isFinite(actual)) return `tolerance |Δ| ≤ ${sci(atol)}${rtol > 0 ? ` + ${sci(rtol)}·|expected|` : ''}`;
  const abs = Math.abs(actual - expected);
  // Stryker disable next-line ConditionalExpression: abs / 0 is Infinity (NaN when abs is 0), not finite either way: the text is the same
  const rel = expected === 0 ? Infinity : abs / Math.abs(expected);
  const allowed = atol + rtol * Math.abs(expected);
  const relText = Number.isFinite(rel) ? `, relative ${sci(rel)}` : '';
  return `|Δ| ${sci(abs)}${relText}; tolerance |Δ| ≤ ${sci(atol)}${rtol > 0 ? ` + ${sci(rtol)}·|expected| = ${sci(allowed)}` : ''}`;
}

function sci(n: number): string {
  return n === 0 ? '0' : Math.abs(n) >= 1e-3 && Math.abs(n) < 1e4 ? String(Number(n.toPrecision(3))) : n.toExponential(2);
}

function preview(x: Numeric): string {
  const s = JSON.stringify(x, (_, v) => (typeof v === 'number' ? Number(fmt(v)) : v));
  return s.length > 160 ? s.slice(0, 157) + '…' : s;
}

export const expectShape = tracked(async function expectShape(value: unknown, shape: number[], what: string): Promise<Numeric> {
  const x = await toNested(value, what);
  const actual = shapeOf(x, what);
  if (actual.join() !== shape.join()) {
    throw new CheckFailure(`${what} has the wrong shape: expected [${shape.join(', ')}], got [${actual.join(', ')}]`, {
      expected: `[${shape.join(', ')}]`,
      actual: `[${actual.join(', ')}]`,
    });
  }
  return x;
});

export const expectFinite = tracked(async function expectFinite(value: unknown, what: string): Promise<Numeric> {
  const x = await toNested(value, what);
  const shape = shapeOf(x, what);
  const flat = flatten(x);
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything that is not a number, so the typeof test never decides alone
  const bad = flat.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) {
    throw new CheckFailure(`${what} contains ${flat[bad]} at ${indexOf(bad, shape)}`, {
      expected: 'finite numbers everywhere',
      actual: `${flat[bad]} at ${indexOf(bad, shape)}`,
    });
  }
  return x;
});

export interface CloseOptions {
  /** |a - e| <= atol + rtol·|e| passes; float32 needs about 1e-4. */
  atol?: number;
  rtol?: number;
  /**
   * Results of known mistakes: when the learner's value matches one of them (same shape, same
   * tolerance), the failure says which mistake it is, e.g. "that is the result without the √d".
   */
  known?: KnownMistake[];
}

export interface KnownMistake {
  /** What the mistaken code returns for the same input (computed lazily when a function, which may be async). */
  value: unknown | (() => unknown);
  /** Completes "— …": what the learner most likely did, and the idea of the fix. */
  means: string;
}

function allClose(xf: number[], ef: number[], atol: number, rtol: number): boolean {
  // Stryker disable next-line ConditionalExpression: the only caller, recognise(), compared the shapes first
  return xf.length === ef.length && ef.every((e, i) => Number.isFinite(xf[i]) && Math.abs(xf[i] - e) <= atol + rtol * Math.abs(e));
}

/** The first known mistake whose result the learner's value reproduces. */
async function recognise(x: Numeric, xShape: number[], known: KnownMistake[], atol: number, rtol: number): Promise<KnownMistake | undefined> {
  const xf = flatten(x);
  for (const k of known) {
    try {
      // Stryker disable next-line StringLiteral: the name is only in a CheckFailure that the catch below turns into "no match"
      const v = await toNested(typeof k.value === 'function' ? await (k.value as () => unknown)() : k.value, 'a known mistake');
      // Stryker disable next-line StringLiteral: the name is only in a CheckFailure that the catch below turns into "no match"
      if (shapeOf(v, 'a known mistake').join() === xShape.join() && allClose(xf, flatten(v), atol, rtol)) return k;
    } catch {
      // A known mistake that cannot be computed for this input is not the learner's.
    }
  }
  return undefined;
}

export const expectAllClose = tracked(async function expectAllClose(value: unknown, expected: unknown, what: string, opts: CloseOptions = {}): Promise<void> {
  const atol = opts.atol ?? 1e-4;
  const rtol = opts.rtol ?? 1e-4;
  const e = await toNested(expected, 'the reference');
  const eShape = shapeOf(e, 'the reference');
  const x = await expectShape(value, eShape, what);
  const xf = flatten(x);
  const ef = flatten(e);
  for (let i = 0; i < ef.length; i++) {
    const ok = Number.isFinite(xf[i]) && Math.abs(xf[i] - ef[i]) <= atol + rtol * Math.abs(ef[i]);
    if (!ok) {
      const [ex, ac] = fmtPair(ef[i], xf[i]);
      const mistake = opts.known ? await recognise(x, eShape, opts.known, atol, rtol) : undefined;
      throw new CheckFailure(
        `${what} differs from the reference at ${indexOf(i, eShape)}: expected ${ex}, got ${ac} (${describeDifference(ef[i], xf[i], atol, rtol)})${mistake ? ` — ${mistake.means}` : ''}`,
        { expected: preview(e), actual: preview(x) },
      );
    }
  }
});

/** Every row (last axis) sums to 1, except rows listed in `zeroRows`, which must sum to 0. */
export const expectRowsSumToOne = tracked(async function expectRowsSumToOne(value: unknown, what: string, tol: number = 1e-4): Promise<void> {
  const x = await expectFinite(value, what);
  const shape = shapeOf(x, what);
  const flat = flatten(x);
  const width = shape[shape.length - 1];
  // Stryker disable next-line ArithmeticOperator,EqualityOperator: rows past the end read undefined, sum to NaN, and NaN > tol is false: only the real rows can fail
  for (let r = 0; r * width < flat.length; r++) {
    let sum = 0;
    for (let c = 0; c < width; c++) sum += flat[r * width + c];
    if (Math.abs(sum - 1) > tol) {
      const which = shape.length === 1 ? what : `row ${indexOf(r * width, shape).replace(/\[0\]$/, '')} of ${what}`;
      throw new CheckFailure(`${which} sums to ${fmt(sum)}, but probabilities must sum to 1`, {
        expected: '1',
        actual: fmt(sum),
      });
    }
  }
});

/** Entries where `keep(index…)` is false must be exactly 0 (within tol). */
export const expectZerosWhere = tracked(async function expectZerosWhere(value: unknown, blocked: (idx: number[]) => boolean, what: string, why: string, tol: number = 1e-6): Promise<void> {
  const x = await expectFinite(value, what);
  const shape = shapeOf(x, what);
  const flat = flatten(x);
  for (let i = 0; i < flat.length; i++) {
    const idx: number[] = [];
    let f = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(f % shape[d]);
      f = Math.floor(f / shape[d]);
    }
    if (blocked(idx) && Math.abs(flat[i]) > tol) {
      throw new CheckFailure(`${what}${indexOf(i, shape)} is ${fmt(flat[i])} but should be 0: ${why}`, {
        expected: '0',
        actual: fmt(flat[i]),
      });
    }
  }
});

/** A `{ output, weights }` result, with a clear message when the learner returned something else. */
export function expectOutputAndWeights(value: unknown, what: string): { output: unknown; weights: unknown } {
  const v = value as { output?: unknown; weights?: unknown } | undefined;
  if (!v || typeof v !== 'object' || !('output' in v) || !('weights' in v)) {
    throw new CheckFailure(`${what} should return { output, weights }`, { expected: '{ output, weights }', actual: describe(value) });
  }
  return { output: v.output, weights: v.weights };
}

export type Tensor = tfTypes.Tensor;
