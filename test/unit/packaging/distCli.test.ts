// The packaged command line (dist/cli.js, esbuild bundles, no node_modules at run time) grades a
// lab folder and type-checks it with the declarations and TypeScript lib files shipped in
// dist/types: bundling can lose files that out/ finds in node_modules.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';

const CLI = join(repoRoot(), 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, cwd: tmpdir() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('packaged CLI (dist/cli.js)', function () {
  this.timeout(180_000);

  it('grades the reference solution fully and reports a type error as a warning', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-dist-cli-')), 'key');
    assert.equal(cli('new', '01-attention', dir, '--solution').code, 0);
    const file = join(dir, 'attention.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text + '\nexport const count: number = "three";\n');
    const r = cli('grade', dir, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.score, report.maxScore);
    assert.deepEqual(
      report.typeErrors.map((d: { file: string; line: number; message: string }) => `${d.file}:${d.line} ${d.message}`),
      [`attention.ts:${text.split('\n').length + 1} Type 'string' is not assignable to type 'number'.`],
    );
  });
});
