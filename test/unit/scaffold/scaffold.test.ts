// A scaffolded lab folder type-checks in the editor (zero diagnostics with the reference
// solution), keeps the learner's files, resets with a backup, and reports a corrupt marker.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { findBuildPaths } from '../../../core/compute/paths';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { findLabWorkspace, MARKER_FILE, resetLab, scaffoldLab } from '../../../core/labs/scaffold';
import { repoRoot } from '../../support/repoRoot';
import { CHAINED_CALLS, chainedOpsSource } from '../../support/chainedOps';

function diagnostics(dir: string): string[] {
  const configFile = ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('lab workspace scaffolding', function () {
  this.timeout(60_000);
  const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;
  const typesDir = join(findBuildPaths(__dirname).buildRoot, 'types');

  it('creates the exercise file, instructions, tsconfig and marker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-ws-'));
    const r = scaffoldLab(lab, dir, { typesDir });
    for (const f of ['attention.ts', 'INSTRUCTIONS.md', 'tsconfig.json', MARKER_FILE]) assert.ok(existsSync(join(dir, f)), f);
    assert.equal(findLabWorkspace(dir)?.labId, '01-attention');
    assert.deepEqual(r.kept, []);
  });

  it('type-checks with zero diagnostics: TensorFlow.js and the helpers resolve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-ws-'));
    scaffoldLab(lab, dir, { typesDir, withSolution: true });
    assert.deepEqual(diagnostics(dir), []);
  });

  it(`type-checks code written with chained tensor methods (all ${CHAINED_CALLS.length}: x.sub(m), x.reshape(…), .toFloat(), …)`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-ws-'));
    scaffoldLab(lab, dir, { typesDir, withSolution: true });
    writeFileSync(join(dir, 'chained.ts'), chainedOpsSource());
    assert.deepEqual(diagnostics(dir), []);
    // …and a chained method that does not exist is still an error.
    writeFileSync(join(dir, 'chained.ts'), chainedOpsSource() + '\nexport const oops = tf.ones([2]).subtractEverything(1);\n');
    assert.ok(diagnostics(dir).some((d) => /subtractEverything' does not exist on type 'Tensor/.test(d)));
  });

  it('a wrong use of the tfjs API is a type error in the learner\'s editor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-ws-'));
    scaffoldLab(lab, dir, { typesDir, withSolution: true });
    const f = join(dir, 'attention.ts');
    writeFileSync(f, readFileSync(f, 'utf8') + '\nexport const oops: number = tf.softmax(tf.ones([2]));\n');
    assert.ok(diagnostics(dir).some((d) => /not assignable to type 'number'/.test(d)));
  });

  it('keeps existing learner files unless asked to overwrite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-ws-'));
    scaffoldLab(lab, dir, { typesDir });
    writeFileSync(join(dir, 'attention.ts'), '// my work\n');
    const r = scaffoldLab(lab, dir, { typesDir });
    assert.deepEqual(r.kept, ['attention.ts']);
    assert.equal(readFileSync(join(dir, 'attention.ts'), 'utf8'), '// my work\n');
  });

  it('reset backs up the learner\'s files before restoring the starter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-ws-'));
    scaffoldLab(lab, dir, { typesDir });
    writeFileSync(join(dir, 'attention.ts'), '// two hours of work\n');
    const r = resetLab(lab, dir, new Date('2026-11-25T01:02:03Z'));
    assert.equal(readFileSync(join(r.backupDir, 'attention.ts'), 'utf8'), '// two hours of work\n');
    assert.equal(readFileSync(join(dir, 'attention.ts'), 'utf8'), readFileSync(join(lab.dir, 'starter', 'attention.ts'), 'utf8'));
  });

  it('a corrupt marker is reported with its file, not ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-ws-'));
    scaffoldLab(lab, dir, { typesDir });
    writeFileSync(join(dir, MARKER_FILE), '{"labId": ');
    assert.throws(() => findLabWorkspace(dir), /lab\.json is not valid JSON/);
  });

  it('refuses --solution where solutions are not shipped, saying why', () => {
    const noSolution = { ...lab, manifest: { ...lab.manifest, files: lab.manifest.files.map((f) => ({ ...f, solution: 'solution/missing.ts' })) } };
    assert.throws(() => scaffoldLab(noSolution, mkdtempSync(join(tmpdir(), 'tl-ws-')), { typesDir, withSolution: true }), /not shipped in the \.vsix/);
  });
});
