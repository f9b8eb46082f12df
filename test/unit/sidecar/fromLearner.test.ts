// Values crossing between the learner's realm and the checks': Maps and Sets arrive as this
// realm's own, without running the learner's patched methods, and a copy handed back to
// learner code is the learner's own object again.
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { Crossing, fromLearner, learnerFunction, toLearner } from '../../../sidecar/runner/fromLearner';
import { LearnerError } from '../../../sidecar/runner/learnerErrors';

/** A crossing that counts the learner calls made through it. */
function crossing(tensorPrototypes: object[] = []): Crossing & { calls: number } {
  const c = { tensorPrototypes: new Set(tensorPrototypes), learnerOrigins: new WeakMap<object, object>(), calls: 0, callLearner: <T>(call: () => T): T => (c.calls++, call()), learnerError: (reason: unknown) => new LearnerError(`threw ${String(reason)}`) };
  return c;
}

describe('values crossing the realm boundary', () => {
  it("a learner Map or Set arrives as this realm's, copied without the learner's patched iterators", () => {
    const realm = vm.createContext({});
    const made = vm.runInContext(
      `Map.prototype[Symbol.iterator] = Map.prototype.entries = function () { throw new Error('learner code ran'); };
       Set.prototype[Symbol.iterator] = Set.prototype.values = function () { throw new Error('learner code ran'); };
       ({ m: new Map([['ab', [1, 2]], ['c', [3]]]), s: new Set([4, 5]) })`,
      realm,
    ) as { m: unknown; s: unknown };
    const c = crossing();
    const m = fromLearner(made.m, c) as Map<string, number[]>;
    const s = fromLearner(made.s, c) as Set<number>;
    assert.ok(m instanceof Map, 'a Map of this realm');
    assert.ok(s instanceof Set, 'a Set of this realm');
    assert.deepEqual([...m], [['ab', [1, 2]], ['c', [3]]]);
    assert.ok(m.get('ab') instanceof Array, 'its values copied too');
    assert.deepEqual([...s], [4, 5]);
  });

  it("something that only looks like a Map is copied as a plain object", () => {
    const fake = { size: 1, entries: () => [['k', 1]][Symbol.iterator](), get: () => 1 };
    const out = fromLearner(fake, crossing());
    assert.ok(!(out instanceof Map));
  });

  it("a copy the check hands back reaches learner code as the learner's own object; the check's own values stay copies", () => {
    const c = crossing();
    const tokenizer = { merges: new Map([[1, 2]]), vocab: [1, 2, 3] };
    const copyOfIt = fromLearner(tokenizer, c) as typeof tokenizer;
    assert.notEqual(copyOfIt, tokenizer);
    assert.equal(toLearner(copyOfIt, c), tokenizer);
    assert.equal(toLearner(copyOfIt.merges, c), tokenizer.merges, 'nested copies too');
    const mine = [1, 2];
    assert.notEqual(toLearner(mine, c), mine, "the check's own array is copied");
    const seen: unknown[] = [];
    const encode = learnerFunction((t: unknown) => (seen.push(t), 0), c);
    encode(copyOfIt);
    assert.equal(seen[0], tokenizer);
    assert.notEqual(toLearner(copyOfIt, crossing()), tokenizer, 'only within the run that made the copy');
  });

  it("a Map's entries are read from the Map itself, not from properties the learner set on it", () => {
    const m = new Map<number, number>([[1, 10], [2, 20]]);
    Object.defineProperty(m, 'size', { value: 0 });
    Object.defineProperty(m, 'entries', { value: () => [][Symbol.iterator]() });
    assert.deepEqual([...(fromLearner(m, crossing()) as Map<number, number>)], [[1, 10], [2, 20]]);
  });
});

