// Grading the real Lab 1 through the real sidecar: the reference solution earns every point,
// the starter earns none, and the report says why, with file hashes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine } from '../../../core/checks/engine';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { GRADE_REPORT_FILE, formatGradeReport, gradeLab, gradeReportMarkdown, writeGradeReport } from '../../../core/grading/gradeReport';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { Lab } from '../../../core/labs/manifest';
import { scaffoldLab } from '../../../core/labs/scaffold';
import { findBuildPaths } from '../../../core/compute/paths';
import { repoRoot } from '../../support/repoRoot';
import { testSidecar } from '../../support/sidecar';

describe('grading Lab 1', function () {
  this.timeout(60_000);
  let client: SidecarClient;
  let engine: CheckEngine;
  let lab: Lab;
  const typesDir = join(findBuildPaths(__dirname).buildRoot, 'types');

  before(async () => {
    client = testSidecar();
    engine = new CheckEngine(client, () => ({ timeoutMs: 10_000, memoryMb: 512 }));
    lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;
  });
  after(async () => client.dispose());

  it('gives the reference solution full marks, hidden checks included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
    scaffoldLab(lab, dir, { withSolution: true, typesDir });
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '9.9.9', now: () => new Date('2026-11-25T00:00:00Z') });
    const failing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    assert.deepEqual(failing, []);
    assert.equal(report.checks.length, lab.manifest.checks.length);
    assert.ok(report.checks.some((c) => c.hidden), 'hidden checks are graded');
    assert.equal(report.score, lab.manifest.checks.reduce((s, c) => s + c.points, 0));
    assert.equal(report.percent, 100);
    assert.equal(report.labVersion, lab.manifest.version);
    assert.equal(report.extensionVersion, '9.9.9');
    assert.equal(report.gradedAt, '2026-11-25T00:00:00.000Z');
    const text = readFileSync(join(dir, 'attention.ts'), 'utf8');
    assert.deepEqual(report.files, [{ path: 'attention.ts', sha256: createHash('sha256').update(text).digest('hex') }]);
    const file = writeGradeReport(report, dir);
    assert.equal(file, join(dir, GRADE_REPORT_FILE));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(report)));
  });

  it('gives the starter zero, and the report names each failure and its hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
    scaffoldLab(lab, dir, { typesDir });
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '9.9.9' });
    assert.equal(report.score, 0);
    assert.ok(report.checks.every((c) => c.status === 'error' && /TODO: implement/.test(c.message)));
    assert.match(formatGradeReport(report), /0\/32 points/);
    const md = gradeReportMarkdown(report);
    assert.match(md, /\*Hint:\* Divide every exponential/);
  });

  it('scores a partly right solution by the points of the checks it passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
    scaffoldLab(lab, dir, { withSolution: true, typesDir });
    const file = join(dir, 'attention.ts');
    // Break only the large-logit stability of softmax: no max subtraction.
    const text = readFileSync(file, 'utf8').replace('const exps = xs.map((x) => Math.exp(x - max));', 'const exps = xs.map((x) => Math.exp(x));');
    require('node:fs').writeFileSync(file, text);
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '1' });
    const failed = report.checks.filter((c) => c.status !== 'pass').map((c) => c.id);
    assert.ok(failed.includes('softmax-large-logits'), failed.join());
    const lost = report.checks.filter((c) => c.status !== 'pass').reduce((s, c) => s + c.points, 0);
    assert.equal(report.score, report.maxScore - lost);
    const c = report.checks.find((x) => x.id === 'softmax-large-logits')!;
    assert.match(c.message, /NaN at \[0\]/);
  });
});
