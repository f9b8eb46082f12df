// The grade report as plain text for a terminal: only the CLI prints it, so it stays English (core/l10n.ts).
import type { CheckStatus } from '../protocol/sidecar';
import type { QuestionStatus } from '../quiz/quizAnswers';
import { instructorChecksNote, type GradeReport } from './gradeReport';

const STATUS_MARK: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  timeout: 'TIMEOUT',
  memory: 'MEMORY',
  'not-run': 'NOT RUN',
  'not-started': 'NOT STARTED',
};

const QUESTION_MARK: Record<QuestionStatus, string> = {
  correct: 'RIGHT',
  wrong: 'WRONG',
  retry: 'TRY AGAIN',
  unanswered: 'UNANSWERED',
};

function indent(label: string, text: string): string[] {
  const pad = ' '.repeat(13);
  return text.split('\n').map((line, i) => `${pad}${i === 0 ? label.padEnd(10) : ' '.repeat(10)}${line}`);
}

/** Plain text for a terminal: every failing check with its message, expected and actual, and hint. */
export function formatGradeReport(r: GradeReport): string {
  const lines = [
    `${r.labTitle} (${r.labId} v${r.labVersion}) — ${r.score}/${r.maxScore} points (${r.percent}%)`,
    `graded ${r.gradedAt} on ${r.backend}, extension ${r.extensionVersion}`,
    '',
  ];
  const extra = instructorChecksNote(r);
  if (extra) lines.push(extra, '');
  for (const d of r.compileErrors) lines.push(`compile error ${d.file}:${d.line}:${d.column} ${d.message}`);
  const width = Math.max(...r.checks.map((c) => c.id.length));
  for (const c of r.checks) {
    const mark = STATUS_MARK[c.status].padEnd(11);
    lines.push(`${mark} ${String(c.earned).padStart(2)}/${String(c.points).padEnd(2)} ${c.id.padEnd(width)}${c.hidden ? ' (hidden)' : ''}${c.bonus ? ' (bonus)' : ''}`);
    if (c.status === 'pass') continue;
    lines.push(...indent('', c.message));
    if (c.status === 'not-started' || c.status === 'not-run') continue;
    if (c.expected !== undefined) lines.push(...indent('expected', c.expected));
    if (c.actual !== undefined) lines.push(...indent('actual', c.actual));
    lines.push(...indent('hint', c.hint));
  }
  if (r.typeErrors && r.typeErrors.length > 0) {
    lines.push('', `type errors (warnings, no points lost): ${r.typeErrors.length}`);
    for (const d of r.typeErrors) lines.push(`  ${d.file}:${d.line}:${d.column} ${d.message.split('\n')[0]}`);
  } else if (r.typeErrors === null && r.compileErrors.length === 0) {
    lines.push('', 'type errors: not checked');
  }
  if (r.bonus) lines.push('', `bonus: ${r.bonus.score}/${r.bonus.maxScore} points (not part of the score above)`);
  if (r.quiz) {
    const q = r.quiz;
    lines.push('', `mastery questions: ${q.score}/${q.maxScore} points, ${q.answered} of ${q.total} answered${q.problem ? ` (${q.problem})` : ''}`);
    for (const x of q.questions) lines.push(`  ${QUESTION_MARK[x.status].padEnd(11)} ${String(x.earned).padStart(2)}/${String(x.points).padEnd(2)} ${x.id}${x.answers.length > 0 ? `  (${x.answers.join(' → ')})` : ''}`);
    lines.push('', `total (checks and questions): ${r.total.score}/${r.total.maxScore} points (${r.total.percent}%)`);
  }
  const hints = Object.entries(r.hintsOpened);
  if (hints.length > 0) lines.push('', `hints opened: ${hints.map(([fn, h]) => `${fn} ${h.opened} of ${h.of}`).join(', ')}`);
  lines.push('', ...r.files.map((f) => `sha256 ${f.sha256}  ${f.path}`));
  return lines.join('\n');
}
