// Lab 5 graded through the real sidecar with the shipped encoder and data: the solution earns
// every point (hidden checks included), the starter none; a solution in another style passes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeLab } from '../../../core/grading/gradeReport';
import { expectStarterNotStarted, labSidecar } from '../../support/labThroughSidecar';
import { LAB_ID, LIMITS, workspace } from './support';
import { OTHER_STYLE, OTHER_STYLE_ASYNC } from './otherStyle';

describe('Lab 5 through the real sidecar', function () {
  this.timeout(300_000);
  const s = labSidecar(LAB_ID, LIMITS);

  it('gives the solution full marks, hidden checks included', async () => {
    const report = await gradeLab(s.engine, s.lab, workspace(s.lab, true), { extensionVersion: '9.9.9' });
    const failing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    assert.deepEqual(failing, []);
    assert.equal(report.score, s.lab.manifest.checks.reduce((s, c) => s + c.points, 0));
    assert.ok(report.checks.some((c) => c.hidden));
  });

  it('gives the starter zero, every check "not started"', async () => {
    await expectStarterNotStarted(s.engine, s.lab);
  });

  // clipGradNorm and trainStep both ways: synchronous with dataSync (the old style, fine on wasm
  // and cpu) and async with await (the starter's).
  for (const [style, texts] of [['synchronous', OTHER_STYLE], ['async', OTHER_STYLE_ASYNC]] as const) {
    it(`passes a correct solution written in another style (loops, tf.gather, tf.where, a different schedule form; ${style} clipGradNorm and trainStep)`, async () => {
      const dir = workspace(s.lab, true);
      for (const [file, text] of Object.entries(texts)) writeFileSync(join(dir, file), text);
      const report = await gradeLab(s.engine, s.lab, dir, { extensionVersion: '9.9.9' });
      assert.deepEqual(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), []);
    });
  }
});
