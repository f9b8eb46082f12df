// The learner's realm and module loader, in this process: what learner code can reach, what it
// is refused with which sentence, how its console output is cut, and how its files import each
// other. The check process (containment.ts) is tested around it; this is the clear-message layer.
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { ConsoleBudget, CONSOLE_MAX_BYTES, CONSOLE_MAX_LINES, createLearnerContext } from '../../../sidecar/runner/learnerRealm';
import { LAB_FILE_PREFIX, LearnerError } from '../../../sidecar/runner/learnerErrors';
import { ALLOWED_IMPORTS, Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';

const TF = Object.freeze({ name: 'the tf the checks hand over' });
const HELPERS = Object.freeze({ name: 'the lab helpers' });

function sandbox(files: Record<string, string>, log: string[] = []): Sandbox {
  const { files: js, diagnostics } = transpile(Object.entries(files).map(([path, text]) => ({ path, text })));
  assert.deepEqual(diagnostics, []);
  return new Sandbox(js, { tf: TF, helpers: HELPERS, log: (l) => log.push(l) });
}

/** Runs `code` as a learner file's body and returns what it exports as `out`. */
function run(code: string, log: string[] = []): unknown {
  return sandbox({ 'work.ts': `export const out = (() => { ${code} })();` }, log).exportsOf('work.ts').out;
}

/** A value from the learner realm with this realm's prototypes, for deepStrictEqual. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** The message of what `code` throws in a learner file, and whether it is a LearnerError. */
function refusal(code: string): { learner: boolean; message: string } {
  try {
    run(code);
  } catch (e) {
    return { learner: e instanceof LearnerError, message: (e as Error).message };
  }
  assert.fail(`nothing thrown by: ${code}`);
}

describe('the learner realm (learnerRealm.ts) and module loader (sandbox.ts), in process', () => {
  describe('refused globals', () => {
    const cases: [string, string][] = [
      ['fetch', 'lab code has no network'],
      ['WebSocket', 'lab code has no network'],
      ['XMLHttpRequest', 'lab code has no network'],
      ['EventSource', 'lab code has no network'],
      ['require', 'use an import of "@tensorflow/tfjs" or "@transformer-labs/helpers"'],
      ['Buffer', 'use arrays or typed arrays'],
      ['setTimeout', 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async'],
      ['setInterval', 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async'],
      ['setImmediate', 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async'],
      ['queueMicrotask', 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async'],
      ['WebAssembly', 'lab code runs TensorFlow.js, not its own WebAssembly'],
      ['SharedArrayBuffer', 'lab code has no threads to share memory with'],
      ['Atomics', 'lab code has no threads to wait for'],
      ['WeakRef', 'lab code may not run after its run has ended'],
      ['FinalizationRegistry', 'lab code may not run after its run has ended'],
    ];
    for (const [name, why] of cases) {
      it(`${name}: "${why}"`, () => {
        assert.deepEqual(refusal(`return (globalThis as any).${name};`), { learner: true, message: `${name} is not available in lab code: ${why}` });
      });
    }

    it('stay refused after delete and redefinition, and do not show up when listing globals', () => {
      const r = run(`
        const g = globalThis as any;
        const deleted = delete g.fetch;
        let redefined = 'no';
        try { Object.defineProperty(g, 'fetch', { value: 1 }); redefined = 'yes'; } catch (e) { redefined = (e as Error).constructor.name; }
        let still = '';
        try { g.fetch; } catch (e) { still = (e as Error).message; }
        return { deleted, redefined, still, listed: Object.keys(g).filter((k) => k === 'fetch' || k === 'Buffer') };`) as Record<string, unknown>;
      assert.deepEqual(plain(r), { deleted: false, redefined: 'TypeError', still: 'fetch is not available in lab code: lab code has no network', listed: [] });
    });

    it('compiles no code from strings: eval and the Function constructor throw EvalError', () => {
      const r = run(`
        const out: string[] = [];
        for (const f of [() => eval('1 + 1'), () => new Function('return 1')(), () => (function () {}).constructor('return 1')()]) {
          try { out.push(String(f())); } catch (e) { out.push((e as Error).name); }
        }
        return out;`);
      assert.deepEqual(plain(r), ['EvalError', 'EvalError', 'EvalError']);
    });

    it('locks Error.prepareStackTrace and the Error global, so stack frames stay out of reach', () => {
      const r = run(`
        const g = globalThis as any;
        const tries: string[] = [];
        try { (Error as any).prepareStackTrace = (_e: unknown, frames: unknown) => frames; tries.push('assigned'); } catch (e) { tries.push((e as Error).name); }
        try { g.Error = function () {}; tries.push('assigned'); } catch (e) { tries.push((e as Error).name); }
        const d = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')!;
        return { tries, value: typeof d.value, writable: d.writable, configurable: d.configurable, stack: typeof new Error('x').stack, sameError: g.Error === Error };`);
      assert.deepEqual(plain(r), { tries: ['TypeError', 'TypeError'], value: 'undefined', writable: false, configurable: false, stack: 'string', sameError: true });
    });
  });

  describe('process', () => {
    for (const what of ['exit', 'abort', 'kill']) {
      it(`process.${what} throws a sentence, not the process's end`, () => {
        assert.deepEqual(refusal(`(process as any).${what}(0); return 1;`), {
          learner: true,
          message: `process.${what} is not available in lab code: your functions should return their result`,
        });
      });
    }

    it('has an empty, frozen environment and argv, and a platform that says "sandbox"', () => {
      const r = run(`
        const p = process as any;
        try { p.env.HOME = '/x'; } catch { /* frozen */ }
        try { p.argv.push('x'); } catch { /* frozen */ }
        try { p.exit = () => 0; } catch { /* frozen */ }
        return { env: Object.keys(p.env), argv: p.argv.length, platform: p.platform, versions: Object.keys(p.versions), frozen: [p, p.env, p.argv, p.versions].every(Object.isFrozen) };`);
      assert.deepEqual(plain(r), { env: [], argv: 0, platform: 'sandbox', versions: [], frozen: true });
    });
  });

  describe('a realm of its own', () => {
    it('patching built-ins changes only the learner realm, and each run gets a fresh one', () => {
      const first = run(`(Array.prototype as any).every = () => true; (Math as any).random = () => 4; return [[1, 2].every((x) => x > 5), Math.random()];`);
      assert.deepEqual(plain(first), [true, 4]);
      assert.equal([1, 2].every((x) => x > 5), false);
      assert.notEqual(Math.random(), 4);
      assert.deepEqual(plain(run(`return [[1, 2].every((x) => x > 5), Math.random() < 1];`)), [false, true]);
    });

    it('hands the outer realm\'s typed arrays and text codecs (TensorFlow.js tells dtypes apart with instanceof)', () => {
      const r = run(`return { f32: new Float32Array(2), u8: new TextEncoder().encode('é'), text: new TextDecoder().decode(new Uint8Array([0xc3, 0xa9])), array: [1] };`) as Record<string, unknown>;
      assert.ok(r.f32 instanceof Float32Array);
      assert.ok(r.u8 instanceof Uint8Array);
      assert.deepEqual([...(r.u8 as Uint8Array)], [0xc3, 0xa9]);
      assert.equal(r.text, 'é');
      assert.equal(r.array instanceof Array, false, 'plain arrays are the learner realm\'s own');
      const types = run(`const g = globalThis as any; return ['Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Int16Array', 'Uint16Array', 'Uint32Array'].map((n) => g[n]);`) as unknown[];
      assert.equal(types.length, 9);
      [Float32Array, Float64Array, Int32Array, Uint8Array, Uint8ClampedArray, Int8Array, Int16Array, Uint16Array, Uint32Array].forEach((t, i) => assert.equal(types[i], t, t.name));
    });

    it('createLearnerContext adds the globals given and nothing of Node', () => {
      const log: string[] = [];
      const ctx = createLearnerContext(new ConsoleBudget((l) => log.push(l)), { answer: 42 });
      assert.equal(vm.runInContext('answer', ctx), 42);
      assert.deepEqual(
        plain(vm.runInContext(`[typeof global, typeof module, typeof exports, typeof __dirname, typeof process.binding, typeof process.mainModule]`, ctx)),
        ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined'],
      );
      vm.runInContext(`console.log('from', 'the realm')`, ctx);
      assert.deepEqual(log, ['from the realm']);
    });
  });

  describe('console', () => {
    it('every method prints one line: strings as they are, other values as JSON or their String()', () => {
      const log: string[] = [];
      run(
        `const c: any = console;
        for (const m of ['log', 'info', 'warn', 'error', 'debug', 'table', 'trace', 'dir']) c[m](m, 1, { a: [2] });
        const loop: any = {}; loop.self = loop;
        console.log(loop, undefined, null, 'x');
        console.log({ toJSON() { throw new Error('no'); }, toString() { throw new Error('no'); } });
        console.log(1n as any);
        return 0;`,
        log,
      );
      assert.deepEqual(log.slice(0, 8), ['log 1 {"a":[2]}', 'info 1 {"a":[2]}', 'warn 1 {"a":[2]}', 'error 1 {"a":[2]}', 'debug 1 {"a":[2]}', 'table 1 {"a":[2]}', 'trace 1 {"a":[2]}', 'dir 1 {"a":[2]}']);
      assert.deepEqual(log.slice(8), ['[object Object] undefined null x', '[a value that cannot be printed]', '1']);
    });

    it('cuts a long line at 2,000 characters and says how many more there were; long JSON ends in …', () => {
      const log: string[] = [];
      run(
        `console.log('a'.repeat(2500)); console.log('b'.repeat(2001)); console.log('c'.repeat(2000));
        console.log(Array(1500).fill(1)); console.log(Array(998).fill(1).concat([11]));
        return 0;`,
        log,
      );
      assert.equal(log[0], `${'a'.repeat(2000)}… (500 more characters)`);
      assert.equal(log[1], `${'b'.repeat(2000)}… (1 more character)`);
      assert.equal(log[2], 'c'.repeat(2000), 'exactly 2,000 characters are printed whole');
      // JSON is cut at 2,000 characters before printing (a huge array is never turned into one
      // huge string), then the line is cut: one character, the "…", is past the limit.
      assert.equal(log[3], `[${'1,'.repeat(999)}1… (1 more character)`);
      assert.equal(JSON.stringify(Array(998).fill(1).concat([11])).length, 2000);
      assert.equal(log[4], JSON.stringify(Array(998).fill(1).concat([11])), 'JSON of exactly 2,000 characters is printed whole');
    });

    it(`keeps the first ${CONSOLE_MAX_LINES} lines of a run and counts the rest`, () => {
      const log: string[] = [];
      const s = sandbox({ 'work.ts': `for (let i = 0; i < 250; i++) console.log('line ' + i); export const x = 1;` }, log);
      s.exportsOf('work.ts');
      assert.equal(log.length, CONSOLE_MAX_LINES);
      assert.equal(log.at(-1), `line ${CONSOLE_MAX_LINES - 1}`);
      assert.equal(s.console.summary(), `console output cut: 50 more lines not shown (lab code may print ${CONSOLE_MAX_LINES} lines or ${CONSOLE_MAX_BYTES / 1024} KB per run)`);
    });

    it(`stops at ${CONSOLE_MAX_BYTES / 1024} KB even with few lines, and says "1 more line" in the singular`, () => {
      const log: string[] = [];
      const budget = new ConsoleBudget((l) => log.push(l));
      assert.equal(budget.summary(), undefined, 'nothing cut, nothing said');
      for (let i = 0; i < 33; i++) budget.write('x'.repeat(2000));
      assert.equal(budget.full, true);
      assert.equal(log.length, 33, '33 × 2,000 characters reach 64 KB only with the 33rd');
      budget.write('one more');
      assert.equal(log.length, 33);
      assert.equal(budget.summary(), `console output cut: 1 more line not shown (lab code may print ${CONSOLE_MAX_LINES} lines or 64 KB per run)`);
    });

    it('is full at exactly 64 KB', () => {
      const budget = new ConsoleBudget(() => undefined);
      for (let i = 0; i < 32; i++) budget.write('x'.repeat(2000));
      budget.write('x'.repeat(CONSOLE_MAX_BYTES - 32 * 2000 - 1));
      assert.equal(budget.full, false, 'one byte short');
      budget.write('x');
      assert.equal(budget.full, true);
    });

    it('a budget just under its caps still prints', () => {
      const log: string[] = [];
      const budget = new ConsoleBudget((l) => log.push(l));
      for (let i = 0; i < CONSOLE_MAX_LINES - 1; i++) budget.write('');
      assert.equal(budget.full, false);
      budget.write('last');
      assert.equal(budget.full, true);
      assert.equal(log.at(-1), 'last');
    });

    it('the console object cannot be replaced or patched by learner code', () => {
      const log: string[] = [];
      run(`try { (console as any).log = () => 0; } catch { /* frozen */ } console.log('still'); return 0;`, log);
      assert.deepEqual(log, ['still']);
    });
  });

  describe('modules', () => {
    it('evaluates a file once, on first use, with CommonJS names as Node would give them', () => {
      const log: string[] = [];
      const s = sandbox(
        {
          'lab/work.ts': `console.log('evaluated'); export const names = [typeof exports, typeof module, __filename, __dirname]; export const self = this === exports;`,
        },
        log,
      );
      assert.deepEqual(log, []);
      const a = s.exportsOf('lab/work.ts');
      const b = s.exportsOf('./lab/work.ts');
      assert.equal(a, b);
      assert.deepEqual(log, ['evaluated']);
      assert.deepEqual(plain(a.names), ['object', 'object', 'lab/work.ts', '.']);
      assert.equal(a.self, true);
    });

    it('resolves ./ and ../ imports, with or without .ts, to index.ts, and across backslashes', () => {
      const s = sandbox({
        'src/main.ts': `import { a } from './a'; import { b } from '../lib/b.ts'; import { c } from './c'; export const all = a + b + c;`,
        'src/a.ts': `export const a = 'a';`,
        'lib/b.ts': `export const b = 'b';`,
        'src/c/index.ts': `export const c = 'c';`,
      });
      assert.equal(s.exportsOf('src\\main.ts').all, 'abc');
    });

    it('hands TensorFlow.js and the helpers for exactly the allowed names', () => {
      assert.deepEqual(ALLOWED_IMPORTS, ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@transformer-labs/helpers']);
      const s = sandbox({
        'work.ts': `import * as a from '@tensorflow/tfjs'; import * as b from '@tensorflow/tfjs-core'; import * as h from '@transformer-labs/helpers'; export const got = [(a as any).name, (b as any).name, (h as any).name];`,
      });
      assert.deepEqual(plain(s.exportsOf('work.ts').got), [TF.name, TF.name, HELPERS.name]);
    });

    it('a cycle sees the partial exports of the file that started it, as CommonJS does', () => {
      const s = sandbox({
        'a.ts': `export const early = 1; import { fromB } from './b'; export const late = fromB;`,
        'b.ts': `import * as a from './a'; export const fromB = 'b saw early=' + (a as any).early + ', late=' + (a as any).late;`,
      });
      assert.equal(s.exportsOf('a.ts').late, 'b saw early=1, late=undefined');
    });

    const refusals: [string, string][] = [
      ['fs', 'work.ts imports "fs": lab code runs in a sandbox without Node.js modules (no files, processes or network). It can import only "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@transformer-labs/helpers".'],
      ['node:child_process', 'work.ts imports "node:child_process": lab code runs in a sandbox without Node.js modules (no files, processes or network). It can import only "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@transformer-labs/helpers".'],
      ['lodash', 'work.ts imports "lodash", which is not available: lab code can import only "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@transformer-labs/helpers".'],
      ['@tensorflow/tfjs-node', 'work.ts imports "@tensorflow/tfjs-node", which is not available: lab code can import only "@tensorflow/tfjs", "@tensorflow/tfjs-core", "@transformer-labs/helpers".'],
      ['./missing', 'work.ts imports "./missing", which is not one of this lab\'s files'],
      ['../outside/secret', 'work.ts imports "../outside/secret", which is not one of this lab\'s files'],
    ];
    for (const [id, message] of refusals) {
      it(`refuses an import of "${id}" with a sentence that names it`, () => {
        const s = sandbox({ 'work.ts': `import * as m from '${id}'; export const x = m;` });
        assert.throws(() => s.exportsOf('work.ts'), (e: Error) => e instanceof LearnerError && e.message === message);
      });
    }

    it('names a file outside the lab by the path asked for', () => {
      const s = sandbox({ 'work.ts': 'export const x = 1;' });
      assert.throws(() => s.exportsOf('../work.ts'), (e: Error) => e.message === 'the lab file "../work.ts" is missing');
    });

    it('says which lab file is missing, and names lab files in stack traces with the lab-file: prefix', () => {
      const s = sandbox({ 'dir/work.ts': `export function boom(): never { throw new Error('boom'); }` });
      assert.throws(() => s.exportsOf('nope.ts'), (e: Error) => e instanceof LearnerError && e.message === 'the lab file "nope.ts" is missing');
      const boom = s.exportsOf('dir/work.ts').boom as () => never;
      assert.throws(boom, (e: Error) => new RegExp(`at boom \\(${LAB_FILE_PREFIX}dir/work\\.ts:\\d+:\\d+\\)`).test(e.stack!));
    });

    it('keeps the source maps of its files, so an error points at the learner\'s TypeScript line', () => {
      const s = sandbox({ 'work.ts': `type T = {\n  a: number;\n};\nexport function f(): T { throw new Error('here'); }\n` });
      const f = s.exportsOf('work.ts').f as () => never;
      let stack = '';
      try {
        f();
      } catch (e) {
        stack = (e as Error).stack!;
      }
      assert.deepEqual(s.maps.locate(stack), { file: 'work.ts', line: 4, column: 32 });
    });
  });
});
