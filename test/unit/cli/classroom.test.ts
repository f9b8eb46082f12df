// GitHub Classroom's result from a grade report, for every check status: the status the reporter
// shows per test and for the run, the points it adds up, and the line written to $GITHUB_OUTPUT.
// (test/unit/cli/cli.test.ts grades a real Lab 1 with --classroom; this covers the statuses a real
// grade rarely produces: errors, time-outs, memory, bonus checks.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classroomResult, writeClassroomResult } from '../../../cli/classroom';
import type { GradedCheck, GradeReport } from '../../../core/grading/gradeReport';
import type { CheckStatus } from '../../../core/protocol/sidecar';

function check(id: string, status: CheckStatus, points: number, extra: Partial<GradedCheck> = {}): GradedCheck {
  return {
    id,
    title: `check ${id}`,
    function: 'softmax',
    points,
    earned: status === 'pass' ? points : 0,
    status,
    message: status === 'pass' ? 'ok' : `${id} went wrong`,
    hint: `look at ${id}`,
    hidden: false,
    bonus: false,
    ...extra,
  };
}

function report(checks: GradedCheck[]): GradeReport {
  const graded = checks.filter((c) => !c.bonus);
  const score = graded.reduce((s, c) => s + c.earned, 0);
  const maxScore = graded.reduce((s, c) => s + c.points, 0);
  return {
    schemaVersion: 3,
    labId: '01-attention',
    labVersion: '1.0.0',
    labTitle: 'Attention from scratch',
    gradedAt: '2026-12-04T00:00:00.000Z',
    extensionVersion: '0.0.0',
    backend: 'wasm',
    score,
    maxScore,
    percent: maxScore ? Math.round((100 * score) / maxScore) : 0,
    quiz: null,
    bonus: null,
    total: { score, maxScore, percent: 0 },
    compileErrors: [],
    typeErrors: null,
    hintsOpened: {},
    checks,
    files: [],
  };
}

describe('GitHub Classroom result', () => {
  it('one test per graded check: pass, fail (a failure or a TODO not started), error (anything else); bonus checks left out', () => {
    const r = classroomResult(
      report([
        check('a', 'pass', 2),
        check('b', 'fail', 1),
        check('c', 'not-started', 1),
        check('d', 'error', 1),
        check('e', 'timeout', 1),
        check('f', 'memory', 1),
        check('g', 'not-run', 1, { hidden: true }),
        check('h', 'pass', 3, { bonus: true }),
      ]),
    );
    assert.deepEqual(
      r.tests.map((t) => [t.name, t.status, t.score]),
      [
        ['01-attention: check a', 'pass', 2],
        ['01-attention: check b', 'fail', 0],
        ['01-attention: check c', 'fail', 0],
        ['01-attention: check d', 'error', 0],
        ['01-attention: check e', 'error', 0],
        ['01-attention: check f', 'error', 0],
        ['01-attention: check g (hidden)', 'error', 0],
      ],
    );
    assert.deepEqual(r.tests[0], { name: '01-attention: check a', status: 'pass', score: 2, message: '', line_no: 0, execution_time: '0s' });
    assert.equal(r.tests[1].message, 'b went wrong\nhint: look at b');
    assert.equal(r.version, 1);
    assert.equal(r.max_score, 8, 'the report\'s maxScore: bonus apart');
    assert.equal(r.status, 'fail', 'a failure makes the run fail');
  });

  it('the run is "pass" only when every test passes, "error" when nothing failed but something errored', () => {
    assert.equal(classroomResult(report([check('a', 'pass', 1), check('b', 'pass', 1)])).status, 'pass');
    assert.equal(classroomResult(report([check('a', 'pass', 1), check('b', 'timeout', 1)])).status, 'error');
    assert.equal(classroomResult(report([check('a', 'error', 1), check('b', 'not-started', 1)])).status, 'fail');
    assert.equal(classroomResult(report([check('h', 'fail', 1, { bonus: true })])).status, 'pass', 'only a bonus check failed: no graded test fails');
  });

  it('appends result=<base64 JSON> and a newline to the output file, and says the points', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-classroom-'));
    try {
      const out = join(dir, 'github-output');
      writeFileSync(out, 'earlier=1\n');
      const rep = report([check('a', 'pass', 2), check('b', 'fail', 3)]);
      assert.equal(writeClassroomResult(rep, out), 'Points 2/5');
      const lines = readFileSync(out, 'utf8').split('\n');
      assert.deepEqual([lines[0], lines[2]], ['earlier=1', ''], 'appended, ended by a newline');
      assert.match(lines[1], /^result=[A-Za-z0-9+/]+=*$/);
      assert.deepEqual(JSON.parse(Buffer.from(lines[1].slice('result='.length), 'base64').toString('utf8')), classroomResult(rep));
      assert.equal(writeClassroomResult(rep, ''), 'Points 2/5', 'no output file: the line only');
      assert.equal(readFileSync(out, 'utf8').split('\n').length, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
