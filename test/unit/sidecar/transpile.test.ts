// Learner TypeScript → CommonJS with a source map (sidecar/runner/transpile.ts), in this process:
// the module form the check process loads, syntax errors with their exact span, and the cache
// that makes a warm re-check transpile only what changed.
import assert from 'node:assert/strict';
import { transpile } from '../../../sidecar/runner/transpile';

describe('transpile: learner TypeScript for the check process', () => {
  it('gives CommonJS for ES2022 with imports interoperable, and a version-3 source map of the file', () => {
    const text = "import tf from '@tensorflow/tfjs-core';\nexport class A { x = 1; }\nexport const f = (a?: { b?: number }): number => a?.b ?? tf.version;\n";
    const { files, diagnostics } = transpile([{ path: 'dir/work.ts', text }]);
    assert.deepEqual(diagnostics, []);
    const [f] = files;
    assert.equal(f.path, 'dir/work.ts');
    assert.match(f.js, /exports\.f = f;|exports\.f = /);
    assert.match(f.js, /require\("@tensorflow\/tfjs-core"\)/);
    assert.match(f.js, /__importDefault/, 'esModuleInterop');
    assert.match(f.js, /a\?\.b \?\? /, 'ES2022 keeps ?. and ??');
    assert.match(f.js, /class A \{\n\s+x = 1;/, 'ES2022 keeps class fields');
    const map = JSON.parse(f.map) as { version: number; sources: string[]; mappings: string; sourcesContent?: unknown };
    assert.equal(map.version, 3);
    assert.deepEqual(map.sources, ['work.ts']);
    assert.ok(map.mappings.length > 0);
    assert.equal(map.sourcesContent, undefined, 'the sources are not copied into the map');
  });

  it('reports each syntax error with its file, start and end (1-based), and only errors', () => {
    const text = 'export function f(): number {\n  return 1 +;\n}\nexport const g = (;\n';
    const { diagnostics } = transpile([{ path: 'ok.ts', text: 'export const ok = 1;\n' }, { path: 'bad.ts', text }]);
    assert.ok(diagnostics.length >= 2, JSON.stringify(diagnostics));
    const first = diagnostics[0];
    assert.deepEqual({ ...first, message: undefined }, { file: 'bad.ts', line: 2, column: 13, endLine: 2, endColumn: 14, message: undefined });
    assert.equal(first.message, 'Expression expected.');
    assert.ok(diagnostics.some((d) => d.line === 4), 'the second error, on line 4');
    assert.ok(diagnostics.every((d) => d.file === 'bad.ts'));
    // Type errors are not transpile's business (the type check reports them).
    assert.deepEqual(transpile([{ path: 't.ts', text: 'export const x: number = "s";\n' }]).diagnostics, []);
  });

  it('caches by path and text: the same pair is not transpiled again; a changed text or another path is', () => {
    const a = transpile([{ path: 'cache-a.ts', text: 'export const v = 1;\n' }]).files[0];
    assert.equal(transpile([{ path: 'cache-a.ts', text: 'export const v = 1;\n' }]).files[0], a, 'the cached object');
    assert.notEqual(transpile([{ path: 'cache-a.ts', text: 'export const v = 2;\n' }]).files[0], a);
    const b = transpile([{ path: 'cache-b.ts', text: 'export const v = 1;\n' }]).files[0];
    assert.notEqual(b, a);
    assert.equal(b.path, 'cache-b.ts');
    // The path and the text are kept apart: "x" + "y\n" is not "xy" + "\n".
    const p1 = transpile([{ path: 'x', text: 'y\n' }]).files[0];
    const p2 = transpile([{ path: 'xy', text: '\n' }]).files[0];
    assert.notEqual(p1, p2);
  });

  it('keeps at most 200 entries, dropping the oldest first', () => {
    // A fresh copy of the module: an empty cache, whatever ran before in this process.
    const id = require.resolve('../../../sidecar/runner/transpile');
    delete require.cache[id];
    const fresh = (require(id) as typeof import('../../../sidecar/runner/transpile')).transpile;
    delete require.cache[id];
    const entry = (i: number) => fresh([{ path: `e${i}.ts`, text: `export const v = ${i};\n` }]).files[0];
    const kept = Array.from({ length: 200 }, (_, i) => entry(i));
    assert.equal(entry(0), kept[0], '200 entries fit');
    assert.equal(entry(199), kept[199]);
    entry(200);
    assert.equal(entry(1), kept[1], 'the second oldest is still there');
    assert.notEqual(entry(0), kept[0], 'the 201st entry dropped the oldest');
  });
});
