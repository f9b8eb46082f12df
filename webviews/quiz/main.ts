// A lab's mastery questions in a panel (bundled to dist/webviews/quiz.js): each question with the
// learner's answers, a form to answer it (native radio buttons or a text field, each with its
// label; Enter submits), the verdict, and once settled the right answer and why; the score on top.
// The host checks and records every answer (src/panels/quizController.ts): the page only draws.
// Plain HTML controls rather than the toolkit's: a radio group in a fieldset with a legend and
// implicit form submission are what keyboard and screen-reader users expect.
import type { HostToQuizMessage, QuizFeedback, QuizQuestionView, QuizSnapshot, QuizToHostMessage } from '../../core/protocol/quizPanel';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';

interface VsCodeApi {
  postMessage(message: QuizToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface Saved {
  /** The host restores the panel for this lab after a window reload. */
  labId?: string;
  /** What the learner typed or chose and has not sent yet, by question id. */
  drafts: Record<string, string>;
}

const api = acquireVsCodeApi();
const saved = (api.getState() ?? {}) as Partial<Saved>;
const state: Saved = { labId: saved.labId, drafts: { ...(saved.drafts ?? {}) } };
const save = () => api.setState(state);
const send = (m: QuizToHostMessage) => api.postMessage(m);

let snapshot: QuizSnapshot | undefined;
const feedback = new Map<string, QuizFeedback>();
const pending = new Set<string>();
/** The element that takes the focus once the page is drawn again (the verdict, or the field of a refused answer). */
let focusNext: string | undefined;

const app = document.getElementById('app')!;
const announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });

// Whole phrases per number, so a translation can inflect them (no English "s" glued on).
const pointsText = (n: number) => (n === 1 ? t('{0} point', n) : t('{0} points', n));
const triesText = (n: number) => (n === 1 ? t('{0} try', n) : t('{0} tries', n));
const domId = (q: QuizQuestionView, part: string) => `q-${q.id}-${part}`;

function statusText(q: QuizQuestionView): string {
  switch (q.status) {
    case 'correct':
      return t('answered right: {0} of {1}', q.earned, pointsText(q.points));
    case 'wrong':
      return t('no tries left: 0 of {0}', pointsText(q.points));
    case 'retry':
      return t('{0} · not right yet, {1} left', pointsText(q.points), triesText(q.attemptsLeft));
    default:
      return `${pointsText(q.points)} · ${triesText(q.attemptsLeft)}`;
  }
}

/** An answer as the learner reads it back: a choice with its option text. */
function answerText(q: QuizQuestionView, a: string): string {
  const o = q.options?.find((x) => x.id === a);
  return o ? `${o.id}) ${o.text}` : `${a}${q.unit && !a.toLowerCase().endsWith(q.unit.toLowerCase()) ? ` ${q.unit}` : ''}`;
}

function computeNote(q: QuizQuestionView): HTMLElement | undefined {
  if (q.computeWith.length === 0) return undefined;
  const links = q.computeWith.map((name) => {
    const b = h('button', { type: 'button', class: 'link' }, `${name}()`);
    b.addEventListener('click', () => send({ type: 'revealFunction', body: { name } }));
    return b;
  });
  // The buttons go where {0} is in the sentence (its word order is the translation's).
  const [before, after = ''] = t('Compute it with your own {0}.').split('{0}');
  return h('p', { class: 'compute' }, before, ...links.flatMap((l, i) => (i === 0 ? [l] : [', ', l])), after);
}

function answerForm(q: QuizQuestionView): HTMLElement {
  const form = h('form', { class: 'answer-form', 'aria-labelledby': domId(q, 'prompt') }) as HTMLFormElement;
  let read: () => string;
  if (q.kind === 'choice') {
    const options = (q.options ?? []).map((o) => {
      const id = domId(q, `option-${o.id}`);
      const input = h('input', { type: 'radio', name: domId(q, 'choice'), id, value: o.id }) as HTMLInputElement;
      input.checked = state.drafts[q.id] === o.id;
      input.addEventListener('change', () => {
        state.drafts[q.id] = o.id;
        save();
      });
      return h('div', { class: 'option' }, input, h('label', { for: id }, h('span', { class: 'option-id' }, `${o.id})`), ' ', o.text));
    });
    form.append(h('fieldset', {}, h('legend', { class: 'visually-hidden' }, t('Choose one answer')), ...options));
    // Enter on a radio button submits too (browsers only submit implicitly from text fields).
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.target as HTMLElement).matches('input[type=radio]')) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    read = () => (form.querySelector('input[type=radio]:checked') as HTMLInputElement | null)?.value ?? '';
  } else {
    const id = domId(q, 'input');
    const input = h('input', {
      type: 'text',
      id,
      autocomplete: 'off',
      spellcheck: 'false',
      inputmode: q.kind === 'numeric' ? 'decimal' : 'text',
      placeholder: q.kind === 'numeric' ? t('a number, e.g. 12.69, 4e10 or 3,152,384') : t('a short answer'),
      'aria-describedby': domId(q, 'verdict'),
    }) as HTMLInputElement;
    input.value = state.drafts[q.id] ?? '';
    input.addEventListener('input', () => {
      state.drafts[q.id] = input.value;
      save();
    });
    const label = q.kind === 'numeric' && q.unit ? t('Your answer (in {0})', q.unit) : t('Your answer');
    form.append(h('div', { class: 'text-answer' }, h('label', { for: id }, label), input));
    read = () => input.value;
  }
  const submit = h('button', { type: 'submit', class: 'submit' }, pending.has(q.id) ? t('Checking…') : t('Submit answer')) as HTMLButtonElement;
  submit.disabled = pending.has(q.id);
  form.append(submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (pending.has(q.id)) return;
    pending.add(q.id);
    submit.disabled = true;
    submit.textContent = t('Checking…');
    send({ type: 'answer', body: { questionId: q.id, answer: read() } });
  });
  return form;
}

