// What each row of the course view says (label, description, tooltip, icon), from a LabStatus.
// Text and icon names only (codicon ids, theme colour ids), so it is unit-tested without vscode;
// src/course/courseTree.ts turns the rows into TreeItems.
import { t } from '../l10n';
import type { Lab } from '../labs/manifest';
import type { CheckState, FunctionState, LabState, LabStatus } from './labStatus';

export interface RowText {
  label: string;
  description: string;
  tooltip: string;
  /** What a screen reader reads, when not label + description. */
  ariaLabel?: string;
  icon: string;
  /** A theme colour id for the icon, e.g. testing.iconPassed. */
  color?: string;
}

// Functions, not tables: a table would be translated once at load, before activation sets the translator.
function stateWords(s: LabState): string {
  return { 'not-started': t('not started'), 'in-progress': t('in progress'), 'visible-pass': t('all visible checks pass'), graded: t('graded') }[s];
}

const LAB_ICON: Record<LabState, { icon: string; color?: string }> = {
  'not-started': { icon: 'circle-large-outline' },
  'in-progress': { icon: 'circle-large-filled', color: 'charts.yellow' },
  'visible-pass': { icon: 'pass', color: 'testing.iconPassed' },
  graded: { icon: 'mortar-board', color: 'testing.iconPassed' },
};

export function labRow(lab: Lab, s: LabStatus, opts: { current: boolean }): RowText {
  const m = lab.manifest;
  const parts: string[] = [];
  if (s.state === 'graded' && s.graded) {
    parts.push(t('graded {0}/{1}', s.graded.score, s.graded.maxScore));
  } else {
    parts.push(stateWords(s.state));
    if (s.state === 'in-progress') parts.push(t('{0}/{1} checks', s.passed, s.total));
  }
  if (s.quiz && s.quiz.answered > 0) parts.push(t('quiz {0}/{1}', s.quiz.score, s.quiz.maxScore));
  parts.push(t('~{0} min', m.estimatedMinutes));
  if (opts.current) parts.push(t('open'));
  const tip = [
    t('Lab {0}: {1}', m.order, m.title),
    m.summary,
    s.graded
      ? t('Status: {0} ({1} of {2} points, graded {3}).', stateWords(s.state), s.graded.score, s.graded.maxScore, s.graded.gradedAt)
      : t('Status: {0}.', stateWords(s.state)),
    t('Visible checks passing: {0} of {1}.', s.passed, s.total),
    ...(s.quiz ? [t('Mastery questions: {0} of {1} answered, {2} of {3} points.', s.quiz.answered, s.quiz.total, s.quiz.score, s.quiz.maxScore)] : []),
    ...(s.compileError ? [t('Does not compile: {0}', s.compileError)] : []),
    t('Estimated time: about {0} minutes.', m.estimatedMinutes),
  ];
  return { label: `${m.order}. ${m.title}`, description: parts.join(' · '), tooltip: tip.join('\n'), ...LAB_ICON[s.state] };
}

/**
 * The lab's mastery questions, a row under its functions. Short: in the default side bar a row one
 * level in shows about 30 characters (the course e2e checks the score is drawn whole); the tooltip
 * and what a screen reader reads say it in full.
 */
export function quizRow(q: { score: number; maxScore: number; answered: number; total: number }): RowText {
  const done = q.answered === q.total;
  const description =
    q.answered === 0 ? t('{0} points to earn', q.maxScore) : t('{0}/{1} points · {2}', q.score, q.maxScore, done ? t('done') : t('{0} of {1}', q.answered, q.total));
  const full = t('Mastery questions: {0} of {1} answered, {2} of {3} points', q.answered, q.total, q.score, q.maxScore);
  const right = done && q.score === q.maxScore;
  return {
    label: t('Quiz'),
    description,
    tooltip: t('{0}.\nClick to open them beside the editor.', full),
    ariaLabel: full,
    icon: right ? 'pass' : done ? 'check' : 'question',
    color: right ? 'testing.iconPassed' : undefined,
  };
}

const FN_ICON: Record<FunctionState['state'], { icon: string; color?: string }> = {
  pass: { icon: 'pass', color: 'testing.iconPassed' },
  fail: { icon: 'error', color: 'testing.iconFailed' },
  partial: { icon: 'circle-large-filled', color: 'charts.yellow' },
  'not-started': { icon: 'circle-large-outline' },
  unknown: { icon: 'circle-large-outline' },
};

function functionWords(s: FunctionState['state']): string {
  return { pass: t('all checks pass'), fail: t('a check fails'), partial: t('partly done'), 'not-started': t('not started'), unknown: t('not checked yet') }[s];
}

export function functionRow(f: FunctionState): RowText {
  const look = FN_ICON[f.state];
  const words = functionWords(f.state);
  const counts = f.state === 'unknown' || f.state === 'not-started' ? words : t('{0}/{1} checks', f.passed, f.total);
  const description = f.bonus ? t('{0} · bonus', counts) : counts;
  const tooltip = f.firstFailure
    ? t('{0} in {1}: {2}.\nFirst failing check: {3}\n{4}', f.name, f.file, words, f.firstFailure.title, f.firstFailure.message ?? '')
    : t('{0} in {1}: {2}.', f.name, f.file, words);
  return { label: f.name, description, tooltip, icon: look.icon, color: look.color };
}

function checkWords(s: CheckState['status']): string {
  return {
    pass: t('passes'),
    fail: t('fails'),
    error: t('throws an error'),
    timeout: t('timed out'),
    memory: t('used too much memory'),
    'not-run': t('not run (the code does not compile)'),
    'not-started': t('not started'),
    unknown: t('not checked yet'),
  }[s];
}

export function checkRow(c: CheckState): RowText {
  const failed = c.status === 'fail' || c.status === 'error' || c.status === 'timeout' || c.status === 'memory';
  const icon = c.status === 'pass' ? 'pass' : failed ? 'error' : 'circle-large-outline';
  const color = c.status === 'pass' ? 'testing.iconPassed' : failed ? 'testing.iconFailed' : undefined;
  // A failing check's message is the row's description: seen without hovering.
  const description = failed && c.message ? firstLine(c.message) : checkWords(c.status);
  const tooltip = c.message ? t('{0}: {1}.\n{2}', c.title, checkWords(c.status), c.message) : t('{0}: {1}.', c.title, checkWords(c.status));
  return { label: c.title, description, tooltip, icon, color };
}

function firstLine(s: string): string {
  const line = s.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
