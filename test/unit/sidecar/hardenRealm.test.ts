// hardenRealm freezes the built-ins of the process it runs in, for good: each case runs in a new
// Node process (test/support/freshNode.ts), which loads the compiled module, hardens, and
// reports what learner code reaching this realm's objects could and could not do.
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { inFreshNode } from '../../support/freshNode';

const MODULE = require.resolve('../../../sidecar/runner/hardenRealm');

/** Runs `code` after `const realm = require(<hardenRealm>)` in a fresh process. */
const fresh = (code: string): unknown => inFreshNode(`'use strict'; const realm = require(${JSON.stringify(MODULE)}); ${code}`, dirname(MODULE));

/** Code that reports, per expression, whether the object it gives is frozen. */
const frozenReport = (exprs: string[]) =>
  `report(Object.fromEntries([${exprs.map((e) => `[${JSON.stringify(e)}, (() => { const o = ${e}; return (typeof o === 'object' || typeof o === 'function') && o !== null && Object.isFrozen(o); })()]`).join(', ')}]));`;

describe('the checks\' realm hardened (hardenRealm.ts), in fresh processes', function () {
  this.timeout(60_000);

  it('is not hardened before hardenRealm(), and is after; a second call changes nothing', () => {
    const r = fresh(`
      const before = [realm.realmHardened(), Object.isFrozen(Object.prototype)];
      realm.hardenRealm();
      const after = realm.realmHardened();
      realm.hardenRealm();
      report({ before, after, again: realm.realmHardened() });`);
    assert.deepEqual(r, { before: [false, false], after: true, again: true });
  });

  const NAMED = [
    'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Promise',
    'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError',
    'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
    'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
    'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Proxy', 'Reflect', 'JSON', 'Math', 'Atomics',
    'Intl', 'WebAssembly', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURI', 'encodeURIComponent',
    'decodeURI', 'decodeURIComponent', 'escape', 'unescape', 'eval',
  ];
  const REACHED = [
    ...NAMED.filter((n) => /^[A-Z]/.test(n) && !['Proxy', 'Reflect', 'JSON', 'Math', 'Atomics', 'Intl', 'WebAssembly'].includes(n)).map((n) => `${n}.prototype`),
    'Intl.NumberFormat.prototype', 'WebAssembly.Module.prototype', 'Math.max', 'JSON.parse', 'Reflect.apply',
    'Object.getPrototypeOf(function* () {})',
    'Object.getPrototypeOf(async function () {})',
    'Object.getPrototypeOf(async function* () {})',
    'Object.getPrototypeOf(async function* () {}).prototype',
    'Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype)',
    'Object.getPrototypeOf(Int8Array)',
    'Object.getPrototypeOf([][Symbol.iterator]())',
    'Object.getPrototypeOf(new Map()[Symbol.iterator]())',
    'Object.getPrototypeOf(new Set()[Symbol.iterator]())',
    "Object.getPrototypeOf(''[Symbol.iterator]())",
    "Object.getPrototypeOf(/x/[Symbol.matchAll](''))",
    'Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))',
  ];

  it('freezes every named built-in, what hangs off it, and the hidden intrinsics', () => {
    const exprs = [...NAMED, ...REACHED];
    const r = fresh(`realm.hardenRealm(); ${frozenReport(exprs)}`) as Record<string, boolean>;
    assert.deepEqual(Object.keys(r).filter((k) => !r[k]), [], 'not frozen');
    assert.equal(Object.keys(r).length, exprs.length);
  });

  it('leaves objects of the process that are not built-ins alone: globalThis, process, a plain object', () => {
    const r = fresh(`realm.hardenRealm(); const mine = { a: 1 }; mine.b = 2; globalThis.added = 3; report({ global: Object.isFrozen(globalThis), process: Object.isFrozen(process), mine, added: globalThis.added });`);
    assert.deepEqual(r, { global: false, process: false, mine: { a: 1, b: 2 }, added: 3 });
  });

  it('the Function constructors behind every kind of function compile nothing, and cannot be put back', () => {
    const r = fresh(`
      realm.hardenRealm();
      const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
      const out = kinds.map((f) => {
        const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(f), 'constructor');
        let thrown;
        try { f.constructor('return 1'); } catch (e) { thrown = e.name + ': ' + e.message; }
        let restored = 'no';
        try { Object.defineProperty(Object.getPrototypeOf(f), 'constructor', { value: Function }); restored = 'yes'; } catch (e) { restored = e.name; }
        return { thrown, writable: d.writable, configurable: d.configurable, enumerable: d.enumerable, restored };
      });
      report(out);`);
    const refused = (kind: string) => ({ thrown: `EvalError: Code generation from strings disallowed for this context (${kind})`, writable: false, configurable: false, enumerable: false, restored: 'TypeError' });
    assert.deepEqual(r, ['Function', 'AsyncFunction', 'GeneratorFunction', 'AsyncGeneratorFunction'].map(refused));
  });

  it('refuses patches of built-ins that code under the checks relies on', () => {
    const r = fresh(`
      realm.hardenRealm();
      const tries = {
        every: () => { Array.prototype.every = () => true; },
        random: () => { Math.random = () => 4; },
        then: () => { Promise.prototype.then = () => 0; },
        prepareStackTrace: () => { Error.prepareStackTrace = (e, frames) => frames; },
        objectToString: () => { Object.prototype.toString = () => 'x'; },
        errorName: () => { Error.prototype.name = 'x'; },
        rangeMessage: () => { RangeError.prototype.message = 'x'; },
        newOnPrototype: () => { Object.prototype.polluted = 1; },
      };
      const out = {};
      for (const [k, f] of Object.entries(tries)) { try { f(); out[k] = 'patched'; } catch (e) { out[k] = e.name + (/frozen built-in/.test(e.message) ? ' (frozen built-in)' : ''); } }
      report({ out, every: [1, 2].every((x) => x > 5), name: Error.prototype.name, polluted: ({}).polluted === undefined });`);
    assert.deepEqual(r, {
      out: {
        every: 'TypeError',
        random: 'TypeError',
        then: 'TypeError',
        prepareStackTrace: 'TypeError',
        objectToString: 'TypeError (frozen built-in)',
        errorName: 'TypeError (frozen built-in)',
        rangeMessage: 'TypeError (frozen built-in)',
        newOnPrototype: 'TypeError',
      },
      every: false,
      name: 'Error',
      polluted: true,
    });
  });

  it('ordinary code that assigns inherited names on its own objects keeps working (the override mistake)', () => {
    const r = fresh(`
      realm.hardenRealm();
      const e = new Error('first'); e.name = 'MyError'; e.message = 'second';
      class Custom extends TypeError { constructor() { super('c'); this.name = 'Custom'; } }
      const c = new Custom();
      const r = new RangeError('r'); r.message = 'changed'; r.constructor = Custom;
      const o = { }; o.toString = () => 'mine'; o.valueOf = () => 7; o.hasOwnProperty = () => 'h'; o.constructor = 'k';
      const f = () => 0; f.toString = () => 'fn';
      const own = (x, k) => Object.prototype.hasOwnProperty.call(x, k);
      report({
        error: [e.name, e.message, String(e), own(e, 'name')],
        custom: [c.name, c instanceof TypeError, String(c)],
        range: [r.message, r.constructor === Custom, own(r, 'constructor')],
        object: [String(o), o + 1, o.hasOwnProperty(), o.constructor],
        fn: String(f),
        originals: [Error.prototype.name, Error.prototype.message, TypeError.prototype.name, ({}).toString(), Object.prototype.constructor === Object],
        accessor: typeof Object.getOwnPropertyDescriptor(Error.prototype, 'name').get,
        arrayPushIsData: 'value' in Object.getOwnPropertyDescriptor(Array.prototype, 'push'),
        thenIsData: 'value' in Object.getOwnPropertyDescriptor(Promise.prototype, 'then'),
      });`);
    assert.deepEqual(r, {
      error: ['MyError', 'second', 'MyError: second', true],
      custom: ['Custom', true, 'Custom: c'],
      range: ['changed', true, true],
      object: ['mine', 8, 'h', 'k'],
      fn: 'fn',
      originals: ['Error', '', 'TypeError', '[object Object]', true],
      accessor: 'function',
      arrayPushIsData: true,
      thenIsData: true,
    });
  });

  it('every inherited name code assigns on its own objects can be assigned, redefined, listed and deleted there', () => {
    const r = fresh(`
      realm.hardenRealm();
      const cases = [
        ['Object', () => ({}), ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']],
        ['Function', () => function f() {}, ['toString']],
        ...['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError'].map((E) =>
          [E, () => Object.create(globalThis[E].prototype), E === 'Error' ? ['constructor', 'name', 'message', 'toString'] : ['constructor', 'name', 'message']]),
      ];
      const failed = [];
      for (const [where, make, names] of cases) {
        for (const name of names) {
          try {
            const o = make();
            o[name] = 1;
            o[name] = 2;
            const d = Object.getOwnPropertyDescriptor(o, name);
            const listed = Object.keys(o).includes(name);
            delete o[name];
            const back = Object.prototype.hasOwnProperty.call(o, name);
            const proto = Object.getOwnPropertyDescriptor(globalThis[where].prototype, name);
            if (!(d.value === 2 && d.writable && d.enumerable && d.configurable && listed && !back && proto.get && !proto.configurable)) failed.push(where + '.' + name + ' ' + JSON.stringify(d));
          } catch (e) {
            failed.push(where + '.' + name + ': ' + e.message);
          }
        }
      }
      report(failed);`);
    assert.deepEqual(r, []);
  });

  it('harden() freezes an object deeply: values, accessors, prototypes, cycles; primitives pass', () => {
    const r = fresh(`
      const get = () => 1, set = () => undefined;
      const proto = { inherited: {} };
      const o = Object.create(proto);
      o.nested = { deeper: [{}] };
      o.self = o;
      Object.defineProperty(o, 'acc', { get, set, enumerable: true });
      o[Symbol.for('s')] = {};
      realm.harden(o);
      realm.harden(1); realm.harden(null); realm.harden('s');
      report([o, proto, proto.inherited, o.nested, o.nested.deeper, o.nested.deeper[0], get, set, o[Symbol.for('s')]].map(Object.isFrozen).concat(realm.realmHardened()));`);
    assert.deepEqual(r, [true, true, true, true, true, true, true, true, true, false]);
  });
});
