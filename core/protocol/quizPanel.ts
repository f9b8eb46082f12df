// The extension ↔ quiz panel protocol (a lab's mastery questions): typed postMessage maps.
// The page never receives an unsettled question's answer: only the prompt, the options and the
// learner's own attempts; the right answer and the explanation come once the question is settled.
// No Node or vscode imports (the page bundles it).
import type { Envelope } from './webview';

export type QuizQuestionStatus = 'unanswered' | 'retry' | 'correct' | 'wrong';

export interface QuizQuestionView {
  id: string;
  kind: 'choice' | 'numeric' | 'short';
  prompt: string;
  points: number;
  earned: number;
  status: QuizQuestionStatus;
  attemptsLeft: number;
  /** The learner's counted answers, as typed (a choice as its option id). */
  answers: string[];
  /** Multiple choice only. */
  options?: { id: string; text: string }[];
  /** Numeric only: what the number counts ("GB"). */
  unit?: string;
  /** The learner's exercise functions that compute the answer. */
  computeWith: string[];
  /** Once settled: the right answer in words and why. */
  correctAnswer?: string;
  explanation?: string;
}

export interface QuizSnapshot {
  labId: string;
  labTitle: string;
  score: number;
  maxScore: number;
  answered: number;
  total: number;
  questions: QuizQuestionView[];
  /** The answers file could not be read (it counts as none), said to the learner. */
  problem?: string;
}

/** What became of one answer the page sent. */
export type QuizFeedback =
  | { questionId: string; kind: 'refused'; message: string }
  | { questionId: string; kind: 'recorded'; correct: boolean; message: string };

/** Messages the extension sends to the quiz panel. */
export interface HostToQuiz {
  /** Every question's state: sent when the page (re)loads and whenever the answers change (here or in the quick pick). */
  snapshot: QuizSnapshot;
  /** The verdict on the answer just sent; a snapshot with the new state follows a recorded one. */
  feedback: QuizFeedback;
  /** No quiz to show, and why (the lab has none, its folder is gone). */
  unavailable: { message: string };
}

/** Messages the quiz panel sends to the extension. */
export interface QuizToHost {
  ready: Record<string, never>;
  answer: { questionId: string; answer: string };
  revealFunction: { name: string };
}

export type HostToQuizMessage = Envelope<HostToQuiz>;
export type QuizToHostMessage = Envelope<QuizToHost>;

/** Longest answer the host accepts from the page (a short answer or a number; anything longer is a mistake). */
export const MAX_QUIZ_ANSWER_CHARS = 500;
