// Every check the manifest lists exists in Lab 2's check module, and nothing else does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { isLabView } from '../../../core/checks/labView';
import type { LabModule } from '../../../core/checks/checkApi';
import { findLab, loadLabs } from '../../../core/labs/labLoader';

describe('Lab 2 manifest and check module', () => {
  const paths = findBuildPaths(__dirname);
  const lab = findLab(loadLabs(paths.labsRoot).labs, '02-transformer-block')!;
  const mod = require(join(paths.labsDist, '02-transformer-block', 'checks.js')) as LabModule;

  it('loads, and lists exactly the checks the module implements', () => {
    assert.ok(lab, 'the lab loads under the manifest schema');
    assert.deepEqual(lab.manifest.checks.map((c) => c.id).sort(), Object.keys(mod.checks).sort());
  });

  it('has a block view, hidden checks worth points, and attention.ts reused from Lab 1', () => {
    assert.ok(isLabView(mod.visualize?.block), 'a two-part view: its reference runs outside the learner time limit');
    assert.deepEqual(lab.manifest.visualizations.map((v) => v.id), ['block']);
    assert.ok(lab.manifest.checks.filter((c) => c.hidden).reduce((s, c) => s + c.points, 0) > 0);
    const att = lab.manifest.files.find((f) => f.path === 'attention.ts')!;
    assert.deepEqual(att.reuseFrom, { lab: '01-attention', path: 'attention.ts' });
    assert.equal(lab.manifest.checks.filter((c) => c.file === 'attention.ts').length, 0);
  });

  it('every exercise function of block.ts has at least one check, in teaching order', () => {
    const block = lab.manifest.files.find((f) => f.path === 'block.ts')!;
    const checked = new Set(lab.manifest.checks.map((c) => c.function));
    assert.deepEqual(block.functions.filter((f) => !checked.has(f)), []);
  });
});
