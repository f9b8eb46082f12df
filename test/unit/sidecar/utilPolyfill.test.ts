// The util.is* helpers put back for native tfjs on Node >= 23 (sidecar/backend/utilPolyfill.ts)
// answer as Node's own did (Node 22's util documents each), on one value of every kind.
import assert from 'node:assert/strict';
import { polyfillUtilIs } from '../../../sidecar/backend/utilPolyfill';

const SAMPLES: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['number', 0],
  ['string', ''],
  ['boolean', false],
  ['symbol', Symbol('s')],
  ['array', []],
  ['object', {}],
  ['function', () => 1],
  ['error', new TypeError('t')],
  ['date', new Date(0)],
  ['regexp', /x/],
];

/** For each helper, the sample kinds it says yes to. */
const YES: Record<string, string[]> = {
  isArray: ['array'],
  isBoolean: ['boolean'],
  isNull: ['null'],
  isNullOrUndefined: ['null', 'undefined'],
  isNumber: ['number'],
  isString: ['string'],
  isSymbol: ['symbol'],
  isUndefined: ['undefined'],
  isObject: ['array', 'object', 'error', 'date', 'regexp'],
  isFunction: ['function'],
  isPrimitive: ['null', 'undefined', 'number', 'string', 'boolean', 'symbol'],
  isError: ['error'],
  isDate: ['date'],
  isRegExp: ['regexp'],
};

describe('util.is* polyfill', () => {
  it('adds every helper to an empty target, each answering as Node\'s did', () => {
    const target: Record<string, unknown> = {};
    assert.deepEqual(polyfillUtilIs(target).sort(), Object.keys(YES).sort());
    for (const [name, yes] of Object.entries(YES)) {
      const fn = target[name] as (v: unknown) => boolean;
      assert.deepEqual(SAMPLES.filter(([, v]) => fn(v)).map(([kind]) => kind), yes, name);
    }
  });

  it('replaces a non-function of the same name, keeps a function, and adds nothing to a frozen target', () => {
    const own = () => true;
    const target: Record<string, unknown> = { isNull: 'not a function', isDate: own };
    const added = polyfillUtilIs(target);
    assert.ok(added.includes('isNull'));
    assert.equal((target.isNull as (v: unknown) => boolean)(null), true);
    assert.ok(!added.includes('isDate'));
    assert.equal(target.isDate, own);
    assert.deepEqual(polyfillUtilIs(Object.freeze({}) as Record<string, unknown>), [], 'a frozen target cannot take them');
  });
});
