// The generic half of two-part lab views (checkApi.ts LabView): recognising one, and marking
// every learner part of a reference payload as stopped when the learner's part could not run to
// the end (a throw, the time or memory limit, a crash). No Node, no vscode: the sidecar's main
// thread uses it after killing a worker, the worker after a throw.
import type { LabView, VisualizeFn } from './checkApi';
import type { LearnerError } from '../protocol/sidecar';

export function isLabView(v: VisualizeFn | LabView | undefined): v is LabView {
  return typeof v === 'object' && v !== null && typeof v.reference === 'function' && typeof v.learner === 'function';
}

type Json = Record<string, unknown>;

function isPart(o: Json): boolean {
  return 'learner' in o && 'reference' in o;
}

/**
 * A copy of `payload` where the top level and every compared part whose learner side is still
 * null carry `error` (a part that already has its own learnerError keeps it). Parts the learner
 * part had filled in before it stopped stay as they are.
 */
export function withLearnerStopped<P>(payload: P, error: LearnerError): P {
  const visit = (v: unknown, top: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => visit(x, false));
    if (!v || typeof v !== 'object') return v;
    const o = v as Json;
    const out: Json = {};
    for (const [k, x] of Object.entries(o)) out[k] = k === 'learner' || k === 'reference' ? x : visit(x, false);
    if ((top || (isPart(o) && o.learner === null)) && out.learnerError === undefined) out.learnerError = error;
    return out;
  };
  return visit(payload, true) as P;
}

/** The note a stopped learner part carries: what stopped it, and that the reference is drawn. */
export function stoppedMessage(kind: 'timeout' | 'memory' | 'crashed', limits: { timeoutMs: number; memoryMb: number }, detail?: string): string {
  if (kind === 'timeout') return `your code did not finish within ${limits.timeoutMs} ms (a loop that never ends?); the reference is drawn without it`;
  if (kind === 'memory') return `your code used more than ${limits.memoryMb} MB of memory; the reference is drawn without it`;
  return `the compute worker stopped while running your code (${detail ?? 'crashed'}); the reference is drawn without it`;
}
