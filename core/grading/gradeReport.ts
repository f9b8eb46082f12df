// The grade report: what Grade Lab and `transformer-labs grade` produce and write as JSON.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CheckEngine } from '../checks/engine';
import { readLabFiles } from '../checks/engine';
import { readHintsOpened } from '../labs/hintsOpened';
import type { Lab } from '../labs/manifest';
import type { BackendName, CheckStatus, CompileDiagnostic, SourceFile } from '../protocol/sidecar';
import { writeFileAtomic } from '../util/atomicWrite';

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
}

export interface GradeReport {
  /** 2: `not-started` status, `typeErrors`, `hintsOpened`. */
  schemaVersion: 2;
  labId: string;
  labVersion: string;
  labTitle: string;
  gradedAt: string;
  extensionVersion: string;
  backend: BackendName;
  score: number;
  maxScore: number;
  percent: number;
  compileErrors: CompileDiagnostic[];
  /** Type errors `tsc` would show: warnings, no points lost. null when no type check ran. */
  typeErrors: CompileDiagnostic[] | null;
  /** Progressive hints the learner opened, per function: { opened, of }. */
  hintsOpened: Record<string, { opened: number; of: number }>;
  checks: GradedCheck[];
  files: { path: string; sha256: string }[];
}

export interface GradeOptions {
  extensionVersion: string;
  /** The sidecar's type check (SidecarClient.typeCheck); without it the report says none ran. */
  typeCheck?: (files: SourceFile[], signal?: AbortSignal) => Promise<CompileDiagnostic[]>;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  now?: () => Date;
}

export async function gradeLab(engine: CheckEngine, lab: Lab, workspaceDir: string, opts: GradeOptions): Promise<GradeReport> {
  const m = lab.manifest;
  opts.onProgress?.(`Reading ${m.files.length} file(s)`);
  const files = readLabFiles(lab, workspaceDir);
  opts.onProgress?.(`Running ${m.checks.length} checks, hidden ones included`);
  const run = await engine.run(lab, files, { includeHidden: true, signal: opts.signal });
  let typeErrors: CompileDiagnostic[] | null = null;
  if (opts.typeCheck && run.compileErrors.length === 0) {
    opts.onProgress?.('Type-checking your files');
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
  }));
  const score = checks.reduce((s, c) => s + c.earned, 0);
  const maxScore = checks.reduce((s, c) => s + c.points, 0);
  return {
    schemaVersion: 2,
    labId: m.id,
    labVersion: m.version,
    labTitle: m.title,
    gradedAt: (opts.now?.() ?? new Date()).toISOString(),
    extensionVersion: opts.extensionVersion,
    backend: run.backend,
    score,
    maxScore,
    percent: maxScore === 0 ? 0 : Math.round((1000 * score) / maxScore) / 10,
    compileErrors: run.compileErrors,
    typeErrors,
    hintsOpened,
    checks,
    files: files.map((f) => ({ path: f.path, sha256: createHash('sha256').update(f.text, 'utf8').digest('hex') })),
  };
}

export function writeGradeReport(report: GradeReport, workspaceDir: string): string {
  const file = join(workspaceDir, GRADE_REPORT_FILE);
  writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

const STATUS_MARK: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  timeout: 'TIMEOUT',
  memory: 'MEMORY',
  'not-run': 'NOT RUN',
  'not-started': 'NOT STARTED',
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
  for (const d of r.compileErrors) lines.push(`compile error ${d.file}:${d.line}:${d.column} ${d.message}`);
  const width = Math.max(...r.checks.map((c) => c.id.length));
  for (const c of r.checks) {
    const mark = STATUS_MARK[c.status].padEnd(11);
    lines.push(`${mark} ${String(c.earned).padStart(2)}/${String(c.points).padEnd(2)} ${c.id.padEnd(width)}${c.hidden ? ' (hidden)' : ''}`);
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
  const hints = Object.entries(r.hintsOpened);
  if (hints.length > 0) lines.push('', `hints opened: ${hints.map(([fn, h]) => `${fn} ${h.opened} of ${h.of}`).join(', ')}`);
  lines.push('', ...r.files.map((f) => `sha256 ${f.sha256}  ${f.path}`));
  return lines.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown for the report the extension opens. */
export function gradeReportMarkdown(r: GradeReport): string {
  const out = [
    `# ${r.labTitle}: ${r.score} / ${r.maxScore} points (${r.percent}%)`,
    '',
    `Lab \`${r.labId}\` v${r.labVersion} · graded ${r.gradedAt} · backend ${r.backend} · Transformer Labs ${r.extensionVersion}`,
    '',
  ];
  if (r.compileErrors.length > 0) {
    out.push('## Your code does not compile', '', ...r.compileErrors.map((d) => `- \`${d.file}:${d.line}:${d.column}\` ${escapeMd(d.message)}`), '');
  }
  if (r.typeErrors && r.typeErrors.length > 0) {
    out.push('## Type errors (warnings: no points lost)', '', ...r.typeErrors.map((d) => `- \`${d.file}:${d.line}:${d.column}\` ${escapeMd(d.message)}`), '');
  }
  out.push('| | Check | Points | Feedback |', '|---|---|---|---|');
  for (const c of r.checks) {
    const mark = c.status === 'pass' ? '✅' : c.status === 'fail' ? '❌' : c.status === 'not-started' ? '○' : '⚠️';
    const feedback =
      c.status === 'pass' ? 'passed' : c.status === 'not-started' ? escapeMd(c.message) : `${escapeMd(c.message)}<br>*Hint:* ${escapeMd(c.hint)}`;
    out.push(`| ${mark} | ${escapeMd(c.title)}${c.hidden ? ' *(hidden)*' : ''} | ${c.earned}/${c.points} | ${feedback} |`);
  }
  const hints = Object.entries(r.hintsOpened);
  if (hints.length > 0) out.push('', `Hints opened: ${hints.map(([fn, h]) => `\`${fn}\` ${h.opened} of ${h.of}`).join(', ')}`);
  out.push('', '## Files graded', '', ...r.files.map((f) => `- \`${f.path}\` sha256 \`${f.sha256}\``), '');
  return out.join('\n');
}
