// The course view's states from the lab folders alone: not started, in progress, all visible
// checks pass, graded with its score; each function's checks with the first failure's message;
// the open lab's live results over the record; the rows' words and icons.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { readCheckRecord, writeCheckRecord, type RecordedResult } from '../../../core/course/checkRecord';
import { createCourse, labFolder } from '../../../core/course/courseLayout';
import { checkRow, functionRow, labRow, quizRow } from '../../../core/course/courseRows';
import { courseStatus } from '../../../core/course/courseStatus';
import { isDone, labStatus, nextFunction } from '../../../core/course/labStatus';
import { GRADE_REPORT_FILE } from '../../../core/grading/gradeReport';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { scaffoldLab } from '../../../core/labs/scaffold';
import { answerQuestion } from '../../../core/quiz/quizAnswers';
import { quizOf } from '../../../core/quiz/quizFile';
import { repoRoot } from '../../support/repoRoot';

const paths = findBuildPaths(__dirname);
const labs = loadLabs(join(repoRoot(), 'labs'), { compiledChecksDir: paths.labsDist }).labs;
const typesDir = join(paths.buildRoot, 'types');
const lab1 = findLab(labs, '01-attention')!;
const visible = lab1.manifest.checks.filter((c) => !c.hidden);
const mainChecks = visible.filter((c) => !c.bonus);

/** Results for Lab 1's visible checks: `status(id)` decides each. */
function results(status: (id: string) => RecordedResult['status']): RecordedResult[] {
  return visible.map((c) => ({ id: c.id, status: status(c.id), message: status(c.id) === 'pass' ? '' : `${c.function}([1, 2]) gave NaN` }));
}

function course(): { dir: string; lab1dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tl-course-status-'));
  createCourse(dir);
  const lab1dir = labFolder(dir, lab1);
  scaffoldLab(lab1, lab1dir, { typesDir });
  return { dir, lab1dir };
}