function verdict(q: QuizQuestionView): HTMLElement {
  const fb = feedback.get(q.id);
  const settled = q.status === 'correct' || q.status === 'wrong';
  const box = h('div', { class: `verdict ${q.status}${fb?.kind === 'refused' ? ' refused' : ''}`, id: domId(q, 'verdict'), tabindex: '-1' });
  if (fb) box.append(h('p', { class: 'feedback' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, fb.kind === 'refused' ? '⚠' : fb.correct ? '✓' : '✗'), ' ', fb.message));
  if (q.answers.length > 0) {
    const list = q.answers.map((a, i) => (i === q.answers.length - 1 && q.status === 'correct' ? t('{0} (right)', answerText(q, a)) : t('{0} (not right)', answerText(q, a))));
    box.append(h('p', { class: 'yours' }, q.answers.length > 1 ? t('Your answers: {0}', list.join(' → ')) : t('Your answer: {0}', list.join(' → '))));
  }
  if (settled && q.correctAnswer) {
    // A right answer is already said above; a wrong one needs the right one beside it.
    if (q.status === 'wrong') box.append(h('p', { class: 'correct-answer' }, h('strong', {}, `${t('Answer:')} `), q.correctAnswer));
    if (q.explanation) box.append(h('p', { class: 'explanation' }, q.explanation));
  }
  return box;
}

function questionItem(q: QuizQuestionView, index: number): HTMLElement {
  const settled = q.status === 'correct' || q.status === 'wrong';
  const item = h(
    'li',
    { class: `question ${q.status}`, id: domId(q, 'item') },
    h('h2', { id: domId(q, 'prompt') }, `${index + 1}. ${q.prompt}`),
    h('p', { class: 'meta' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, q.status === 'correct' ? '✓' : q.status === 'wrong' ? '✗' : q.status === 'retry' ? '↻' : '○'), ' ', statusText(q)),
  );
  const note = computeNote(q);
  if (note && !settled) item.append(note);
  if (!settled) item.append(answerForm(q));
  item.append(verdict(q));
  return item;
}

function render(): void {
  if (!snapshot) return;
  const s = snapshot;
  const active = document.activeElement?.id;
  const score = h('p', { class: 'score', id: 'quiz-score' }, t('Score: {0} / {1} points · {2} of {3} answered', s.score, s.maxScore, s.answered, s.total));
  const problem = s.problem ? h('div', { class: 'message error' }, h('p', {}, t('Your earlier answers could not be read ({0}); they count as none.', s.problem))) : undefined;
  app.replaceChildren(
    h('header', { class: 'quiz-header' }, h('h1', {}, t('{0}: mastery questions', s.labTitle)), score, h('p', { class: 'note' }, t('Answer each question, then read why. Points count in the grade report, apart from the checks.'))),
    ...(problem ? [problem] : []),
    h('ol', { class: 'questions' }, ...s.questions.map(questionItem)),
    announcer,
  );
  const target = document.getElementById(focusNext ?? active ?? '');
  focusNext = undefined;
  target?.focus();
}

window.addEventListener('message', (e: MessageEvent<HostToQuizMessage>) => {
  const m = e.data;
  switch (m?.type) {
    case 'snapshot':
      snapshot = m.body;
      if (state.labId !== m.body.labId) {
        state.labId = m.body.labId;
        save();
      }
      render();
      break;
    case 'feedback': {
      const fb = m.body;
      pending.delete(fb.questionId);
      feedback.set(fb.questionId, fb);
      if (fb.kind === 'recorded') {
        delete state.drafts[fb.questionId];
        save();
      }
      announcer.textContent = fb.message;
      // A refused answer changes no state, so no snapshot follows: draw the message now, back in the field to correct it.
      if (fb.kind === 'refused') {
        const field = document.getElementById(`q-${fb.questionId}-input`);
        focusNext = field ? field.id : `q-${fb.questionId}-verdict`;
        render();
      } else focusNext = `q-${fb.questionId}-verdict`;
      break;
    }
    case 'unavailable':
      pending.clear();
      app.replaceChildren(h('div', { class: 'message error', role: 'alert' }, h('p', {}, m.body.message)));
      break;
  }
});

send({ type: 'ready', body: {} });
