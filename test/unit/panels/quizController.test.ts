// The quiz panel's host logic on Lab 1's real questions and a real lab folder: the page gets every
// question without the answers it has not earned; an answer is checked and kept in the same record
// the quick-pick flow writes (.transformer-labs/quiz.json), so either way of answering sees the
// other's; unreadable answers cost nothing; malformed messages are refused with the reason.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostToQuizMessage, QuizSnapshot } from '../../../core/protocol/quizPanel';
import { loadLabs } from '../../../core/labs/labLoader';
import { answerQuestion, QUIZ_ANSWERS_FILE, readAnswers, summarize } from '../../../core/quiz/quizAnswers';
import { quizOf } from '../../../core/quiz/quizFile';
import type { NumericQuestion, QuizFile } from '../../../core/quiz/quizSchema';
import { parseQuizAnswer, QuizController, type QuizLab } from '../../../src/panels/quizController';
import { repoRoot } from '../../support/repoRoot';

const lab1 = loadLabs(join(repoRoot(), 'labs')).labs.find((l) => l.manifest.id === '01-attention')!;
const quiz: QuizFile = quizOf(lab1)!;
const NOW = new Date('2026-12-02T17:00:00Z');
const numeric = quiz.questions.find((q): q is NumericQuestion => q.id === 'score-matrix-memory')!;
const choice = quiz.questions.find((q) => q.kind === 'choice')!;

function setUp(load?: () => QuizLab | { unavailable: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'tl-quiz-panel-'));
  const lab: QuizLab = { dir, labId: '01-attention', labTitle: lab1.manifest.title, quiz };
  const posted: HostToQuizMessage[] = [];
  const answered: string[] = [];
  const c = new QuizController({ source: { load: load ?? (() => lab), onAnswered: (id) => answered.push(id) }, post: (m) => posted.push(m), now: () => NOW });
  const snapshots = () => posted.filter((m): m is Extract<HostToQuizMessage, { type: 'snapshot' }> => m.type === 'snapshot').map((m) => m.body);
  const last = (): QuizSnapshot => snapshots()[snapshots().length - 1];
  const question = (id: string) => last().questions.find((q) => q.id === id)!;
  return { dir, lab, c, posted, answered, snapshots, last, question };
}

