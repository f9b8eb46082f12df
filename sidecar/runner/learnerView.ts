// Prepares the check process for learner code, once its backend is loaded and before any
// learner code runs: the learner's TensorFlow.js and helpers (frozen copies), the realm's
// built-ins frozen (hardenRealm.ts), and the process's console routed into the current run's
// capped learner output (tf.print and t.print() write there).
import type { Tf } from '../../core/checks/checkApi';
import { harden, hardenRealm } from './hardenRealm';
import { copyOnRead, learnerTf } from './learnerTf';
import type { Sandbox } from './sandbox';

export interface LearnerView {
  tf: Record<string, unknown>;
  helpers: Record<string, unknown>;
}

let current: Sandbox | undefined;

/** Makes `sandbox` the run whose console receives the process's console output; returns it. */
export function routeConsole<T extends Sandbox | undefined>(sandbox: T): T {
  current = sandbox;
  return sandbox;
}

export function containLearner(tf: Tf, helpers: object, log: (level: 'info' | 'warn' | 'error', line: string) => void): LearnerView {
  const levels = { log: 'info', info: 'info', debug: 'info', warn: 'warn', error: 'error' } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const line = args.map((a) => String(a)).join(' ');
      if (current) current.console.write(line);
      else log(level, line);
    };
  }
  copyOnRead(tf);
  hardenRealm();
  // Node's text codecs are handed to learner code as they are, and the checks use them too.
  harden(TextEncoder);
  harden(TextDecoder);
  // A plain copy: the module's re-exports are getters, whose values harden() would not reach.
  const ownHelpers = { ...(helpers as Record<string, unknown>) };
  harden(ownHelpers);
  return { tf: learnerTf(tf), helpers: ownHelpers };
}
