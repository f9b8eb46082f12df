// Every check Lab 3's manifest lists exists in the lab's check module, and nothing else does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { isLabView } from '../../../core/checks/labView';
import type { LabModule } from '../../../core/checks/checkApi';
import { findLab, loadLabs } from '../../../core/labs/labLoader';

describe('Lab 3 manifest and check module', () => {
  const paths = findBuildPaths(__dirname);
  const { labs, errors } = loadLabs(paths.labsRoot);
  const lab = findLab(labs, '03-positional-encodings')!;
  const mod = require(join(paths.labsDist, '03-positional-encodings', 'checks.js')) as LabModule;

  it('loads without errors, as lab 3 at version 1.2.0 (async extrapolationStudy and pooledSentence)', () => {
    assert.deepEqual(errors.filter((e) => e.dir.includes('03-positional-encodings')), []);
    assert.equal(lab.manifest.order, 3);
    assert.equal(lab.manifest.version, '1.2.0');
  });

  it('lists exactly the checks the module implements', () => {
    assert.deepEqual(lab.manifest.checks.map((c) => c.id).sort(), Object.keys(mod.checks).sort());
  });

  it('has a positions view for the panel, and hidden checks worth points', () => {
    assert.deepEqual(lab.manifest.visualizations.map((v) => v.id), ['positions']);
    assert.ok(isLabView(mod.visualize?.positions), 'a two-part view: its reference runs outside the learner time limit');
    assert.ok(lab.manifest.checks.filter((c) => c.hidden).reduce((s, c) => s + c.points, 0) > 0);
    assert.ok(lab.manifest.checks.length >= 20);
  });

  it('has checks for every exercise function', () => {
    const checked = new Set(lab.manifest.checks.map((c) => c.function));
    assert.deepEqual(lab.manifest.files[0].functions.filter((f) => !checked.has(f)), []);
  });
});