// Each rule of the copy, value by value (issue 18: the survivors of the runner's mutation run).
describe('values crossing the realm boundary: rule by rule', () => {
  const learnerRealm = () => vm.createContext({});

  it('primitives cross as they are; null too', () => {
    const c = crossing();
    for (const v of [0, -1.5, NaN, 'text', '', true, undefined, null, 10n]) assert.equal(fromLearner(v, c), v);
    const sym = Symbol('s');
    assert.equal(toLearner(sym, c), sym);
  });

  it('a real tensor passes as it is, unless it has own methods or getters; anything else with another prototype is copied', () => {
    class FakeTensor {
      shape = [2];
      dtype = 'float32';
    }
    const c = crossing([FakeTensor.prototype]);
    const t = new FakeTensor();
    assert.equal(fromLearner(t, c), t, 'its prototype is a tensor prototype: the same object');
    assert.equal(c.learnerOrigins.has(t), false, 'no copy was made, none recorded');
    const withMethod = Object.assign(new FakeTensor(), { dataSync: () => [1] });
    assert.notEqual(fromLearner(withMethod, c), withMethod, 'an own method: copied');
    const withGetter = new FakeTensor();
    Object.defineProperty(withGetter, 'size', { get: () => 2, enumerable: true });
    assert.notEqual(fromLearner(withGetter, c), withGetter, 'an own getter: copied');
    const plain = { shape: [2], dtype: 'float32' };
    const copied = fromLearner(plain, c);
    assert.notEqual(copied, plain);
    assert.deepEqual(copied, plain);
    assert.equal(c.learnerOrigins.get(copied as object), plain, 'a copy remembers the learner object it stands for');
  });

  it('typed arrays of another realm arrive as this realm\'s, same kind and values; a DataView as an empty object', () => {
    const realm = learnerRealm();
    const made = vm.runInContext('({ f: new Float32Array([1.5, -2]), i: new Int32Array([7, 8, 9]), u: new Uint8ClampedArray([300]), b: new BigInt64Array([5n]), d: new DataView(new ArrayBuffer(4)) })', realm) as Record<string, unknown>;
    const c = crossing();
    const f = fromLearner(made.f, c);
    assert.ok(f instanceof Float32Array);
    assert.notEqual(f, made.f);
    assert.deepEqual([...f], [1.5, -2]);
    const i = fromLearner(made.i, c);
    assert.ok(i instanceof Int32Array);
    assert.deepEqual([...(i as Int32Array)], [7, 8, 9]);
    assert.deepEqual([...(fromLearner(made.u, c) as Uint8ClampedArray)], [255]);
    assert.ok(fromLearner(made.b, c) instanceof BigInt64Array);
    const d = fromLearner(made.d, c);
    assert.deepEqual(d, {});
    assert.ok(!(d instanceof DataView));
  });

  it('arrays, objects, Maps and Sets are copied deeply into this realm\'s built-ins, holes as undefined, own enumerable keys only', () => {
    const realm = learnerRealm();
    const made = vm.runInContext(`
      const proto = { inherited: 1 };
      const o = Object.create(proto);
      o.a = [1, [2, 3]];
      Object.defineProperty(o, 'hidden', { value: 1, enumerable: false });
      ({ o, holes: [1, , 3], m: new Map([[{ k: 1 }, [1]]]), s: new Set([[2]]) })`, realm) as Record<string, unknown>;
    const c = crossing();
    const o = fromLearner(made.o, c) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(o), Object.prototype);
    assert.deepEqual(Object.keys(o), ['a']);
    assert.ok(o.a instanceof Array && (o.a as unknown[])[1] instanceof Array, 'nested arrays are this realm\'s');
    const holes = fromLearner(made.holes, c) as unknown[];
    assert.deepEqual(holes, [1, undefined, 3]);
    assert.ok(1 in holes, 'a hole becomes an element');
    const m = fromLearner(made.m, c) as Map<Record<string, number>, unknown>;
    const [[key, value]] = [...m];
    assert.equal(Object.getPrototypeOf(key), Object.prototype, 'keys copied');
    assert.ok(value instanceof Array, 'values copied');
    const [inner] = [...(fromLearner(made.s, c) as Set<unknown>)];
    assert.ok(inner instanceof Array, 'Set elements copied');
  });

  it('a value nested 64 levels deep crosses; one more level is refused, as are cycles — but the same object twice is fine', () => {
    const c = crossing();
    // 64 containers inside each other (the innermost at depth 63) cross; a 65th is refused.
    const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);
    assert.doesNotThrow(() => fromLearner(nest(64), c));
    assert.throws(() => fromLearner(nest(65), c), (e: Error) => e instanceof LearnerError && e.message === 'returned a value nested more than 64 levels deep');
    const mapNest = (n: number): unknown => (n === 0 ? 1 : new Map([[1, mapNest(n - 1)]]));
    assert.doesNotThrow(() => fromLearner(mapNest(64), c));
    assert.throws(() => fromLearner(mapNest(65), c), /nested more than 64 levels/);
    const setNest = (n: number): unknown => (n === 0 ? 1 : new Set([setNest(n - 1)]));
    assert.throws(() => fromLearner(setNest(65), c), /nested more than 64 levels/);
    assert.doesNotThrow(() => fromLearner(setNest(64), c));
    const mapKeyNest = (n: number): unknown => (n === 0 ? 1 : new Map([[mapKeyNest(n - 1), 1]]));
    assert.throws(() => fromLearner(mapKeyNest(65), c), /nested more than 64 levels/);
    const objNest = (n: number): unknown => (n === 0 ? 1 : { x: objNest(n - 1) });
    assert.throws(() => fromLearner(objNest(65), c), /nested more than 64 levels/);
    assert.doesNotThrow(() => fromLearner(objNest(64), c));
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    assert.throws(() => fromLearner(cyclic, c), (e: Error) => e instanceof LearnerError && e.message === 'returned a value that contains itself (a cycle)');
    const shared = [1, 2];
    assert.deepEqual(fromLearner({ a: shared, b: shared, c: [shared] }, c), { a: [1, 2], b: [1, 2], c: [[1, 2]] });
  });

  it('an array longer than 50,000,000 elements is refused before it is copied', () => {
    const huge = new Array(50_000_001);
    assert.throws(() => fromLearner(huge, crossing()), (e: Error) => e instanceof LearnerError && e.message === 'returned an array of 50000001 elements');
  });

  it('a learner function is called through callLearner with copies in and out; a check\'s callback given to learner code sees copies both ways', () => {
    const c = crossing();
    const seen: unknown[] = [];
    const learnerFn = (a: number[]) => {
      seen.push(a);
      return [a.length];
    };
    const arg = [1, 2, 3];
    const wrapped = fromLearner(learnerFn, c) as (a: number[]) => number[];
    assert.notEqual(wrapped, learnerFn);
    assert.deepEqual(wrapped(arg), [3]);
    assert.equal(c.calls, 1, 'called through callLearner');
    assert.notEqual(seen[0], arg, 'the learner got a copy of the check\'s array');
    const shared = learnerFunction(learnerFn, c, true) as (a: number[]) => number[];
    shared(arg);
    assert.equal(seen[1], arg, 'shared arguments are the check\'s own');

    const got: unknown[] = [];
    const callback = function (this: unknown, x: number[]) {
      got.push(x, this);
      return [x[0] * 2];
    };
    const forLearner = toLearner(callback, c) as (this: unknown, x: number[]) => number[];
    assert.notEqual(forLearner, callback);
    const learnerArray = [21];
    const self = { me: true };
    const back = forLearner.call(self, learnerArray);
    assert.deepEqual(back, [42]);
    assert.notEqual(got[0], learnerArray, 'the check got a copy of the learner\'s array');
    assert.equal(got[1], self, 'this is passed through');
    assert.equal(c.calls, 2, 'a check function is not a learner call');
  });

  it('an async learner function (with async) gives a promise of a copy; without async, a sentence', async () => {
    const realm = vm.createContext({});
    const f = vm.runInContext(`(async () => { await null; return [1, [2, 3]]; })`, realm) as () => unknown;
    const c = crossing();
    const got = learnerFunction(f, c, false, true)() as Promise<unknown>;
    assert.ok(got instanceof Promise, "a promise of the checks' realm");
    const value = (await got) as unknown[];
    assert.ok(value instanceof Array, "the value copied into the checks' realm");
    assert.deepEqual(value, [1, [2, 3]]);
    const plain = learnerFunction(() => 5, c, false, true)() as Promise<unknown>;
    assert.equal(await plain, 5, 'a synchronous function with async gives a promise too');
    assert.throws(() => learnerFunction(f, c)(), /your function returned a promise \(is it declared async\?\)/);
  });

  it("an async learner function's rejection is reported through learnerError", async () => {
    const realm = vm.createContext({});
    const f = vm.runInContext(`(async () => { throw new Error('late'); })`, realm) as () => unknown;
    await assert.rejects(learnerFunction(f, crossing(), false, true)() as Promise<unknown>, (e: Error) => e instanceof LearnerError && /late/.test(e.message));
  });
});
