// "Answer Mastery Questions": the open lab's questions in VS Code's own quick input (keyboard
// and screen-reader accessible, themed by the editor): a list with each question's state, then
// the options or an input box. An answer that cannot be read is refused inline and costs no try;
// a settled question shows the right answer and why. Answers are kept in the lab folder
// (core/quiz/quizAnswers.ts), where the grade report and the course view read them.
import * as vscode from 'vscode';
import { answerQuestion, readAnswers, summarize, verdictText, type QuestionState, type QuizSummary } from '../../core/quiz/quizAnswers';
import { quizOf } from '../../core/quiz/quizFile';
import type { Question, QuizFile } from '../../core/quiz/quizSchema';
import { checkAnswer } from '../../core/quiz/scoring';
import type { ActiveLab } from '../labs/labRegistry';
import { watchAnswers } from './answersWatcher';

const MARK: Record<QuestionState['status'], string> = {
  unanswered: '$(circle-large-outline)',
  retry: '$(debug-restart)',
  correct: '$(pass)',
  wrong: '$(error)',
};

function statusWords(status: QuestionState['status']): string {
  const words: Record<QuestionState['status'], string> = {
    unanswered: vscode.l10n.t('not answered'),
    retry: vscode.l10n.t('try again'),
    correct: vscode.l10n.t('right'),
    wrong: vscode.l10n.t('no tries left'),
  };
  return words[status];
}

function settledText(st: QuestionState): string {
  return vscode.l10n.t('Answer: {0}', String(st.correctAnswer)) + `\n\n${st.explanation}`;
}

/** Asks one question; resolves to the typed answer, or undefined when dismissed. */
function pointsText(points: number): string {
  return points === 1 ? vscode.l10n.t('1 point') : vscode.l10n.t('{0} points', points);
}

async function ask(q: Question, st: QuestionState): Promise<string | undefined> {
  const tries = st.attemptsLeft === 1 ? vscode.l10n.t('1 try') : vscode.l10n.t('{0} tries', st.attemptsLeft);
  const computed = q.computeWith.length > 0 ? ' ' + vscode.l10n.t('Compute it with your {0}.', q.computeWith.join(', ')) : '';
  if (q.kind === 'choice') {
    const pick = await vscode.window.showQuickPick(
      q.options.map((o) => ({ label: `${o.id})`, description: o.text, id: o.id })),
      { title: vscode.l10n.t('{0} ({1}, {2})', q.prompt, pointsText(q.points), tries), placeHolder: vscode.l10n.t('Choose one answer'), matchOnDescription: true, ignoreFocusOut: true },
    );
    return pick?.id;
  }
  return vscode.window.showInputBox({
    title: q.kind === 'numeric' && q.unit ? vscode.l10n.t('{0}, {1} · in {2}', pointsText(q.points), tries, q.unit) : vscode.l10n.t('{0}, {1}', pointsText(q.points), tries),
    prompt: q.prompt + computed,
    placeHolder: q.kind === 'numeric' ? vscode.l10n.t('a number, e.g. 12.69, 4e10 or 3,152,384') : vscode.l10n.t('a short answer'),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const verdict = checkAnswer(q, v);
      return verdict.valid ? undefined : verdict.message;
    },
  });
}

type QuestionItem = vscode.QuickPickItem & { qid: string };

function listTitle(a: ActiveLab, s: QuizSummary): string {
  return vscode.l10n.t('{0}: mastery questions — {1}/{2} points, {3} of {4} answered', a.lab.manifest.title, s.score, s.maxScore, s.answered, s.total);
}

function listItems(quiz: QuizFile, s: QuizSummary): QuestionItem[] {
  return quiz.questions.map((q, i) => {
    const st = s.questions[i];
    return { label: `${MARK[st.status]} ${q.prompt}`, description: vscode.l10n.t('{0} · {1}/{2}', statusWords(st.status), st.earned, st.points), detail: st.correctAnswer ? vscode.l10n.t('Answer: {0}', st.correctAnswer) : undefined, qid: q.id };
  });
}

/**
 * The question list; resolves to the picked question's id, or undefined when dismissed. It stays
 * open when the focus leaves it, so it follows the answers file: answers given meanwhile in the
 * quiz panel (or another window) show in its title and marks at once.
 */
function pickQuestion(a: ActiveLab, quiz: QuizFile, first: QuizSummary): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<QuestionItem>();
  qp.placeholder = vscode.l10n.t('Pick a question to answer (or to read its explanation)');
  qp.ignoreFocusOut = true;
  const fill = (s: QuizSummary) => {
    const active = qp.activeItems[0]?.qid;
    qp.title = listTitle(a, s);
    qp.items = listItems(quiz, s);
    const again = qp.items.find((i) => i.qid === active);
    if (again) qp.activeItems = [again];
  };
  fill(first);
  return new Promise((resolve) => {
    const parts: vscode.Disposable[] = [watchAnswers(a.dir, () => fill(summarize(quiz, readAnswers(a.dir, a.lab.manifest.id).file)))];
    const finish = (qid: string | undefined) => {
      for (const p of parts) p.dispose();
      qp.dispose();
      resolve(qid);
    };
    parts.push(
      qp.onDidAccept(() => finish(qp.selectedItems[0]?.qid)),
      qp.onDidHide(() => finish(undefined)),
    );
    qp.show();
  });
}

/** The question list of `a`'s lab, answered one at a time until the learner leaves it. */
export async function answerQuiz(a: ActiveLab, onAnswered: () => void, questionId?: string): Promise<string | undefined> {
  const id = a.lab.manifest.id;
  const quiz = quizOf(a.lab);
  if (!quiz) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: {0} has no mastery questions.', a.lab.manifest.title));
    return undefined;
  }
  let next = questionId;
  let last: string | undefined;
  for (;;) {
    const { file, problem } = readAnswers(a.dir, id);
    if (problem) void vscode.window.showWarningMessage(vscode.l10n.t('Transformer Labs: your earlier answers could not be read ({0}); they count as none.', problem));
    let s = summarize(quiz, file);
    if (!next) {
      next = await pickQuestion(a, quiz, s);
      if (!next) return last;
      // The list may have followed answers given elsewhere while it was open.
      s = summarize(quiz, readAnswers(a.dir, id).file);
    }
    const q = quiz.questions.find((x) => x.id === next);
    next = undefined;
    if (!q) return last;
    const st = s.questions.find((x) => x.id === q.id)!;
    if (st.status === 'correct' || st.status === 'wrong') {
      await vscode.window.showInformationMessage(q.prompt, { modal: true, detail: vscode.l10n.t('{0} ({1}).\n\n{2}', st.status === 'correct' ? vscode.l10n.t('You answered it right') : vscode.l10n.t('Not answered right'), st.answers.join(' → '), settledText(st)) });
      continue;
    }
    const raw = await ask(q, st);
    if (raw === undefined) continue;
    const r = answerQuestion(a.dir, id, quiz, q.id, raw);
    last = q.id;
    onAnswered();
    if (r.kind === 'refused') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Transformer Labs: not counted: {0}', r.message));
      continue;
    }
    await vscode.window.showInformationMessage(verdictText(r.correct, r.state), { modal: true, detail: r.state.correctAnswer ? settledText(r.state) : vscode.l10n.t('Check your computation and answer again.') });
  }
}