describe('course view states', () => {
  it('a lab without a folder, or with no run yet, is not started; its functions are listed in order', () => {
    const s = labStatus(lab1, { created: false });
    assert.equal(s.state, 'not-started');
    assert.deepEqual(s.functions.map((f) => f.name), lab1.manifest.files.flatMap((f) => f.functions));
    assert.ok(s.functions.every((f) => f.state === 'unknown'));
    assert.equal(labStatus(lab1, { created: true, results: results(() => 'not-started') }).state, 'not-started');
    assert.match(labRow(lab1, s, { current: false }).description, /^not started · ~\d+ min$/);
  });

  it('in progress: counts the visible non-bonus checks and names the first failure of each function', () => {
    const failing = mainChecks.find((c) => c.function === 'attention')!;
    const s = labStatus(lab1, { created: true, results: results((id) => (id === failing.id ? 'fail' : mainChecks[0].id === id ? 'pass' : 'not-started')) });
    assert.equal(s.state, 'in-progress');
    assert.equal(s.passed, 1);
    assert.equal(s.total, mainChecks.length);
    const fn = s.functions.find((f) => f.name === 'attention')!;
    assert.equal(fn.state, 'fail');
    assert.equal(fn.firstFailure?.id, failing.id);
    assert.match(checkRow(fn.firstFailure!).description, /attention\(\[1, 2\]\) gave NaN/, 'a failing check shows its message in the row');
    assert.equal(functionRow(fn).icon, 'error');
    assert.match(labRow(lab1, s, { current: true }).description, new RegExp(`in progress · 1/${mainChecks.length} checks · ~\\d+ min · open`));
    assert.equal(nextFunction(s)?.name, lab1.manifest.files[0].functions[0], 'continue at the first function not passing');
    assert.equal(isDone(s), false);
  });

  it('all visible checks pass (the bonus does not count), then graded with the score', () => {
    const s = labStatus(lab1, { created: true, results: results((id) => (mainChecks.some((c) => c.id === id) ? 'pass' : 'not-started')) });
    assert.equal(s.state, 'visible-pass');
    assert.ok(isDone(s));
    const bonus = s.functions.find((f) => f.name === 'chunkedAttention')!;
    assert.ok(bonus.bonus);
    assert.match(functionRow(bonus).description, /bonus/);
    const g = labStatus(lab1, { created: true, results: [], graded: { score: 40, maxScore: 50, gradedAt: '2026-12-02T12:00:00Z' } });
    assert.equal(g.state, 'graded');
    assert.match(labRow(lab1, g, { current: false }).description, /^graded 40\/50 · ~\d+ min$/);
  });

  it('reads every lab from the course folder; the open lab uses its live results, not the record', () => {
    const { dir, lab1dir } = course();
    assert.equal(writeCheckRecord(lab1dir, '01-attention', results(() => 'fail')), true);
    assert.equal(writeCheckRecord(lab1dir, '01-attention', results(() => 'fail')), false, 'the same results are not written again');
    assert.equal(readCheckRecord(lab1dir, '01-attention')?.results.length, visible.length);
    assert.equal(readCheckRecord(lab1dir, '02-transformer-block'), undefined, 'a record of another lab is not used');

    let entries = courseStatus(dir, labs);
    assert.deepEqual(entries.map((e) => e.status.state), ['in-progress', 'not-started', 'not-started', 'not-started', 'not-started', 'not-started']);
    assert.equal(entries[0].status.passed, 0);

    entries = courseStatus(dir, labs, { labId: '01-attention', results: results(() => 'pass') });
    assert.equal(entries[0].status.state, 'visible-pass');

    writeFileSync(join(lab1dir, GRADE_REPORT_FILE), JSON.stringify({ labId: '01-attention', score: 33, maxScore: 47, gradedAt: '2026-12-02T12:00:00Z' }));
    entries = courseStatus(dir, labs);
    assert.equal(entries[0].status.state, 'graded');
    assert.equal(entries[0].status.graded?.score, 33);
  });

  it('a compile error or an answered question makes a created lab in progress; the quiz score shows', () => {
    const { dir, lab1dir } = course();
    writeCheckRecord(lab1dir, '01-attention', results(() => 'not-run'), 'attention.ts:3: Cannot find name x');
    assert.equal(courseStatus(dir, labs)[0].status.state, 'in-progress');
    assert.equal(courseStatus(dir, labs)[0].status.compileError, 'attention.ts:3: Cannot find name x');

    const { dir: d2, lab1dir: l2 } = course();
    const quiz = quizOf(lab1)!;
    const q = quiz.questions.find((x) => x.kind === 'choice')!;
    answerQuestion(l2, '01-attention', quiz, q.id, q.kind === 'choice' ? q.answer : '');
    const s = courseStatus(d2, labs)[0].status;
    assert.equal(s.state, 'in-progress');
    assert.equal(s.quiz?.answered, 1);
    assert.match(labRow(lab1, s, { current: false }).description, new RegExp(`quiz ${q.points}/${s.quiz!.maxScore}`));
    const row = quizRow(s.quiz!);
    assert.equal(row.label, 'Quiz');
    assert.equal(row.description, `${q.points}/${s.quiz!.maxScore} points · 1 of ${quiz.questions.length}`);
    assert.equal(row.ariaLabel, `Mastery questions: 1 of ${quiz.questions.length} answered, ${q.points} of ${s.quiz!.maxScore} points`);
    assert.equal(row.icon, 'question');
    assert.equal(courseStatus(dir, labs)[0].status.quiz?.answered, 0, 'a created lab with no answer still has its questions');
  });

  it('the questions\' row: none answered, some, all (full marks or not), short enough for a narrow side bar', () => {
    assert.deepEqual(quizRow({ score: 0, maxScore: 8, answered: 0, total: 6 }), {
      label: 'Quiz',
      description: '8 points to earn',
      tooltip: 'Mastery questions: 0 of 6 answered, 0 of 8 points.\nClick to open them beside the editor.',
      ariaLabel: 'Mastery questions: 0 of 6 answered, 0 of 8 points',
      icon: 'question',
      color: undefined,
    });
    assert.equal(quizRow({ score: 3, maxScore: 8, answered: 3, total: 6 }).description, '3/8 points · 3 of 6');
    const allRight = quizRow({ score: 8, maxScore: 8, answered: 6, total: 6 });
    assert.deepEqual([allRight.description, allRight.icon, allRight.color], ['8/8 points · done', 'pass', 'testing.iconPassed']);
    const allDone = quizRow({ score: 5, maxScore: 8, answered: 6, total: 6 });
    assert.deepEqual([allDone.description, allDone.icon, allDone.color], ['5/8 points · done', 'check', undefined]);
    // Every lab's longest row: at most 26 characters (about 30 show one level in, in the default side bar).
    for (const lab of labs) {
      const q = quizOf(lab);
      if (!q) continue;
      const points = q.questions.reduce((sum, x) => sum + x.points, 0);
      assert.ok(points > 0, lab.manifest.id);
      const worst = quizRow({ score: points - 1, maxScore: points, answered: q.questions.length - 1, total: q.questions.length });
      assert.ok(`${worst.label} ${worst.description}`.length <= 26, `${lab.manifest.id}: "${worst.label} ${worst.description}"`);
    }
  });
});
