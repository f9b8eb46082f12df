// Lab 4's manifest and check module agree (the course conventions, starters, hints, variantOf,
// are held for every lab by test/unit/labs/conventions.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { LabModule } from '../../../core/checks/checkApi';
import { findBuildPaths } from '../../../core/compute/paths';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { LAB_ID } from './support';

describe('Lab 4 manifest and check module', () => {
  const paths = findBuildPaths(__dirname);
  const lab = findLab(loadLabs(paths.labsRoot).labs, LAB_ID)!;
  const mod = require(join(paths.labsDist, LAB_ID, 'checks.js')) as LabModule;

  it('loads, with id, order and version as specified', () => {
    assert.ok(lab, 'labs/04-tokenizer did not load');
    assert.equal(lab.manifest.order, 4);
    assert.equal(lab.manifest.version, '1.0.0');
  });

  it('lists exactly the checks the module implements, and the tokens view', () => {
    assert.deepEqual(lab.manifest.checks.map((c) => c.id).sort(), Object.keys(mod.checks).sort());
    assert.deepEqual(lab.manifest.visualizations.map((v) => v.id), ['tokens']);
    assert.deepEqual(Object.keys(mod.visualize ?? {}), ['tokens']);
  });
});
