// What `transformer-labs grade-all` writes: a CSV for an LMS, a JSON with everything (also what
// --resume reads back), and a summary for the terminal.
import { readFileSync } from 'node:fs';
import type { Lab } from '../labs/manifest';
import { writeFileAtomic } from '../util/atomicWrite';
import type { ClassRow } from './classGrading';

export interface ClassReport {
  schemaVersion: 1;
  generatedAt: string;
  extensionVersion: string;
  limits: { timeoutMs: number; memoryMb: number };
  rows: ClassRow[];
}

/** A spreadsheet reads a cell that starts with =, +, - or @ as a formula: learner text is quoted out of it. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The check columns: every check of the labs graded, in manifest order. */
function checkColumns(rows: ClassRow[], labs: Lab[]): string[] {
  const graded = new Set(rows.map((r) => r.labId).filter((x): x is string => x !== null));
  const ids = labs.filter((l) => graded.has(l.manifest.id)).flatMap((l) => l.manifest.checks.map((c) => c.id));
  return [...new Set(ids)];
}

export function classCsv(rows: ClassRow[], labs: Lab[]): string {
  const checks = checkColumns(rows, labs);
  const header = ['learner', 'lab', 'version', 'score', 'max', 'percent', ...checks, 'flags', 'error'];
  const lines = [header.map(cell).join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.learner,
        r.labId,
        r.labVersion,
        r.score,
        r.maxScore,
        r.percent,
        ...checks.map((id) => (id in r.points ? r.points[id] : null)),
        r.flags.join(';'),
        r.error,
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function writeClassOutputs(csvFile: string, jsonFile: string, report: ClassReport, labs: Lab[]): void {
  writeFileAtomic(jsonFile, JSON.stringify(report, null, 2) + '\n');
  writeFileAtomic(csvFile, classCsv(report.rows, labs));
}

/** The rows of an earlier run's JSON, by learner; a missing file is an empty map, a broken one an error. */
export function readPreviousRows(jsonFile: string): Map<string, ClassRow> {
  let text: string;
  try {
    text = readFileSync(jsonFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  let data: Partial<ClassReport>;
  try {
    data = JSON.parse(text) as Partial<ClassReport>;
  } catch (err) {
    throw new Error(`--resume: ${jsonFile} is not valid JSON (${(err as Error).message}); delete it to grade everything again`);
  }
  if (data.schemaVersion !== 1 || !Array.isArray(data.rows)) throw new Error(`--resume: ${jsonFile} is not a grade-all report`);
  return new Map(data.rows.map((r) => [r.learner, r]));
}

function bar(n: number, max: number, width = 30): string {
  return '█'.repeat(max === 0 ? 0 : Math.round((n / max) * width));
}

/** Distribution of percents, the checks most often not passed, the slowest submissions. */
export function classSummary(rows: ClassRow[], opts: { top?: number } = {}): string {
  const top = opts.top ?? 5;
  const graded = rows.filter((r) => r.score !== null);
  const out: string[] = [];
  const percents = graded.map((r) => r.percent!).sort((a, b) => a - b);
  const mean = percents.reduce((s, p) => s + p, 0) / (percents.length || 1);
  const median = percents.length === 0 ? 0 : percents.length % 2 ? percents[(percents.length - 1) / 2] : (percents[percents.length / 2 - 1] + percents[percents.length / 2]) / 2;
  out.push(`${rows.length} submissions: ${graded.length} graded, ${rows.length - graded.length} not graded` + (graded.length ? `; mean ${mean.toFixed(1)} %, median ${median.toFixed(1)} %` : ''));

  if (graded.length > 0) {
    out.push('', 'distribution');
    const buckets = Array.from({ length: 11 }, () => 0);
    for (const p of percents) buckets[Math.min(10, Math.floor(p / 10))]++;
    const max = Math.max(...buckets);
    for (let b = 0; b <= 10; b++) {
      const label = b === 10 ? '    100 %' : `${String(b * 10).padStart(3)}–${String(b * 10 + 9).padEnd(3)}%`;
      out.push(`  ${label} ${String(buckets[b]).padStart(4)} ${bar(buckets[b], max)}`);
    }
    const failed = new Map<string, number>();
    for (const r of graded) for (const [id, st] of Object.entries(r.statuses)) if (st !== 'pass') failed.set(id, (failed.get(id) ?? 0) + 1);
    const worst = [...failed.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top);
    if (worst.length > 0) {
      out.push('', 'checks most often not passed');
      for (const [id, n] of worst) out.push(`  ${String(n).padStart(4)} of ${graded.length}  ${id}`);
    }
  }
  const slow = [...rows].filter((r) => !r.resumed).sort((a, b) => b.durationMs - a.durationMs).slice(0, top);
  if (slow.length > 0) {
    out.push('', 'slowest submissions');
    for (const r of slow) out.push(`  ${(r.durationMs / 1000).toFixed(1).padStart(6)} s  ${r.learner}${r.flags.length ? `  [${r.flags.join(', ')}]` : ''}`);
  }
  const problems = rows.filter((r) => r.error || r.flags.some((f) => f.startsWith('report-') || f === 'lab-mismatch'));
  if (problems.length > 0) {
    out.push('', 'to look at');
    for (const r of problems) out.push(`  ${r.learner}: ${[r.error, ...r.notes].filter(Boolean).join('; ')}`);
  }
  return out.join('\n');
}
