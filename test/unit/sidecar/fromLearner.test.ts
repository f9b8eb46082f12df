// Values crossing between the learner's realm and the checks': Maps and Sets arrive as this
// realm's own, without running the learner's patched methods, and a copy handed back to
// learner code is the learner's own object again.
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { Crossing, fromLearner, learnerFunction, toLearner } from '../../../sidecar/runner/fromLearner';

function crossing(): Crossing {
  return { tensorPrototypes: new Set(), learnerOrigins: new WeakMap(), callLearner: (call) => call() };
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
