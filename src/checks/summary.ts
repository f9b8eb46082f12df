// Words for check results: CodeLens titles, the status bar, diagnostics. No vscode here.
import type { CheckOutcome } from '../../core/checks/engine';

export interface FunctionSummary {
  name: string;
  passed: number;
  total: number;
  firstFailure?: CheckOutcome;
}

export function summarizeByFunction(outcomes: readonly CheckOutcome[], functions: readonly string[]): Map<string, FunctionSummary> {
  const map = new Map<string, FunctionSummary>();
  for (const name of functions) map.set(name, { name, passed: 0, total: 0 });
  for (const o of outcomes) {
    const s = map.get(o.spec.function);
    if (!s) continue;
    s.total++;
    if (o.status === 'pass') s.passed++;
    else if (!s.firstFailure) s.firstFailure = o;
  }
  return map;
}

const MAX_LENS = 90;

export function lensTitle(s: FunctionSummary): string {
  if (s.total === 0) return 'no visible checks';
  if (s.passed === s.total) return `✓ ${s.passed}/${s.total} checks`;
  const f = s.firstFailure!;
  const why = f.message.length > MAX_LENS ? f.message.slice(0, MAX_LENS - 1) + '…' : f.message;
  return `✗ ${s.passed}/${s.total} — ${why}`;
}

export function statusText(labOrder: number, outcomes: readonly CheckOutcome[]): string {
  const passed = outcomes.filter((o) => o.status === 'pass').length;
  return `$(beaker) Lab ${labOrder}: ${passed}/${outcomes.length} checks`;
}

/** One line for a Problems entry: what failed, expected vs actual, and the hint. */
export function diagnosticMessage(o: CheckOutcome): string {
  const parts = [`${o.spec.title}: ${o.message}`];
  if (o.expected !== undefined || o.actual !== undefined) {
    parts.push(`expected ${o.expected ?? '—'}, got ${o.actual ?? '—'}`);
  }
  parts.push(`Hint: ${o.spec.hint}`);
  return parts.join('\n');
}
