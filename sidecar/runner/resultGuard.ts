// What the sidecar accepts from the check process as a check's result. Messages quote learner
// code (its thrown text, its values), and they end up in a terminal (the CLI's report), the
// Problems view and grade-report.json: terminal escape sequences, carriage returns and bidi
// overrides could redraw a "FAIL" line as "PASS" in front of an instructor, so they are shown
// as visible escapes. Only results for the checks that were asked for are taken, once each.
import type { CheckResult, CheckStatus, SourceLocation } from '../../core/protocol/sidecar';

// Every status, so that a new one in the protocol fails to compile here until it is added.
// Stryker disable next-line BooleanLiteral: only the keys are read (Object.hasOwn), never the values
const STATUS: Record<CheckStatus, true> = { pass: true, fail: true, error: true, timeout: true, memory: true, 'not-run': true, 'not-started': true };
// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides/isolates.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Learner-influenced text made safe to print: control characters as \u escapes, length capped. */
export function safeText(s: unknown, max = 4000): string {
  const text = typeof s === 'string' ? s : String(s);
  const clean = text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
}

function location(l: unknown): SourceLocation | undefined {
  const x = l as SourceLocation | undefined;
  if (!x || typeof x.file !== 'string' || !Number.isInteger(x.line) || !Number.isInteger(x.column)) return undefined;
  return { file: safeText(x.file, 300), line: x.line, column: x.column };
}

/** The result as the sidecar reports it, or undefined when it is not one of `ids` or malformed. */
export function guardResult(r: unknown, ids: readonly string[]): CheckResult | undefined {
  const x = r as Partial<CheckResult> | undefined;
  if (!x || typeof x.id !== 'string' || !ids.includes(x.id) || !Object.hasOwn(STATUS, x.status as string)) return undefined;
  const out: CheckResult = {
    id: x.id,
    status: x.status as CheckStatus,
    message: safeText(x.message ?? ''),
    durationMs: typeof x.durationMs === 'number' && Number.isFinite(x.durationMs) ? x.durationMs : 0,
  };
  if (x.expected !== undefined) out.expected = safeText(x.expected, 2000);
  if (x.actual !== undefined) out.actual = safeText(x.actual, 2000);
  const loc = location(x.location);
  if (loc) out.location = loc;
  if (typeof x.todo === 'string' && /^[A-Za-z_$][\w$]*$/.test(x.todo)) out.todo = x.todo;
  return out;
}
