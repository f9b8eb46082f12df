// What each row of the course view says (label, description, tooltip, icon), from a LabStatus.
// Text and icon names only (codicon ids, theme colour ids), so it is unit-tested without vscode;
// src/course/courseTree.ts turns the rows into TreeItems.
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

const STATE_WORDS: Record<LabState, string> = {
  'not-started': 'not started',
  'in-progress': 'in progress',
  'visible-pass': 'all visible checks pass',
  graded: 'graded',
};

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
    parts.push(`graded ${s.graded.score}/${s.graded.maxScore}`);
  } else {
    parts.push(STATE_WORDS[s.state]);
    if (s.state === 'in-progress') parts.push(`${s.passed}/${s.total} checks`);
  }
  if (s.quiz && s.quiz.answered > 0) parts.push(`quiz ${s.quiz.score}/${s.quiz.maxScore}`);
  parts.push(`~${m.estimatedMinutes} min`);
  if (opts.current) parts.push('open');
  const tip = [
    `Lab ${m.order}: ${m.title}`,
    m.summary,
    `Status: ${STATE_WORDS[s.state]}${s.graded ? ` (${s.graded.score} of ${s.graded.maxScore} points, graded ${s.graded.gradedAt})` : ''}.`,
    `Visible checks passing: ${s.passed} of ${s.total}.`,
    ...(s.quiz ? [`Mastery questions: ${s.quiz.answered} of ${s.quiz.total} answered, ${s.quiz.score} of ${s.quiz.maxScore} points.`] : []),
    ...(s.compileError ? [`Does not compile: ${s.compileError}`] : []),
    `Estimated time: about ${m.estimatedMinutes} minutes.`,
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
  const description = q.answered === 0 ? `${q.maxScore} points to earn` : `${q.score}/${q.maxScore} points · ${done ? 'done' : `${q.answered} of ${q.total}`}`;
  const full = `Mastery questions: ${q.answered} of ${q.total} answered, ${q.score} of ${q.maxScore} points`;
  const right = done && q.score === q.maxScore;
  return {
    label: 'Quiz',
    description,
    tooltip: `${full}.\nClick to open them beside the editor.`,
    ariaLabel: full,
    icon: right ? 'pass' : done ? 'check' : 'question',
    color: right ? 'testing.iconPassed' : undefined,
  };
}

const FN_ICON: Record<FunctionState['state'], { icon: string; color?: string; words: string }> = {
  pass: { icon: 'pass', color: 'testing.iconPassed', words: 'all checks pass' },
  fail: { icon: 'error', color: 'testing.iconFailed', words: 'a check fails' },
  partial: { icon: 'circle-large-filled', color: 'charts.yellow', words: 'partly done' },
  'not-started': { icon: 'circle-large-outline', words: 'not started' },
  unknown: { icon: 'circle-large-outline', words: 'not checked yet' },
};

export function functionRow(f: FunctionState): RowText {
  const look = FN_ICON[f.state];
  const counts = f.state === 'unknown' || f.state === 'not-started' ? look.words : `${f.passed}/${f.total} checks`;
  const description = `${counts}${f.bonus ? ' · bonus' : ''}`;
  const failure = f.firstFailure ? `\nFirst failing check: ${f.firstFailure.title}\n${f.firstFailure.message ?? ''}` : '';
  return { label: f.name, description, tooltip: `${f.name} in ${f.file}: ${look.words}.${failure}`, icon: look.icon, color: look.color };
}

const CHECK_WORDS: Record<CheckState['status'], string> = {
  pass: 'passes',
  fail: 'fails',
  error: 'throws an error',
  timeout: 'timed out',
  memory: 'used too much memory',
  'not-run': 'not run (the code does not compile)',
  'not-started': 'not started',
  unknown: 'not checked yet',
};

export function checkRow(c: CheckState): RowText {
  const failed = c.status === 'fail' || c.status === 'error' || c.status === 'timeout' || c.status === 'memory';
  const icon = c.status === 'pass' ? 'pass' : failed ? 'error' : 'circle-large-outline';
  const color = c.status === 'pass' ? 'testing.iconPassed' : failed ? 'testing.iconFailed' : undefined;
  // A failing check's message is the row's description: seen without hovering.
  const description = failed && c.message ? firstLine(c.message) : CHECK_WORDS[c.status];
  return { label: c.title, description, tooltip: `${c.title}: ${CHECK_WORDS[c.status]}.${c.message ? `\n${c.message}` : ''}`, icon, color };
}

function firstLine(s: string): string {
  const line = s.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
