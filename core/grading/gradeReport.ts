// The grade report: what Grade Lab and `transformer-labs grade` produce and write as JSON.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CheckEngine } from '../checks/engine';
import { readLabFiles } from '../checks/engine';
import { readHintsOpened } from '../labs/hintsOpened';
import type { Lab } from '../labs/manifest';
import { readAnswers, summarize, type QuestionStatus } from '../quiz/quizAnswers';
import { quizOf } from '../quiz/quizFile';
import type { BackendName, CheckStatus, CompileDiagnostic, SourceFile } from '../protocol/sidecar';
import { writeFileAtomic } from '../util/atomicWrite';
import { t } from '../l10n';

export const GRADE_REPORT_FILE = 'grade-report.json';

export interface GradedCheck {
  id: string;
  title: string;
  function: string;
  points: number;
  earned: number;
  status: CheckStatus;
  message: string;
  expected?: string;
  actual?: string;
  hint: string;
  hidden: boolean;
  /** A bonus exercise's check: its points count in `bonus`, not in `score`. */
  bonus: boolean;
}

/** One mastery question in the report: what was answered and what it earned. */
export interface GradedQuestion {
  id: string;
  kind: 'choice' | 'numeric' | 'short';
  points: number;
  earned: number;
  status: QuestionStatus;
  /** The counted answers, as typed. */
  answers: string[];
}

/** Separate points: the mastery questions, answered in the quiz panel or with `transformer-labs quiz`. */
export interface QuizReport {
  score: number;
  maxScore: number;
  answered: number;
  total: number;
  questions: GradedQuestion[];
  /** Set when the answers file could not be read (it then counts as no answers). */
  problem?: string;
}

export interface GradeReport {
  /** 2: `not-started` status, `typeErrors`, `hintsOpened`. 3: `quiz`, `bonus`, `total`, `checks[].bonus`. */
  schemaVersion: 3;
  labId: string;
  labVersion: string;
  labTitle: string;
  gradedAt: string;
  extensionVersion: string;
  backend: BackendName;
  /** The checks' points (bonus checks left out). */
  score: number;
  maxScore: number;
  percent: number;
  /** The lab's mastery questions, scored apart; null when the lab has none. */
  quiz: QuizReport | null;
  /** Bonus checks' points, apart from `score`; null when the lab has no bonus exercise. */
  bonus: { score: number; maxScore: number } | null;
  /** Checks and quiz together (bonus left out). */
  total: { score: number; maxScore: number; percent: number };
  compileErrors: CompileDiagnostic[];
  /** Type errors `tsc` would show: warnings, no points lost. null when no type check ran. */
  typeErrors: CompileDiagnostic[] | null;
  /** Progressive hints the learner opened, per function: { opened, of }. */
  hintsOpened: Record<string, { opened: number; of: number }>;
  checks: GradedCheck[];
  files: { path: string; sha256: string }[];
  /** Graded by a learner build: the hidden checks it does not hold, which the instructor's grading adds. */
  instructorChecks?: { count: number; points: number };
}

export interface GradeOptions {
  extensionVersion: string;
  /** The sidecar's type check (SidecarClient.typeCheck); without it the report says none ran. */
  typeCheck?: (files: SourceFile[], signal?: AbortSignal) => Promise<CompileDiagnostic[]>;
  signal?: AbortSignal;
  /** The exercise files as already read (grade-all hashed these for --resume): graded as they are, not read again. */
  files?: SourceFile[];
  onProgress?: (message: string) => void;
  now?: () => Date;
}

export async function gradeLab(engine: CheckEngine, lab: Lab, workspaceDir: string, opts: GradeOptions): Promise<GradeReport> {
  const m = lab.manifest;
  opts.onProgress?.(t('Reading {0} file(s)', m.files.length));
  const files = opts.files ?? readLabFiles(lab, workspaceDir);
  opts.onProgress?.(t('Running {0} checks, hidden ones included', m.checks.length));
  const run = await engine.run(lab, files, { includeHidden: true, signal: opts.signal });
  let typeErrors: CompileDiagnostic[] | null = null;
  if (opts.typeCheck && run.compileErrors.length === 0) {
    opts.onProgress?.(t('Type-checking your files'));
    typeErrors = await opts.typeCheck(files, opts.signal);
  }
  const opened = readHintsOpened(workspaceDir);
  const hintsOpened = Object.fromEntries(
    Object.entries(m.hints)
      .filter(([fn]) => (opened[fn] ?? 0) > 0)
      .map(([fn, hints]) => [fn, { opened: Math.min(opened[fn], hints.length), of: hints.length }]),
  );
  const checks: GradedCheck[] = run.outcomes.map((o) => ({
    id: o.id,
    title: o.spec.title,
    function: o.spec.function,
    points: o.spec.points,
    earned: o.status === 'pass' ? o.spec.points : 0,
    status: o.status,
    message: o.message,
    expected: o.expected,
    actual: o.actual,
    hint: o.spec.hint,
    hidden: o.spec.hidden,
    bonus: o.spec.bonus,
  }));
  const sum = (cs: GradedCheck[], f: (c: GradedCheck) => number) => cs.reduce((s, c) => s + f(c), 0);
  const main = checks.filter((c) => !c.bonus);
  const extra = checks.filter((c) => c.bonus);
  const score = sum(main, (c) => c.earned);
  const maxScore = sum(main, (c) => c.points);
  const quiz = quizReport(lab, workspaceDir);
  const totalScore = score + (quiz?.score ?? 0);
  const totalMax = maxScore + (quiz?.maxScore ?? 0);
  return {
    schemaVersion: 3,
    labId: m.id,
    labVersion: m.version,
    labTitle: m.title,
    gradedAt: (opts.now?.() ?? new Date()).toISOString(),
    extensionVersion: opts.extensionVersion,
    backend: run.backend,
    score,
    maxScore,
    percent: percentOf(score, maxScore),
    quiz,
    bonus: extra.length > 0 ? { score: sum(extra, (c) => c.earned), maxScore: sum(extra, (c) => c.points) } : null,
    total: { score: totalScore, maxScore: totalMax, percent: percentOf(totalScore, totalMax) },
    compileErrors: run.compileErrors,
    typeErrors,
    hintsOpened,
    checks,
    // Stryker disable next-line StringLiteral: equivalent mutant, update(text, '') also reads the text as UTF-8
    files: files.map((f) => ({ path: f.path, sha256: createHash('sha256').update(f.text, 'utf8').digest('hex') })),
    ...(m.instructorChecks ? { instructorChecks: m.instructorChecks } : {}),
  };
}

