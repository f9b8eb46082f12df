// Lab 5 graded through the real sidecar with the shipped encoder and data: the solution earns
// every point (hidden checks included), the starter none; a solution in another style passes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckEngine } from '../../../core/checks/engine';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { gradeLab } from '../../../core/grading/gradeReport';
import type { Lab } from '../../../core/labs/manifest';
import { testSidecar } from '../../support/sidecar';
import { lab5, LIMITS, workspace } from './support';
import { OTHER_STYLE } from './otherStyle';

describe('Lab 5 through the real sidecar', function () {
  this.timeout(300_000);
  let client: SidecarClient;
  let engine: CheckEngine;
  let lab: Lab;

  before(() => {
    client = testSidecar();
    engine = new CheckEngine(client, () => LIMITS);
    lab = lab5();
  });
  after(async () => client?.dispose());

  it('gives the solution full marks, hidden checks included', async () => {
    const report = await gradeLab(engine, lab, workspace(lab, true), { extensionVersion: '9.9.9' });
    const failing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    assert.deepEqual(failing, []);
    assert.equal(report.score, lab.manifest.checks.reduce((s, c) => s + c.points, 0));
    assert.ok(report.checks.some((c) => c.hidden));
  });

  it('gives the starter zero, every check "not started"', async () => {
    const report = await gradeLab(engine, lab, workspace(lab, false), { extensionVersion: '9.9.9' });
    assert.equal(report.score, 0);
    const started = report.checks.filter((c) => !(c.status === 'not-started' && /is not started yet/.test(c.message)));
    assert.deepEqual(started.map((c) => `${c.id}: ${c.status} ${c.message}`), []);
  });

  it('passes a correct solution written in another style (loops, tf.gather, tf.where, a different schedule form)', async () => {
    const dir = workspace(lab, true);
    for (const [file, text] of Object.entries(OTHER_STYLE)) writeFileSync(join(dir, file), text);
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '9.9.9' });
    assert.deepEqual(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), []);
  });
});