describe('quiz panel: host controller', () => {
  it('sends every question on ready, and no answer or explanation of a question not yet settled', () => {
    const { c, posted, last } = setUp();
    c.refresh();
    assert.equal(posted.length, 0, 'nothing is sent before the page is ready');
    c.onReady();
    const s = last();
    assert.equal(s.labId, '01-attention');
    assert.equal(s.total, quiz.questions.length);
    assert.equal(s.maxScore, quiz.questions.reduce((n, q) => n + q.points, 0));
    assert.deepEqual([s.score, s.answered], [0, 0]);
    assert.deepEqual(s.questions.map((q) => q.id), quiz.questions.map((q) => q.id));
    for (const q of s.questions) {
      assert.equal(q.status, 'unanswered');
      assert.equal(q.correctAnswer, undefined, `${q.id}: no answer before it is settled`);
      assert.equal(q.explanation, undefined, `${q.id}: no explanation before it is settled`);
      assert.ok(!('answer' in q) && !('accepted' in q) && !('tolerance' in q), `${q.id}: the page gets no field that gives the answer away`);
    }
    const view = s.questions.find((q) => q.id === numeric.id)!;
    assert.equal(view.unit, 'GB');
    const choiceView = s.questions.find((q) => q.id === choice.id)!;
    assert.deepEqual(choiceView.options?.map((o) => o.id), choice.kind === 'choice' ? choice.options.map((o) => o.id) : []);
  });

  it('a right answer scores, is explained, and is kept in the record the quick pick reads', () => {
    const { dir, c, posted, answered, last, question } = setUp();
    c.onReady();
    assert.equal(c.onAnswer({ questionId: numeric.id, answer: '40 GB' }), undefined);
    const fb = posted.find((m) => m.type === 'feedback');
    assert.deepEqual(fb?.body, { questionId: numeric.id, kind: 'recorded', correct: true, message: `Right: +${numeric.points} point${numeric.points === 1 ? '' : 's'}.` });
    assert.equal(posted[posted.length - 1].type, 'snapshot', 'the new state follows the verdict');
    assert.equal(last().score, numeric.points);
    assert.equal(last().answered, 1);
    const q = question(numeric.id);
    assert.equal(q.status, 'correct');
    assert.deepEqual(q.answers, ['40 GB']);
    assert.match(q.correctAnswer ?? '', /^40 GB/);
    assert.equal(q.explanation, numeric.explanation);
    assert.deepEqual(answered, ['01-attention']);
    // The same record as the quick pick's: read back by core/quiz, and by a panel opened later.
    const record = JSON.parse(readFileSync(join(dir, QUIZ_ANSWERS_FILE), 'utf8'));
    assert.deepEqual(record.answers[numeric.id].attempts, [{ answer: '40 GB', at: NOW.toISOString() }]);
    assert.equal(summarize(quiz, readAnswers(dir, '01-attention').file).score, numeric.points);
    const again = setUp(() => ({ dir, labId: '01-attention', labTitle: 'x', quiz }));
    again.c.onReady();
    assert.equal(again.question(numeric.id).status, 'correct');
    // A settled question takes no more answers.
    c.onAnswer({ questionId: numeric.id, answer: '41' });
    const refused = posted.filter((m) => m.type === 'feedback').pop();
    assert.deepEqual(refused?.body, { questionId: numeric.id, kind: 'refused', message: 'Not counted: this question is settled (answered right).' });
  });

  it('a wrong numeric answer leaves a try; the second wrong one settles it with the answer and why', () => {
    const { c, posted, question } = setUp();
    c.onReady();
    c.onAnswer({ questionId: numeric.id, answer: '37.3' });
    assert.deepEqual(posted.filter((m) => m.type === 'feedback').pop()?.body, { questionId: numeric.id, kind: 'recorded', correct: false, message: 'Not right. 1 more try.' });
    assert.equal(question(numeric.id).status, 'retry');
    assert.equal(question(numeric.id).correctAnswer, undefined, 'still no answer while a try is left');
    c.onAnswer({ questionId: numeric.id, answer: '4' });
    assert.deepEqual(posted.filter((m) => m.type === 'feedback').pop()?.body, { questionId: numeric.id, kind: 'recorded', correct: false, message: 'Not right, and no tries left.' });
    const q = question(numeric.id);
    assert.equal(q.status, 'wrong');
    assert.deepEqual(q.answers, ['37.3', '4']);
    assert.equal(q.earned, 0);
    assert.ok(q.correctAnswer && q.explanation, 'settled: the answer and the explanation are shown');
  });

  it('an unreadable answer is refused with the reason, costs no try and writes nothing', () => {
    const { dir, c, posted, snapshots } = setUp();
    c.onReady();
    const before = snapshots().length;
    c.onAnswer({ questionId: numeric.id, answer: 'forty' });
    const fb = posted.filter((m) => m.type === 'feedback').pop()?.body;
    assert.equal(fb?.kind, 'refused');
    assert.match(fb?.kind === 'refused' ? fb.message : '', /^Not counted: "forty" is not a number/);
    c.onAnswer({ questionId: choice.id, answer: 'z' });
    assert.match(JSON.stringify(posted.filter((m) => m.type === 'feedback').pop()?.body), /"z\\" is not one of the options a, b/);
    assert.equal(snapshots().length, before, 'no new state');
    assert.equal(existsSync(join(dir, QUIZ_ANSWERS_FILE)), false, 'nothing recorded');
  });

  it('refuses malformed messages and unknown questions without writing', () => {
    assert.equal(parseQuizAnswer(null), 'the answer must be an object');
    assert.equal(parseQuizAnswer({ questionId: '', answer: '1' }), 'questionId must be a non-empty string');
    assert.equal(parseQuizAnswer({ questionId: 'q', answer: 7 }), 'answer must be a string, not number');
    assert.match(String(parseQuizAnswer({ questionId: 'q', answer: 'x'.repeat(501) })), /longer than 500 characters/);
    assert.deepEqual(parseQuizAnswer({ questionId: 'q', answer: ' b ' }), { questionId: 'q', answer: ' b ' });
    const { dir, c, posted } = setUp();
    c.onReady();
    assert.equal(c.onAnswer({ questionId: 'no-such-question', answer: 'b' }), 'the quiz of lab "01-attention" has no question "no-such-question"');
    assert.equal(c.onAnswer({ answer: 'b' }), 'questionId must be a non-empty string');
    assert.equal(posted.filter((m) => m.type === 'feedback').length, 0);
    assert.equal(existsSync(join(dir, QUIZ_ANSWERS_FILE)), false);
  });

  it('follows answers given in the quick pick (the same file) when refreshed', () => {
    const { dir, c, question } = setUp();
    c.onReady();
    assert.equal(question(choice.id).status, 'unanswered');
    // What src/quiz/quizCommand.ts does when the learner answers in the quick pick.
    answerQuestion(dir, '01-attention', quiz, choice.id, choice.kind === 'choice' ? choice.answer : '');
    c.refresh();
    assert.equal(question(choice.id).status, 'correct');
    assert.equal(question(choice.id).explanation, choice.explanation);
  });

  it('says why there is nothing to show, and says it again when an answer arrives', () => {
    const { c, posted } = setUp(() => ({ unavailable: 'Lab 1 is not open in this window.' }));
    c.onReady();
    c.onAnswer({ questionId: numeric.id, answer: '40' });
    assert.deepEqual(posted, [
      { type: 'unavailable', body: { message: 'Lab 1 is not open in this window.' } },
      { type: 'unavailable', body: { message: 'Lab 1 is not open in this window.' } },
    ]);
  });

  it('a record that cannot be read is said on the page and counts as none', () => {
    const { dir, c, last } = setUp();
    answerQuestion(dir, '01-attention', quiz, numeric.id, '40');
    const file = join(dir, QUIZ_ANSWERS_FILE);
    writeFileSync(file, '{ not json');
    c.onReady();
    assert.match(last().problem ?? '', /is not valid JSON/);
    assert.equal(last().score, 0);
  });
});
