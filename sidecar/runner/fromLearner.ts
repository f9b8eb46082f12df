// The boundary between the checks and learner code, as values cross it. What learner code
// returns may belong to its own realm, where it can have patched every method: a check that
// called result.every(…) or for…of on it would run learner code holding the check's callback
// (and could be told "true"). So a returned value reaches the check as a copy built here, with
// this realm's built-ins: plain arrays, plain objects, Maps, Sets, typed arrays, numbers, strings. Tensors
// pass as they are when they are real TensorFlow.js tensors. Functions are wrapped so that
// what crosses them is copied the same way.
//
// A learner function a lab lets be async (one that reads tensors with `await`, as it must on the
// webgpu backend) returns a promise of the learner's realm. The check gets a promise of this
// realm instead, settled by this realm's Promise.prototype.then on the learner's (no method of the
// learner's promise runs), whose value is copied as above and whose rejection is mapped to the
// learner's line. A promise anywhere else — from a function that must return its result, or
// inside a returned object — is refused with a sentence that says so.
//
// Arguments go the other way as copies too: an array a check passes cannot be emptied or
// rewritten by learner code before the check computes the reference from it (unless the
// check asks to share them, to see what the learner's function does to its arguments).
import { types } from 'node:util';
import { LearnerError } from './learnerErrors';

const MAX_DEPTH = 64;
const MAX_LENGTH = 50_000_000;

const { getPrototypeOf, getOwnPropertyDescriptor, keys } = Object;
const promiseThen = Promise.prototype.then;
const isPromise = types.isPromise;
const isArray = Array.isArray;
const TypedArray = getPrototypeOf(Int8Array.prototype) as object;
const typedArrayName = getOwnPropertyDescriptor(TypedArray, Symbol.toStringTag)!.get!;
const typedArrayLength = getOwnPropertyDescriptor(TypedArray, 'length')!.get!;
// Brand checks that work on a Map or Set of any realm and run no code of the value's own.
const mapSize = getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const setSize = getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const TYPED: Record<string, new (n: number) => { set(a: unknown): void }> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
  BigInt64Array, BigUint64Array,
};

export interface Crossing {
  /** Prototypes of real tensors (tf.Tensor.prototype, tf.Variable.prototype). */
  tensorPrototypes: ReadonlySet<object>;
  /**
   * For every copy made of a learner value in this run: the learner's own object. When the
   * check hands such a copy back (a tokenizer the learner built, passed to its encoder), the
   * learner gets its own object again: no second copy, and its identity kept.
   */
  learnerOrigins: WeakMap<object, object>;
  /** Wraps a learner function's call (maps its throws to the learner's line). */
  callLearner<T>(call: () => T): T;
  /** The learner function whose values cross here, for messages ("pooledSentence returned …"). */
  name?: string;
  /** What an async learner function rejected with, as the error the check reports. */
  learnerError(reason: unknown): Error;
}

function isRealTensor(v: object, c: Crossing): boolean {
  if (!c.tensorPrototypes.has(getPrototypeOf(v) as object)) return false;
  // Own methods or getters on a tensor would run learner code inside the check.
  for (const k of keys(v)) {
    const d = getOwnPropertyDescriptor(v, k);
    if (!d || !('value' in d) || typeof d.value === 'function') return false;
  }
  return true;
}

function copyTyped(v: object): unknown {
  const name = typedArrayName.call(v) as string | undefined;
  const C = name ? TYPED[name] : undefined;
  if (!C) return undefined;
  const out = new C(typedArrayLength.call(v) as number);
  out.set(v);
  return out;
}

function isBranded(v: object, sizeGetter: () => number): boolean {
  try {
    sizeGetter.call(v);
    return true;
  } catch {
    return false;
  }
}

interface Direction {
  wrap(f: Function): Function;
  /** Learner → check: remember which learner object a copy stands for. */
  made?(copy: object, original: object): void;
}

function copy(v: unknown, c: Crossing, depth: number, seen: Set<object>, dir: Direction): unknown {
  if (typeof v !== 'object' && typeof v !== 'function') return v;
  if (v === null) return v;
  const out = copyObject(v, c, depth, seen, dir);
  if (dir.made && out !== v && (typeof out === 'object' || typeof out === 'function') && out !== null) dir.made(out, v);
  return out;
}

