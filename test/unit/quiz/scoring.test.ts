// Scoring and keeping the answers: numbers as learners type them (and refusals that cost no try),
// tolerance, short answers, attempts, explanations only once settled, and the record in the lab
// folder that the grade report reads.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quizReport } from '../../../core/grading/gradeReport';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { answerQuestion, QUIZ_ANSWERS_FILE, readAnswers, summarize } from '../../../core/quiz/quizAnswers';
import { quizOf } from '../../../core/quiz/quizFile';
import { QuizFileSchema, type QuizFile } from '../../../core/quiz/quizSchema';
import { checkAnswer, parseNumber } from '../../../core/quiz/scoring';
import { repoRoot } from '../../support/repoRoot';

const quiz: QuizFile = QuizFileSchema.parse({
  schemaVersion: 1,
  questions: [
    { id: 'mem', kind: 'numeric', prompt: 'GB?', answer: 40, tolerance: { rel: 0.01 }, unit: 'GB', explanation: 'N² × 4 bytes' },
    { id: 'pick', kind: 'choice', prompt: 'which?', options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }], answer: 'b', explanation: 'B because', points: 2 },
    { id: 'big-o', kind: 'short', prompt: 'growth?', accepted: ['O(N^2)', 'quadratic'], explanation: 'one weight per pair' },
  ],
});
const fresh = () => mkdtempSync(join(tmpdir(), 'tl-quiz-'));

describe('quiz scoring', () => {
  it('reads numbers the way learners write them, and refuses ambiguous ones with the reason', () => {
    assert.deepEqual(parseNumber('4 × 10^10'), { value: 4e10 });
    assert.deepEqual(parseNumber('4·10¹⁰'), { value: 4e10 });
    assert.deepEqual(parseNumber('3,152,384'), { value: 3152384 });
    assert.deepEqual(parseNumber('−1.5e-3'), { value: -0.0015 });
    assert.deepEqual(parseNumber('40 GB', 'GB'), { value: 40 });
    assert.match((parseNumber('12,689') as { error: string }).error, /two ways: write 12689 or 12.689/);
    assert.match((parseNumber('forty') as { error: string }).error, /not a number/);
  });

  it('accepts within the tolerance only; short answers ignore case, spaces and ² vs ^2', () => {
    const mem = quiz.questions[0];
    assert.equal((checkAnswer(mem, '40.3') as { correct: boolean }).correct, true);
    assert.equal((checkAnswer(mem, '37.3') as { correct: boolean }).correct, false, '37.3 GiB is not 40 GB');
    const s = quiz.questions[2];
    assert.equal((checkAnswer(s, ' o(n²) ') as { correct: boolean }).correct, true);
    assert.equal((checkAnswer(s, 'O(N log N)') as { correct: boolean }).correct, false);
    assert.deepEqual(checkAnswer(quiz.questions[1], 'z'), { valid: false, message: '"z" is not one of the options a, b' });
  });

  it('keeps attempts in the lab folder, explains only once settled, and scores from the record', () => {
    const dir = fresh();
    const refused = answerQuestion(dir, 'lab-x', quiz, 'mem', 'lots');
    assert.equal(refused.kind, 'refused');
    assert.equal(readAnswers(dir, 'lab-x').file.answers.mem, undefined, 'a refused answer costs no try and is not written');

    const first = answerQuestion(dir, 'lab-x', quiz, 'mem', '37.3');
    assert.equal(first.kind === 'recorded' && first.state.status, 'retry');
    assert.equal(first.kind === 'recorded' && first.state.explanation, undefined, 'no explanation while a try is left');
    const second = answerQuestion(dir, 'lab-x', quiz, 'mem', '40 GB');
    assert.ok(second.kind === 'recorded' && second.correct);
    assert.equal(second.kind === 'recorded' && second.state.explanation, 'N² × 4 bytes');

    const pick = answerQuestion(dir, 'lab-x', quiz, 'pick', 'a');
    assert.ok(pick.kind === 'recorded' && pick.state.status === 'wrong', 'one try for multiple choice');
    assert.equal(pick.kind === 'recorded' && pick.state.correctAnswer, 'b) B');
    assert.equal(answerQuestion(dir, 'lab-x', quiz, 'pick', 'b').kind, 'refused', 'a settled question takes no more answers');

    // persisted: a new read of the folder gives the same score
    const again = summarize(quiz, readAnswers(dir, 'lab-x').file);
    assert.deepEqual([again.score, again.maxScore, again.answered, again.total], [1, 4, 2, 3]);
    assert.equal(JSON.parse(readFileSync(join(dir, QUIZ_ANSWERS_FILE), 'utf8')).answers.mem.attempts.length, 2);
  });

  it('a damaged answers file counts as no answers and says why; the grade report carries the quiz apart', () => {
    const lab1 = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;
    const dir = fresh();
    const q = quizOf(lab1)!.questions.find((x) => x.id === 'score-matrix-memory')!;
    answerQuestion(dir, '01-attention', quizOf(lab1)!, q.id, '40');
    const r = quizReport(lab1, dir)!;
    assert.equal(r.score, q.points);
    assert.equal(r.answered, 1);
    assert.equal(r.questions.find((x) => x.id === q.id)?.status, 'correct');

    writeFileSync(join(dir, QUIZ_ANSWERS_FILE), '{oops');
    const broken = quizReport(lab1, dir)!;
    assert.equal(broken.score, 0);
    assert.match(broken.problem ?? '', /quiz\.json is not valid JSON/);
  });
});
