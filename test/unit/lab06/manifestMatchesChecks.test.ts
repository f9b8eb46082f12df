// Every check the manifest lists exists in Lab 6's check module, and nothing else does;
// every view the manifest lists is computed by the module.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import type { LabModule } from '../../../core/checks/checkApi';
import { findLab, loadLabs } from '../../../core/labs/labLoader';

describe('Lab 6 manifest and check module', () => {
  const paths = findBuildPaths(__dirname);
  const lab = findLab(loadLabs(paths.labsRoot).labs, '06-mini-gpt')!;
  const mod = require(join(paths.labsDist, '06-mini-gpt', 'checks.js')) as LabModule;

  it('loads, with id, order and version as specified', () => {
    assert.ok(lab, 'labs/06-mini-gpt did not load');
    assert.equal(lab.manifest.order, 6);
    assert.equal(lab.manifest.version, '1.1.0');
  });

  it('lists exactly the checks the module implements', () => {
    assert.deepEqual(lab.manifest.checks.map((c) => c.id).sort(), Object.keys(mod.checks).sort());
  });

  it('lists exactly the views the module computes', () => {
    assert.deepEqual(lab.manifest.visualizations.map((v) => v.id).sort(), Object.keys(mod.visualize ?? {}).sort());
    assert.deepEqual(lab.manifest.visualizations.map((v) => v.id).sort(), ['decoding', 'model-attention']);
  });

  it('has hidden checks worth points, and reuses the Lab 1 attention file', () => {
    assert.ok(lab.manifest.checks.filter((c) => c.hidden).reduce((s, c) => s + c.points, 0) > 0);
    const att = lab.manifest.files.find((f) => f.path === 'attention.ts');
    assert.deepEqual(att?.reuseFrom, { lab: '01-attention', path: 'attention.ts' });
  });
});