function copyObject(v: object, c: Crossing, depth: number, seen: Set<object>, dir: Direction): unknown {
  if (!dir.made) {
    const own = c.learnerOrigins.get(v);
    if (own) return own;
  }
  if (typeof v === 'function') return dir.wrap(v);
  if (isRealTensor(v, c)) return v;
  if (dir.made && isPromise(v)) {
    ignoreRejection(v);
    const who = c.name ?? 'your function';
    throw new LearnerError(
      depth === 0
        ? `${who} returned a promise (is it declared async?): it must return its result itself, not a promise of it`
        : `${who} returned an object holding a promise: await it and put the value in the object`,
    );
  }
  if (ArrayBuffer.isView(v)) return copyTyped(v) ?? {};
  if (depth >= MAX_DEPTH) throw new LearnerError(`returned a value nested more than ${MAX_DEPTH} levels deep`);
  if (seen.has(v)) throw new LearnerError('returned a value that contains itself (a cycle)');
  seen.add(v);
  try {
    // Arrays first: the Map and Set brand checks below throw for every other object, and a
    // tokenizer's 50,000 merges are 50,000 small arrays.
    if (isArray(v)) {
      const n = v.length;
      if (!(n <= MAX_LENGTH)) throw new LearnerError(`returned an array of ${n} elements`);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = copy(v[i], c, depth + 1, seen, dir);
      return out;
    }
    if (isBranded(v, mapSize)) {
      const n = mapSize.call(v);
      if (!(n <= MAX_LENGTH)) throw new LearnerError(`returned a Map of ${n} entries`);
      const out = new Map<unknown, unknown>();
      for (const [k, x] of mapEntries.call(v as Map<unknown, unknown>)) out.set(copy(k, c, depth + 1, seen, dir), copy(x, c, depth + 1, seen, dir));
      return out;
    }
    if (isBranded(v, setSize)) {
      const n = setSize.call(v);
      if (!(n <= MAX_LENGTH)) throw new LearnerError(`returned a Set of ${n} elements`);
      const out = new Set<unknown>();
      for (const x of setValues.call(v as Set<unknown>)) out.add(copy(x, c, depth + 1, seen, dir));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys(v)) out[k] = copy((v as Record<string, unknown>)[k], c, depth + 1, seen, dir);
    return out;
  } finally {
    seen.delete(v);
  }
}

/** A learner value as the check may use it. Runs inside the learner call's error mapping. */
export function fromLearner(v: unknown, c: Crossing): unknown {
  return copy(v, c, 0, new Set(), { wrap: (f) => learnerFunction(f, c), made: (out, original) => c.learnerOrigins.set(out, original) });
}

/** A check's value as learner code receives it. */
export function toLearner(v: unknown, c: Crossing): unknown {
  return copy(v, c, 0, new Set(), { wrap: (f) => checkFunction(f, c) });
}

/** A learner promise nobody will use: its rejection must not end the process as an unhandled one. */
function ignoreRejection(p: object): void {
  try {
    Reflect.apply(promiseThen, p, [undefined, () => undefined]);
  } catch {
    // A promise whose constructor the learner replaced with one that throws: nothing to ignore.
  }
}

/** A learner promise as a promise of this realm, of the copied value or the mapped error. */
function settled(p: object, c: Crossing): Promise<unknown> {
  return new Promise((resolve, reject) => {
    try {
      Reflect.apply(promiseThen, p, [
        (value: unknown) => {
          try {
            resolve(c.callLearner(() => fromLearner(value, c)));
          } catch (err) {
            reject(err);
          }
        },
        (reason: unknown) => reject(c.learnerError(reason)),
      ]);
    } catch (err) {
      // then() reads the promise's constructor, which learner code may have replaced.
      reject(c.learnerError(err));
    }
  });
}

/**
 * A learner function the check may call: arguments copied in (unless shared), the result copied
 * out. With `async`, the call returns a promise of the result, whether the learner's function
 * returned a promise or the value itself.
 */
export function learnerFunction(f: Function, c: Crossing, shareArguments = false, async = false): (...args: unknown[]) => unknown {
  const call = (args: unknown[]): unknown => Reflect.apply(f, undefined, shareArguments ? args : args.map((a) => toLearner(a, c)));
  if (!async) return (...args: unknown[]) => c.callLearner(() => fromLearner(call(args), c));
  return async (...args: unknown[]) => {
    const out = c.callLearner(() => call(args));
    return isPromise(out) ? settled(out, c) : c.callLearner(() => fromLearner(out, c));
  };
}

/** A check's function (a callback) that learner code may call, seeing only copies both ways. */
function checkFunction(f: Function, c: Crossing): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    return toLearner(Reflect.apply(f, this, args.map((a) => fromLearner(a, c))), c);
  };
}