function percentOf(score: number, max: number): number {
  return max === 0 ? 0 : Math.round((1000 * score) / max) / 10;
}

/** The quiz part of the report, from the answers kept in the lab folder. */
export function quizReport(lab: Lab, workspaceDir: string): QuizReport | null {
  const quiz = quizOf(lab);
  if (!quiz) return null;
  const { file, problem } = readAnswers(workspaceDir, lab.manifest.id);
  const s = summarize(quiz, file);
  const kinds = new Map(quiz.questions.map((q) => [q.id, q.kind]));
  return {
    score: s.score,
    maxScore: s.maxScore,
    answered: s.answered,
    total: s.total,
    questions: s.questions.map((q) => ({ id: q.id, kind: kinds.get(q.id)!, points: q.points, earned: q.earned, status: q.status, answers: q.answers })),
    ...(problem ? { problem } : {}),
  };
}

/** The sentence for a learner build's report: what the instructor's grading adds. */
export function instructorChecksNote(r: GradeReport): string | undefined {
  const extra = r.instructorChecks;
  if (!extra) return undefined;
  const checks = extra.count === 1 ? t('{0} more check', extra.count) : t('{0} more checks', extra.count);
  const points = extra.points === 1 ? t('{0} point', extra.points) : t('{0} points', extra.points);
  return t("Your instructor's grading adds {0} ({1}) that try the same functions on other inputs: the lab is graded out of {2}.", checks, points, r.maxScore + extra.points);
}

export function writeGradeReport(report: GradeReport, workspaceDir: string): string {
  const file = join(workspaceDir, GRADE_REPORT_FILE);
  writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown for the report the extension opens. */
export function gradeReportMarkdown(r: GradeReport): string {
  const out = [
    t('# {0}: {1} / {2} points ({3}%)', r.labTitle, r.score, r.maxScore, r.percent),
    '',
    t('Lab `{0}` v{1} · graded {2} · backend {3} · Transformer Labs {4}', r.labId, r.labVersion, r.gradedAt, r.backend, r.extensionVersion),
    '',
  ];
  const extra = instructorChecksNote(r);
  if (extra) out.push(extra, '');
  if (r.compileErrors.length > 0) {
    out.push(t('## Your code does not compile'), '', ...r.compileErrors.map((d) => `- \`${d.file}:${d.line}:${d.column}\` ${escapeMd(d.message)}`), '');
  }
  if (r.typeErrors && r.typeErrors.length > 0) {
    out.push(t('## Type errors (warnings: no points lost)'), '', ...r.typeErrors.map((d) => `- \`${d.file}:${d.line}:${d.column}\` ${escapeMd(d.message)}`), '');
  }
  out.push(t('| | Check | Points | Feedback |'), '|---|---|---|---|');
  for (const c of r.checks) {
    const mark = c.status === 'pass' ? '✅' : c.status === 'fail' ? '❌' : c.status === 'not-started' ? '○' : '⚠️';
    const feedback =
      c.status === 'pass' ? t('passed') : c.status === 'not-started' ? escapeMd(c.message) : t('{0}<br>*Hint:* {1}', escapeMd(c.message), escapeMd(c.hint));
    const tags = `${c.hidden ? t(' *(hidden)*') : ''}${c.bonus ? t(' *(bonus)*') : ''}`;
    out.push(`| ${mark} | ${escapeMd(c.title)}${tags} | ${c.earned}/${c.points} | ${feedback} |`);
  }
  if (r.bonus) out.push('', t('Bonus: {0} / {1} points, apart from the score above.', r.bonus.score, r.bonus.maxScore));
  if (r.quiz) {
    const q = r.quiz;
    const answered = q.problem ? t('{0} of {1} answered. {2}', q.answered, q.total, escapeMd(q.problem)) : t('{0} of {1} answered.', q.answered, q.total);
    out.push('', t('## Mastery questions: {0} / {1} points', q.score, q.maxScore), '', answered, '');
    out.push(t('| | Question | Points | Your answers |'), '|---|---|---|---|');
    for (const x of q.questions) {
      const mark = x.status === 'correct' ? '✅' : x.status === 'wrong' ? '❌' : '○';
      out.push(`| ${mark} | \`${x.id}\` | ${x.earned}/${x.points} | ${x.answers.length > 0 ? escapeMd(x.answers.join(' → ')) : x.status} |`);
    }
    out.push('', t('**Total (checks and questions): {0} / {1} points ({2}%)**', r.total.score, r.total.maxScore, r.total.percent));
  }
  const hints = Object.entries(r.hintsOpened);
  if (hints.length > 0) out.push('', t('Hints opened: {0}', hints.map(([fn, h]) => t('`{0}` {1} of {2}', fn, h.opened, h.of)).join(', ')));
  out.push('', t('## Files graded'), '', ...r.files.map((f) => `- \`${f.path}\` sha256 \`${f.sha256}\``), '');
  return out.join('\n');
}
