// How whatever learner code throws becomes the message and line the learner sees
// (sidecar/runner/learnerErrors.ts), in this process: real transpiled TypeScript run in a vm
// context under the file names the check process gives learner files, so the stacks and source
// maps are the ones a check meets.
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { LAB_FILE_PREFIX, LearnerError, SourceMaps, starterTodo, toLearnerError } from '../../../sidecar/runner/learnerErrors';
import { transpile } from '../../../sidecar/runner/transpile';

/** Transpiles `ts` as work.ts, runs `call` on its exports, and returns what it threw with the maps. */
function thrownBy(ts: string, call: string): { err: unknown; maps: SourceMaps } {
  const { files } = transpile([{ path: 'work.ts', text: ts }]);
  const maps = new SourceMaps(files);
  const exports: Record<string, unknown> = {};
  vm.runInNewContext(files[0].js, { exports, module: { exports } }, { filename: `${LAB_FILE_PREFIX}work.ts` });
  try {
    vm.runInNewContext(call, { exports }, { filename: 'check.js' });
  } catch (err) {
    return { err, maps };
  }
  throw new Error('nothing was thrown');
}

const NO_MAPS = new SourceMaps([]);

describe('learner errors: what the learner is told', () => {
  it('a thrown Error names the function, the error and the TypeScript line it came from', () => {
    const ts = 'type N = number;\n\nexport function attention(x: N): N {\n  const y: N = x * 2;\n  throw new TypeError(`bad ${y}`);\n}\n';
    const { err, maps } = thrownBy(ts, 'exports.attention(2)');
    const e = toLearnerError(err, maps, 'attention');
    assert.ok(e instanceof LearnerError);
    assert.equal(e.name, 'LearnerError');
    assert.equal(e.message, 'attention threw TypeError: bad 4 (work.ts:5)');
    assert.deepEqual(e.location, { file: 'work.ts', line: 5, column: 9 });
    assert.equal(e.todo, undefined);
    assert.equal(toLearnerError(err, maps).message, 'threw TypeError: bad 4 (work.ts:5)');
  });

  it('a starter\'s TODO is "not started", with the function\'s name and no "threw"', () => {
    const { err, maps } = thrownBy("export function softmax(): number {\n  throw new Error('TODO: implement softmax (see INSTRUCTIONS.md)');\n}\n", 'exports.softmax()');
    const e = toLearnerError(err, maps, 'attention');
    assert.equal(e.message, 'softmax() is not started yet: it still throws its TODO');
    assert.equal(e.todo, 'softmax');
    assert.equal(e.location?.line, 2);
    assert.equal(starterTodo(err), 'softmax');
    assert.equal(starterTodo(new Error('not a TODO: implement softmax')), undefined, 'only at the start');
    assert.equal(starterTodo(new Error('TODO: implement 9lives')), undefined, 'a name, not a number');
    assert.equal(starterTodo('TODO: implement softmax'), undefined, 'a thrown string has no message');
    assert.equal(starterTodo(undefined), undefined);
  });

  it('endless recursion says so, for the function or "your code"', () => {
    const { err, maps } = thrownBy('export function down(n: number): number {\n  return down(n + 1) + 1;\n}\n', 'exports.down(0)');
    assert.equal(toLearnerError(err, maps, 'down').message, 'down recursed without end (maximum call stack size exceeded)');
    assert.equal(toLearnerError(err, maps).message, 'your code recursed without end (maximum call stack size exceeded)');
    assert.equal(toLearnerError(err, maps).location?.line, 2);
    // Another RangeError is an ordinary error.
    assert.equal(toLearnerError(new RangeError('Invalid array length'), NO_MAPS, 'f').message, 'f threw RangeError: Invalid array length');
  });

  it('eval and new Function refused by the realm are explained, with the line', () => {
    const { files } = transpile([{ path: 'work.ts', text: "export function f(): number {\n  return new Function('return 1')();\n}\n" }]);
    const maps = new SourceMaps(files);
    const exports: Record<string, unknown> = {};
    const ctx = vm.createContext({ exports, module: { exports } }, { codeGeneration: { strings: false, wasm: false } });
    vm.runInContext(files[0].js, ctx, { filename: `${LAB_FILE_PREFIX}work.ts` });
    let err: unknown;
    try {
      (exports.f as () => number)();
    } catch (e) {
      err = e;
    }
    const e = toLearnerError(err, maps, 'f');
    assert.equal(e.message, 'f used eval or new Function: eval and new Function are not available in lab code, which may not run text as code — write the code itself (work.ts:2)');
    assert.equal(e.location?.line, 2);
    assert.match(toLearnerError(new Error('Wasm code generation disallowed by embedder'), NO_MAPS).message, /^your code used eval or new Function: .* write the code itself$/);
  });

  it('anything else thrown is printed as it is, and a hostile value never throws here', () => {
    assert.equal(toLearnerError('oops', NO_MAPS, 'f').message, 'f threw oops');
    assert.equal(toLearnerError(42, NO_MAPS).message, 'threw 42');
    assert.equal(toLearnerError(undefined, NO_MAPS).message, 'threw undefined');
    assert.equal(toLearnerError({ message: 'no name' }, NO_MAPS).message, 'threw Error: no name');
    assert.equal(toLearnerError({ name: 'Custom', message: 7 }, NO_MAPS).message, 'threw Custom: 7');
    assert.equal(toLearnerError({ code: 1 }, NO_MAPS).message, 'threw [object Object]');
    const fn = Object.assign(() => 1, { message: 'a function' });
    assert.equal(toLearnerError(fn, NO_MAPS).message, 'threw Error: a function');
    const hostile = {
      get name(): string {
        throw new Error('no');
      },
      get message(): string {
        throw new Error('no');
      },
      get stack(): string {
        throw new Error('no');
      },
      toString(): string {
        throw new Error('no');
      },
    };
    assert.equal(toLearnerError(hostile, NO_MAPS).message, 'threw a value that cannot be printed');
    const proxy = new Proxy({}, {
      getPrototypeOf() {
        throw new Error('no');
      },
    });
    assert.equal(toLearnerError(proxy, NO_MAPS).message, 'threw [object Object]');
  });

  it('a LearnerError keeps its location, or gets one from its stack', () => {
    const located = new LearnerError('m', { file: 'work.ts', line: 3, column: 1 }, 'f');
    assert.equal(toLearnerError(located, NO_MAPS), located);
    const { files } = transpile([{ path: 'work.ts', text: 'export const a = 1;\nexport const b = 2;\n' }]);
    const bare = new LearnerError('made by a check', undefined, 'g');
    bare.stack = `LearnerError: made by a check\n    at x (${LAB_FILE_PREFIX}work.ts:2:14)`;
    const e = toLearnerError(bare, new SourceMaps(files));
    assert.notEqual(e, bare);
    assert.equal(e.message, 'made by a check');
    assert.equal(e.todo, 'g');
    assert.deepEqual(e.location, { file: 'work.ts', line: 2, column: 14 });
  });

  it('locates the first frame in a learner file; raw numbers for a file without a map; nothing without a frame', () => {
    const { files } = transpile([{ path: 'work.ts', text: 'type T = number;\n\n\nexport function f(x: T): T {\n  return x;\n}\n' }]);
    const maps = new SourceMaps(files);
    const js = files[0].js.split('\n');
    const jsLine = js.findIndex((l) => l.includes('return x')) + 1;
    const stack = ['Error: e', '    at check (check.js:1:1)', `    at f (${LAB_FILE_PREFIX}work.ts:${jsLine}:5)`, `    at g (${LAB_FILE_PREFIX}other.ts:9:9)`].join('\n');
    assert.deepEqual(maps.locate(stack), { file: 'work.ts', line: 5, column: 3 });
    assert.deepEqual(maps.locate(`Error\n    at h (${LAB_FILE_PREFIX}other.ts:9:7)`), { file: 'other.ts', line: 9, column: 7 });
    assert.equal(maps.locate('Error: e\n    at check (check.js:1:1)'), undefined);
    assert.equal(maps.locate(undefined), undefined);
    assert.equal(maps.locate(''), undefined);
    // A line the map does not cover keeps the JavaScript position.
    assert.deepEqual(maps.locate(`Error\n    at f (${LAB_FILE_PREFIX}work.ts:999:4)`), { file: 'work.ts', line: 999, column: 4 });
  });
});
