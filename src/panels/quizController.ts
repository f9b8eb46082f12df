// The quiz panel's host-side behaviour without the vscode API (unit-tested in plain Node): reads
// the lab's questions and the learner's answers, checks an answer the page sends and records it
// through core/quiz/quizAnswers.ts — the same record the quick-pick flow, the course view and the
// grade report read — and sends the page what it may show (no unsettled question's answer).
import { MAX_QUIZ_ANSWER_CHARS, type HostToQuizMessage, type QuizQuestionView, type QuizSnapshot } from '../../core/protocol/quizPanel';
import { answerQuestion, readAnswers, summarize, verdictText, type QuizSummary } from '../../core/quiz/quizAnswers';
import type { QuizFile } from '../../core/quiz/quizSchema';
import { t } from '../l10n';

export interface QuizLab {
  /** The learner's lab folder (the answers live in its .transformer-labs/quiz.json). */
  dir: string;
  labId: string;
  labTitle: string;
  quiz: QuizFile;
}

export interface QuizSource {
  /** The panel's lab and its questions, or why there are none to show. */
  load(): QuizLab | { unavailable: string };
  /** An answer was recorded (the course view re-reads its lab). */
  onAnswered?(labId: string): void;
}

export interface QuizControllerOptions {
  source: QuizSource;
  post(message: HostToQuizMessage): void;
  now?: () => Date;
}

/** An answer body from the page; a string says what is wrong with it. */
export function parseQuizAnswer(body: unknown): { questionId: string; answer: string } | string {
  const b = body as { questionId?: unknown; answer?: unknown } | null;
  if (!b || typeof b !== 'object') return t('the answer must be an object');
  if (typeof b.questionId !== 'string' || b.questionId === '') return t('questionId must be a non-empty string');
  if (typeof b.answer !== 'string') return t('answer must be a string, not {0}', b.answer === null ? 'null' : typeof b.answer);
  if (b.answer.length > MAX_QUIZ_ANSWER_CHARS) return t('the answer is longer than {0} characters', MAX_QUIZ_ANSWER_CHARS);
  return { questionId: b.questionId, answer: b.answer };
}

/** What the page may show of the quiz: the questions, the learner's attempts and, once settled, the answer and why. */
export function quizSnapshot(lab: QuizLab, summary: QuizSummary, problem?: string): QuizSnapshot {
  const questions = lab.quiz.questions.map((q, i): QuizQuestionView => {
    const st = summary.questions[i];
    return {
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      points: q.points,
      earned: st.earned,
      status: st.status,
      attemptsLeft: st.attemptsLeft,
      answers: st.answers,
      options: q.kind === 'choice' ? q.options.map((o) => ({ id: o.id, text: o.text })) : undefined,
      unit: q.kind === 'numeric' ? q.unit : undefined,
      computeWith: q.computeWith,
      correctAnswer: st.correctAnswer,
      explanation: st.explanation,
    };
  });
  return { labId: lab.labId, labTitle: lab.labTitle, score: summary.score, maxScore: summary.maxScore, answered: summary.answered, total: summary.total, questions, problem };
}

export class QuizController {
  private ready = false;
  private disposed = false;

  constructor(private readonly options: QuizControllerOptions) {}

  /** The page loaded (or reloaded after being hidden): it gets the whole state. */
  onReady(): void {
    this.ready = true;
    this.sendSnapshot();
  }

  /** The answers may have changed elsewhere (the quick pick, a reset): re-sent if the page is there. */
  refresh(): void {
    if (this.ready) this.sendSnapshot();
  }

  /** The learner submitted an answer. Returns why the message itself was refused, if it was. */
  onAnswer(body: unknown): string | undefined {
    const parsed = parseQuizAnswer(body);
    if (typeof parsed === 'string') return parsed;
    const lab = this.options.source.load();
    if ('unavailable' in lab) {
      this.post({ type: 'unavailable', body: { message: lab.unavailable } });
      return undefined;
    }
    if (!lab.quiz.questions.some((q) => q.id === parsed.questionId)) return t('the quiz of lab "{0}" has no question "{1}"', lab.labId, parsed.questionId);
    const r = answerQuestion(lab.dir, lab.labId, lab.quiz, parsed.questionId, parsed.answer, (this.options.now ?? (() => new Date()))());
    if (r.kind === 'refused') {
      this.post({ type: 'feedback', body: { questionId: parsed.questionId, kind: 'refused', message: t('Not counted: {0}.', r.message) } });
      return undefined;
    }
    this.post({ type: 'feedback', body: { questionId: parsed.questionId, kind: 'recorded', correct: r.correct, message: verdictText(r.correct, r.state) } });
    this.post({ type: 'snapshot', body: quizSnapshot(lab, r.summary) });
    this.options.source.onAnswered?.(lab.labId);
    return undefined;
  }

  dispose(): void {
    this.disposed = true;
  }

  private sendSnapshot(): void {
    const lab = this.options.source.load();
    if ('unavailable' in lab) {
      this.post({ type: 'unavailable', body: { message: lab.unavailable } });
      return;
    }
    const { file, problem } = readAnswers(lab.dir, lab.labId);
    this.post({ type: 'snapshot', body: quizSnapshot(lab, summarize(lab.quiz, file), problem) });
  }

  private post(m: HostToQuizMessage): void {
    if (!this.disposed) this.options.post(m);
  }
}
