// Every check the manifest lists exists in the lab's check module, and nothing else does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { isLabView } from '../../../core/checks/labView';
import type { LabModule } from '../../../core/checks/checkApi';
import { findLab, loadLabs } from '../../../core/labs/labLoader';

describe('Lab 1 manifest and check module', () => {
  const paths = findBuildPaths(__dirname);
  const lab = findLab(loadLabs(paths.labsRoot).labs, '01-attention')!;
  const mod = require(join(paths.labsDist, '01-attention', 'checks.js')) as LabModule;

  it('lists exactly the checks the module implements', () => {
    assert.deepEqual(lab.manifest.checks.map((c) => c.id).sort(), Object.keys(mod.checks).sort());
  });

  it('has an attention view for the panel, and hidden checks worth points', () => {
    assert.ok(isLabView(mod.visualize?.attention), 'a two-part view: its reference runs outside the learner time limit');
    assert.ok(lab.manifest.checks.filter((c) => c.hidden).reduce((s, c) => s + c.points, 0) > 0);
  });
});
