// The check process's own realm — where TensorFlow.js and the lab's checks run — made safe to
// hand objects from to learner code. Learner code runs in a realm of its own (learnerRealm.ts),
// but every tensor, array or error it receives from TensorFlow.js belongs to this realm, and from
// any of them it can climb to this realm's built-ins (t.shape.constructor.prototype is the
// checks' Array.prototype). So, once TensorFlow.js is loaded and before any learner code runs:
//  - every built-in object is frozen, so learner code cannot patch Array.prototype.every,
//    Math, Promise.prototype.then or Error.prepareStackTrace under the checks;
//  - the Function constructors reachable as `anyFunction.constructor` refuse to compile code
//    (with --disallow-code-generation-from-strings they would throw anyway; VS Code's own
//    runtime may not take that flag, so the realm does not depend on it).
// Freezing a prototype turns `instance.name = x` into an error wherever `name` is inherited
// (the "override mistake"): the properties that code commonly assigns on instances
// (an error's name and message, an object's toString…) become accessors that define an own
// property on the instance instead, so ordinary code keeps working.
const { defineProperty, freeze, getOwnPropertyDescriptor, getPrototypeOf, isFrozen } = Object;
const { ownKeys } = Reflect;

const frozen = new WeakSet<object>();

/** Freezes an object, everything reachable through its own properties, and its prototypes. */
export function harden(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const o = stack.pop();
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null || frozen.has(o)) continue;
    frozen.add(o);
    freeze(o);
    stack.push(getPrototypeOf(o));
    for (const key of ownKeys(o)) {
      const d = getOwnPropertyDescriptor(o, key);
      // Stryker disable next-line ConditionalExpression: a key ownKeys just listed has a descriptor (built-ins are not proxies)
      if (!d) continue;
      if ('value' in d) stack.push(d.value);
      else stack.push(d.get, d.set);
    }
  }
}

const NATIVE_ERRORS = [EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];

/**
 * [object, names]: inherited data properties that code assigns on instances. Array and Promise
 * methods are left as they are: turning them into accessors would switch off V8's fast paths
 * for array and promise built-ins everywhere in this process.
 */
function assignedOnInstances(): [object, string[]][] {
  return [
    [Object.prototype, ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']],
    [Function.prototype, ['toString']],
    [Error.prototype, ['constructor', 'name', 'message', 'toString']],
    ...NATIVE_ERRORS.map((E): [object, string[]] => [E.prototype, ['constructor', 'name', 'message']]),
  ];
}

function tameOverride(proto: object, name: string): void {
  const d = getOwnPropertyDescriptor(proto, name);
  // Stryker disable next-line ConditionalExpression,LogicalOperator: every listed property is a writable, configurable data property in a realm nothing hardened before (hardenRealm runs once); the guard keeps a changed one as it is
  if (!d || !('value' in d) || !d.writable || !d.configurable) return;
  const value = d.value as unknown;
  defineProperty(proto, name, {
    get() {
      return value;
    },
    set(this: object, v: unknown) {
      if (this === proto) throw new TypeError(`Cannot assign to read only property '${name}' of a frozen built-in`);
      defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
    },
    enumerable: d.enumerable,
    // Stryker disable next-line BooleanLiteral: the prototype is frozen right after, which makes it non-configurable anyway
    configurable: false,
  });
}

function refusingConstructor(kind: string): () => never {
  return function refused(): never {
    throw new EvalError(`Code generation from strings disallowed for this context (${kind})`);
  };
}

/** The realm's intrinsics: its global constructors and namespaces, and the hidden ones. */
function intrinsics(): unknown[] {
  const g = globalThis as Record<string, unknown>;
  const named = [
    'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Promise',
    // Stryker disable next-line StringLiteral: Error is also reached as the prototype of EvalError and the other native errors
    'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError',
    'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
    'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
    'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Proxy', 'Reflect', 'JSON', 'Math', 'Atomics',
    // Stryker disable next-line StringLiteral: parseInt and parseFloat are also Number.parseInt and Number.parseFloat (the same objects)
    'Intl', 'WebAssembly', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURI', 'encodeURIComponent',
    'decodeURI', 'decodeURIComponent', 'escape', 'unescape', 'eval',
  ].map((n) => g[n]);
  /* eslint-disable @typescript-eslint/no-empty-function */
  const hidden = [
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function () {}),
    getPrototypeOf(async function* () {}),
    getPrototypeOf(Int8Array),
    // Stryker disable next-line ArrayDeclaration: any array gives the same iterator prototype
    getPrototypeOf([][Symbol.iterator]()),
    getPrototypeOf(new Map()[Symbol.iterator]()),
    getPrototypeOf(new Set()[Symbol.iterator]()),
    // Stryker disable next-line StringLiteral: any string gives the same iterator prototype
    getPrototypeOf(''[Symbol.iterator]()),
    // Stryker disable next-line StringLiteral: any string gives the same iterator prototype
    getPrototypeOf(/x/[Symbol.matchAll]('')),
    getPrototypeOf(getPrototypeOf(async function* () {}).prototype),
  ];
  /* eslint-enable @typescript-eslint/no-empty-function */
  return [...named, ...hidden];
}

let done = false;

/** Freezes this realm's built-ins and disables its Function constructors. Once per realm. */
export function hardenRealm(): void {
  if (done) return;
  done = true;
  /* eslint-disable @typescript-eslint/no-empty-function */
  const constructors: [object, string][] = [
    [Function.prototype, 'Function'],
    [getPrototypeOf(async function () {}), 'AsyncFunction'],
    [getPrototypeOf(function* () {}), 'GeneratorFunction'],
    [getPrototypeOf(async function* () {}), 'AsyncGeneratorFunction'],
  ];
  /* eslint-enable @typescript-eslint/no-empty-function */
  for (const [proto, kind] of constructors) {
    // Stryker disable next-line BooleanLiteral: the prototypes are frozen below, which makes the property read-only and non-configurable anyway
    defineProperty(proto, 'constructor', { value: refusingConstructor(kind), writable: false, enumerable: false, configurable: false });
  }
  for (const [proto, names] of assignedOnInstances()) for (const n of names) tameOverride(proto, n);
  for (const o of intrinsics()) harden(o);
}

/** Whether hardenRealm() has run and held (for tests and the containment report). */
export function realmHardened(): boolean {
  return done && isFrozen(Object.prototype) && isFrozen(Array.prototype) && isFrozen(Function.prototype);
}
