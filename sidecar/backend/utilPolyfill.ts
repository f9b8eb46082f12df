// tfjs-node 4.22 calls util.isNullOrUndefined & co., which Node 23 removed (tfjs #8609).
// Put them back before any native TensorFlow.js module loads.
import * as util from 'node:util';

const helpers: Record<string, (v: unknown) => boolean> = {
  isArray: (v) => Array.isArray(v),
  isBoolean: (v) => typeof v === 'boolean',
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === 'number',
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
  isObject: (v) => v !== null && typeof v === 'object',
  isFunction: (v) => typeof v === 'function',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
  isError: (v) => v instanceof Error,
  isDate: (v) => v instanceof Date,
  isRegExp: (v) => v instanceof RegExp,
};

/** Adds the missing helpers to `target` (node:util by default); returns the names added. */
export function polyfillUtilIs(target: Record<string, unknown> = util as unknown as Record<string, unknown>): string[] {
  const added: string[] = [];
  for (const [name, fn] of Object.entries(helpers)) {
    if (typeof target[name] !== 'function') {
      try {
        target[name] = fn;
        added.push(name);
      } catch {
        // A frozen module namespace: nothing native can be loaded on it either way.
      }
    }
  }
  return added;
}
