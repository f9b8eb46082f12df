// Words for check results: CodeLens titles, the status bar, diagnostics. No vscode here.
import type { CheckOutcome } from '../../core/checks/engine';
import { t } from '../l10n';

export interface FunctionSummary {
  name: string;
  passed: number;
  total: number;
  /** The first check that failed or errored (not-started ones are not failures). */
  firstFailure?: CheckOutcome;
  /** The function a not-started check is waiting for (this one, or one it calls). */
  waitsFor?: string;
}

export function summarizeByFunction(outcomes: readonly CheckOutcome[], functions: readonly string[]): Map<string, FunctionSummary> {
  const map = new Map<string, FunctionSummary>();
  for (const name of functions) map.set(name, { name, passed: 0, total: 0 });
  for (const o of outcomes) {
    const s = map.get(o.spec.function);
    if (!s) continue;
    s.total++;
    if (o.status === 'pass') s.passed++;
    else if (o.status === 'not-started') s.waitsFor ??= o.todo ?? o.spec.function;
    else if (!s.firstFailure) s.firstFailure = o;
  }
  return map;
}

/** Functions none of whose checks ran because the function itself still throws its TODO. */
export function notStartedFunctions(outcomes: readonly CheckOutcome[]): string[] {
  const names = new Set<string>();
  for (const o of outcomes) if (o.status === 'not-started' && (o.todo ?? o.spec.function) === o.spec.function) names.add(o.spec.function);
  return [...names];
}

const MAX_LENS = 90;

export function lensTitle(s: FunctionSummary): string {
  if (s.total === 0) return t('no visible checks');
  if (s.passed === s.total) return t('✓ {0}/{1} checks', s.passed, s.total);
  const f = s.firstFailure;
  if (!f) {
    // One sentence per count: a translator gets the whole title, plural included.
    if (s.waitsFor === s.name && s.passed === 0) return s.total === 1 ? t('○ 1 check — not started') : t('○ {0} checks — not started', s.total);
    return t('○ {0}/{1} — waits for {2}()', s.passed, s.total, String(s.waitsFor));
  }
  const why = f.message.length > MAX_LENS ? f.message.slice(0, MAX_LENS - 1) + '…' : f.message;
  return t('✗ {0}/{1} — {2}', s.passed, s.total, why);
}

export function statusText(labOrder: number, outcomes: readonly CheckOutcome[]): string {
  const passed = outcomes.filter((o) => o.status === 'pass').length;
  const waiting = notStartedFunctions(outcomes).length;
  return waiting > 0
    ? t('$(beaker) Lab {0}: {1}/{2} checks · {3} not started', labOrder, passed, outcomes.length, waiting)
    : t('$(beaker) Lab {0}: {1}/{2} checks', labOrder, passed, outcomes.length);
}

/** One line for a Problems entry: what failed, expected vs actual, and the hint. */
export function diagnosticMessage(o: CheckOutcome): string {
  const parts = [t('{0}: {1}', o.spec.title, o.message)];
  if (o.expected !== undefined || o.actual !== undefined) {
    parts.push(t('expected {0}, got {1}', o.expected ?? '—', o.actual ?? '—'));
  }
  parts.push(t('Hint: {0}', o.spec.hint));
  return parts.join('\n');
}
