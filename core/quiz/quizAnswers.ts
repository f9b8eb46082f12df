// The learner's answers to a lab's mastery questions, kept in the lab folder
// (.transformer-labs/quiz.json) so that the quiz panel, the course view, `transformer-labs quiz`
// and the grade report (from the extension or the CLI) all read the same record. Every attempt is
// kept; the score is always recomputed from the attempts against the current questions, never
// read from the file.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import '../zod';
import { MARKER_DIR } from '../labs/scaffold';
import { writeFileAtomic } from '../util/atomicWrite';
import { attemptsOf, type Question, type QuizFile } from './quizSchema';
import { checkAnswer, correctAnswerText } from './scoring';
import { t } from '../l10n';

export const QUIZ_ANSWERS_FILE = join(MARKER_DIR, 'quiz.json');

const AnswersFileSchema = z.object({
  schemaVersion: z.literal(1),
  labId: z.string(),
  answers: z.record(z.string(), z.object({ attempts: z.array(z.object({ answer: z.string(), at: z.string() })) })),
});
export type AnswersFile = z.infer<typeof AnswersFileSchema>;

export type QuestionStatus = 'unanswered' | 'retry' | 'correct' | 'wrong';

export interface QuestionState {
  id: string;
  status: QuestionStatus;
  points: number;
  earned: number;
  attemptsUsed: number;
  attemptsLeft: number;
  /** The answers given, as typed. */
  answers: string[];
  /** Once settled (correct or wrong): the right answer and why. */
  correctAnswer?: string;
  explanation?: string;
}

export interface QuizSummary {
  score: number;
  maxScore: number;
  answered: number;
  total: number;
  questions: QuestionState[];
}

/** The answers recorded in `dir`; an unreadable record reads as none (and `problem` says why). */
export function readAnswers(dir: string, labId: string): { file: AnswersFile; problem?: string } {
  const empty: AnswersFile = { schemaVersion: 1, labId, answers: {} };
  const path = join(dir, QUIZ_ANSWERS_FILE);
  if (!existsSync(path)) return { file: empty };
  try {
    const parsed = AnswersFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { file: empty, problem: `${path}: ${issue.path.join('.') || t('(top level)')}: ${issue.message}` };
    }
    if (parsed.data.labId !== labId) return { file: empty, problem: t('{0} holds answers for lab "{1}", not "{2}"', path, parsed.data.labId, labId) };
    return { file: parsed.data };
  } catch (err) {
    return { file: empty, problem: t('{0} is not valid JSON ({1})', path, (err as Error).message) };
  }
}

/** One question's state from its attempts: only the first attemptsOf(q) count. */
export function questionState(q: Question, answers: string[]): QuestionState {
  const allowed = attemptsOf(q);
  const counted: string[] = [];
  let correct = false;
  for (const a of answers) {
    if (counted.length >= allowed) break;
    const v = checkAnswer(q, a);
    if (!v.valid) continue; // refused answers were never recorded by answerQuestion; a hand edit does not cost a try
    counted.push(a);
    if (v.correct) {
      correct = true;
      break;
    }
  }
  const status: QuestionStatus = correct ? 'correct' : counted.length === 0 ? 'unanswered' : counted.length >= allowed ? 'wrong' : 'retry';
  const settled = status === 'correct' || status === 'wrong';
  return {
    id: q.id,
    status,
    points: q.points,
    earned: correct ? q.points : 0,
    attemptsUsed: counted.length,
    attemptsLeft: settled ? 0 : allowed - counted.length,
    answers: counted,
    correctAnswer: settled ? correctAnswerText(q) : undefined,
    explanation: settled ? q.explanation : undefined,
  };
}

export function summarize(quiz: QuizFile, file: AnswersFile): QuizSummary {
  const questions = quiz.questions.map((q) => questionState(q, (file.answers[q.id]?.attempts ?? []).map((a) => a.answer)));
  return {
    score: questions.reduce((s, q) => s + q.earned, 0),
    maxScore: questions.reduce((s, q) => s + q.points, 0),
    answered: questions.filter((q) => q.status === 'correct' || q.status === 'wrong').length,
    total: questions.length,
    questions,
  };
}

export type AnswerOutcome =
  | { kind: 'refused'; message: string; state: QuestionState }
  | { kind: 'recorded'; correct: boolean; state: QuestionState; summary: QuizSummary };

/**
 * Checks `raw` against question `id` and records it as an attempt. An unreadable answer, an
 * unknown question or a settled one is refused and nothing is written.
 */
export function answerQuestion(dir: string, labId: string, quiz: QuizFile, id: string, raw: string, now = new Date()): AnswerOutcome {
  const q = quiz.questions.find((x) => x.id === id);
  if (!q) throw new Error(`the quiz of lab "${labId}" has no question "${id}"; its questions: ${quiz.questions.map((x) => x.id).join(', ')}`);
  const { file } = readAnswers(dir, labId);
  const before = questionState(q, (file.answers[id]?.attempts ?? []).map((a) => a.answer));
  if (before.status === 'correct' || before.status === 'wrong') {
    return { kind: 'refused', message: before.status === 'correct' ? t('this question is settled (answered right)') : t('this question is settled (no tries left)'), state: before };
  }
  const verdict = checkAnswer(q, raw);
  if (!verdict.valid) return { kind: 'refused', message: verdict.message, state: before };
  const attempts = [...(file.answers[id]?.attempts ?? []), { answer: String(raw).trim(), at: now.toISOString() }];
  const next: AnswersFile = { ...file, answers: { ...file.answers, [id]: { attempts } } };
  const path = join(dir, QUIZ_ANSWERS_FILE);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, JSON.stringify(next, null, 2) + '\n');
  const summary = summarize(quiz, next);
  return { kind: 'recorded', correct: verdict.correct, state: summary.questions.find((s) => s.id === id)!, summary };
}

/** One sentence on an answer just recorded: the points won, or how many tries are left. */
export function verdictText(correct: boolean, state: QuestionState): string {
  if (correct) return state.earned === 1 ? t('Right: +{0} point.', state.earned) : t('Right: +{0} points.', state.earned);
  if (state.status === 'retry') return state.attemptsLeft === 1 ? t('Not right. {0} more try.', state.attemptsLeft) : t('Not right. {0} more tries.', state.attemptsLeft);
  return t('Not right, and no tries left.');
}
