// A lab written with `new-lab` type-checks in the author's editor: its tsconfig.json resolves
// "transformer-labs/checks" and TensorFlow.js to declarations installed beside it, so the
// template has no errors and a wrong use of the check API is one (TypeScript's own program over
// the folder's tsconfig, as the editor's TypeScript server reads it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from '../../support/repoRoot';

const CLI = join(repoRoot(), 'dist', 'cli.js');

/** The errors TypeScript reports for the folder's tsconfig.json, as "file:line message". */
function typeErrors(dir: string): string[] {
  const configFile = join(dir, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  assert.equal(read.error, undefined);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir);
  assert.deepEqual(parsed.errors, []);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '(config)';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('new-lab: types for the author\'s editor (dist/cli.js)', function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'tl-new-lab-types-')), 'softmax-lab');
    const r = spawnSync(process.execPath, [CLI, 'new-lab', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /tsconfig\.json/);
  });

  it('the template type-checks with no error: checks.ts, visualize.ts, reference.ts, starter and solution', () => {
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, dir);
    const own = parsed.fileNames.map((f) => f.slice(dir.length + 1)).sort();
    assert.deepEqual(own, ['checks.ts', 'reference.ts', 'solution/softmax.ts', 'starter/softmax.ts', 'visualize.ts']);
    assert.deepEqual(typeErrors(dir), []);
  });

  it('a wrong use of the check API is a type error where it is written', () => {
    const file = join(dir, 'checks.ts');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace("'softmax-small': (ctx) => agrees(ctx, [1, 2, 3]),", "'softmax-small': (ctx) => { expectFinite(ctx.fn<() => number[]>('softmax.ts', 'softmax')(), 42); },"));
      const errors = typeErrors(dir);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0], /^checks\.ts:\d+ Argument of type 'number' is not assignable to parameter of type 'string'/);
    } finally {
      writeFileSync(file, original);
    }
  });
});
