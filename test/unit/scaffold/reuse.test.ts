// A later lab starts from the learner's own Lab 1 file when their Lab 1 folder is found (beside
// the new folder), and from the starter (the course's reference) when it is not. The reference
// fallback type-checks against the learner type declarations.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { findBuildPaths } from '../../../core/compute/paths';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { LabManifestSchema, type Lab } from '../../../core/labs/manifest';
import { findLabWorkspaceFor } from '../../../core/labs/reuse';
import { scaffoldLab } from '../../../core/labs/scaffold';
import { repoRoot } from '../../support/repoRoot';

const REFERENCE_FALLBACK = `import { referenceAttention } from '@transformer-labs/helpers';
export const { causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention } = referenceAttention;
`;

/** A two-file lab whose attention.ts reuses Lab 1's. */
function laterLab(): Lab {
  const dir = mkdtempSync(join(tmpdir(), 'tl-later-lab-'));
  mkdirSync(join(dir, 'starter'));
  writeFileSync(join(dir, 'starter', 'attention.ts'), REFERENCE_FALLBACK);
  writeFileSync(join(dir, 'starter', 'block.ts'), "import { multiHeadAttention } from './attention';\nexport const uses = multiHeadAttention;\n");
  writeFileSync(join(dir, 'INSTRUCTIONS.md'), '# Later lab\n');
  const manifest = LabManifestSchema.parse({
    id: '02-later', version: '1.0.0', order: 2, title: 'Later', summary: 's', estimatedMinutes: 1, objectives: ['o'],
    instructions: 'INSTRUCTIONS.md', checksModule: 'checks.ts',
    files: [
      { path: 'attention.ts', starter: 'starter/attention.ts', solution: 'starter/attention.ts', functions: ['multiHeadAttention'], reuseFrom: { lab: '01-attention', path: 'attention.ts' } },
      { path: 'block.ts', starter: 'starter/block.ts', solution: 'starter/block.ts', functions: ['uses'] },
    ],
    checks: [{ id: 'c', title: 't', file: 'block.ts', function: 'uses', points: 1, hint: 'h' }],
  });
  return { manifest, dir };
}

describe('reusing the learner\'s earlier lab', function () {
  this.timeout(60_000);
  const typesDir = join(findBuildPaths(__dirname).buildRoot, 'types');
  const lab1 = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;

  it('copies the learner\'s Lab 1 attention.ts from a sibling folder, saying where it came from', () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-course-'));
    scaffoldLab(lab1, join(parent, 'lab1'), { typesDir });
    const mine = '// my own attention\nexport function multiHeadAttention() { return 42; }\n';
    writeFileSync(join(parent, 'lab1', 'attention.ts'), mine);
    assert.equal(findLabWorkspaceFor('01-attention', [parent]), join(parent, 'lab1'));

    const r = scaffoldLab(laterLab(), join(parent, 'lab2'), { typesDir, reuseRoots: [parent] });
    assert.deepEqual(r.reused.map((x) => [x.path, x.from]), [['attention.ts', join(parent, 'lab1', 'attention.ts')]]);
    const text = readFileSync(join(parent, 'lab2', 'attention.ts'), 'utf8');
    assert.ok(text.endsWith(mine), 'the learner\'s code, unchanged, after the header');
    assert.match(text, /Your own code from lab "01-attention"/);
  });

  it('falls back to the starter (the reference) when no Lab 1 folder is found, and it type-checks', () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-course-'));
    const dir = join(parent, 'lab2');
    const r = scaffoldLab(laterLab(), dir, { typesDir, reuseRoots: [parent] });
    assert.deepEqual(r.reused, []);
    assert.equal(readFileSync(join(dir, 'attention.ts'), 'utf8'), REFERENCE_FALLBACK);
    const cfg = ts.parseJsonConfigFileContent(ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, dir);
    const diags = ts.getPreEmitDiagnostics(ts.createProgram(cfg.fileNames, cfg.options)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(diags, []);
  });

  it('never reuses when scaffolding the reference solution', () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-course-'));
    scaffoldLab(lab1, join(parent, 'lab1'), { typesDir });
    const r = scaffoldLab(laterLab(), join(parent, 'lab2'), { typesDir, reuseRoots: [parent], withSolution: true });
    assert.deepEqual(r.reused, []);
  });
});
