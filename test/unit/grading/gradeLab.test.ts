// Grading the real Lab 1 through the real sidecar: the reference solution earns every point,
// the starter earns none, and the report says why, with file hashes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine } from '../../../core/checks/engine';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { GRADE_REPORT_FILE, gradeLab, gradeReportMarkdown, writeGradeReport } from '../../../core/grading/gradeReport';
import { formatGradeReport } from '../../../core/grading/gradeReportText';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { Lab } from '../../../core/labs/manifest';
import { scaffoldLab } from '../../../core/labs/scaffold';
import { recordHintOpened } from '../../../core/labs/hintsOpened';
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
    // Bonus checks (the chunked-attention exercise) count apart from the score.
    assert.equal(report.score, lab.manifest.checks.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0));
    const bonusMax = lab.manifest.checks.filter((c) => c.bonus).reduce((s, c) => s + c.points, 0);
    assert.ok(bonusMax > 0, 'Lab 1 has bonus checks');
    assert.deepEqual(report.bonus, { score: bonusMax, maxScore: bonusMax });
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

  it('gives the starter zero, every check "not started" (no hint pushed at a function not begun)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
    scaffoldLab(lab, dir, { typesDir });
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '9.9.9' });
    assert.equal(report.score, 0);
    assert.ok(report.checks.every((c) => c.status === 'not-started' && /is not started yet/.test(c.message)));
    const text = formatGradeReport(report);
    assert.match(text, new RegExp(`0/${lab.manifest.checks.filter((c) => !c.bonus).reduce((n, c) => n + c.points, 0)} points`));
    assert.match(text, /NOT STARTED\s+0\/1  softmax-sums-to-one/);
    assert.doesNotMatch(text, /hint {6}/);
    const md = gradeReportMarkdown(report);
    assert.match(md, /\| ○ \| softmax returns probabilities that sum to 1 \| 0\/1 \| softmax\(\) is not started yet/);
    assert.doesNotMatch(md, /\*Hint:\*/);
  });

  it('names the function a check waits for when another function is not started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
    scaffoldLab(lab, dir, { withSolution: true, typesDir });
    const file = join(dir, 'attention.ts');
    const solution = readFileSync(file, 'utf8');
    // multiHeadAttention calls attention(): only attention() is back to its starter body.
    const body = /export function attention\([\s\S]*?\n}\n/.exec(solution)![0];
    const todo = body.replace(/\{\n[\s\S]*\n}\n$/, "{\n  throw new Error('TODO: implement attention');\n}\n");
    writeFileSync(file, solution.replace(body, todo));
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '1' });
    const mha = report.checks.find((c) => c.id === 'mha-matches-reference')!;
    assert.equal(mha.status, 'not-started');
    assert.match(mha.message, /^attention\(\) is not started yet/);
    assert.equal(report.checks.find((c) => c.id === 'softmax-matches-reference')!.status, 'pass');
  });

  it('prints each failing check with its message, expected, actual and hint in the text report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
    scaffoldLab(lab, dir, { withSolution: true, typesDir });
    const file = join(dir, 'attention.ts');
    // softmax without the division: every "probability" is an unnormalised exponential.
    const wrong = readFileSync(file, 'utf8').replace(/return exps\.map\(\(e\) => e \/ sum\);/, 'return exps.map((e) => e + 0 * sum);');
    assert.notEqual(wrong, readFileSync(file, 'utf8'), 'the solution still has the line this test breaks');
    writeFileSync(file, wrong);
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '1' });
    const c = report.checks.find((x) => x.id === 'softmax-matches-reference')!;
    assert.equal(c.status, 'fail');
    const text = formatGradeReport(report);
    const block = text.slice(text.indexOf('softmax-matches-reference'));
    assert.match(block, new RegExp(`^\\s+${escapeRe(c.message.split('\n')[0])}`, 'm'));
    assert.match(block, /^\s+expected\s+\[/m);
    assert.match(block, /^\s+actual\s+\[/m);
    assert.match(block, new RegExp(`^\\s+hint\\s+${escapeRe(c.hint.slice(0, 30))}`, 'm'));
  });

  it('reports type errors as warnings that cost no points, and the hints the learner opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
    scaffoldLab(lab, dir, { withSolution: true, typesDir });
    const file = join(dir, 'attention.ts');
    // Runs fine (types are erased) but tsc rejects it.
    writeFileSync(file, readFileSync(file, 'utf8') + '\nexport const shouldBeANumber: number = "seven";\n');
    recordHintOpened(dir, 'softmax', 2);
    recordHintOpened(dir, 'softmax', 1); // the count never goes down
    const hinted: Lab = { ...lab, manifest: { ...lab.manifest, hints: { softmax: ['idea', 'API', 'formula'], attention: ['idea'] } } };
    const report = await gradeLab(engine, hinted, dir, {
      extensionVersion: '1',
      typeCheck: async (files) => (await client.typeCheck({ files })).typeErrors,
    });
    assert.equal(report.score, report.maxScore);
    assert.equal(report.typeErrors?.length, 1, JSON.stringify(report.typeErrors));
    const [d] = report.typeErrors!;
    assert.equal(d.file, 'attention.ts');
    assert.match(d.message, /Type 'string' is not assignable to type 'number'/);
    assert.equal(d.line, readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('shouldBeANumber')) + 1);
    assert.deepEqual(report.hintsOpened, { softmax: { opened: 2, of: 3 } });
    assert.match(formatGradeReport(report), /type errors \(warnings, no points lost\): 1\n  attention\.ts:\d+:\d+ Type 'string'/);
    assert.match(formatGradeReport(report), /hints opened: softmax 2 of 3/);
  });

  it('resolves a lab\'s own relative imports: every lab\'s reference solution type-checks clean', async () => {
    for (const other of loadLabs(join(repoRoot(), 'labs')).labs) {
      const files = other.manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(other.dir, f.solution), 'utf8') }));
      const r = await client.typeCheck({ files });
      assert.deepEqual(r.typeErrors.map((d) => `${d.file}:${d.line} ${d.message}`), [], other.manifest.id);
    }
    // …and an import of a file the lab does not have is reported, naming it.
    const broken = await client.typeCheck({ files: [{ path: 'a.ts', text: "import { x } from './missing';\nexport const y = x;\n" }] });
    assert.match(broken.typeErrors[0]?.message ?? '', /Cannot find module '\.\/missing'/);
  });

  it('finds no type errors in the reference solution or the starter', async () => {
    for (const withSolution of [true, false]) {
      const dir = mkdtempSync(join(tmpdir(), 'tl-grade-'));
      scaffoldLab(lab, dir, { withSolution, typesDir });
      const files = [{ path: 'attention.ts', text: readFileSync(join(dir, 'attention.ts'), 'utf8') }];
      const r = await client.typeCheck({ files });
      assert.deepEqual(r.typeErrors, [], withSolution ? 'solution' : 'starter');
    }
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

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
