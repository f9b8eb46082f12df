// The main thread's side of one visualize job (workerPool.ts): which part of the view the
// worker is in, the clock that part runs on, and what to answer when the job is stopped. A
// one-piece view runs entirely on the learner's clock; a two-part view (labViewRun.ts) runs its
// reference part on REFERENCE_LIMIT_MS and only its learner part on the learner's limit, and a
// stopped learner part still answers with the reference payload and a note.
import type { CheckProcess } from './checkProcess';
import { stoppedMessage, withLearnerStopped } from '../../core/checks/labView';
import type { RunLimits, VisualizeResult } from '../../core/protocol/sidecar';
import type { Ended } from './workerPool';
import type { FromWorker } from './workerMessages';

/**
 * Trusted reference code on a loaded machine (a beam search, a 12-layer stack with gradients):
 * generous, but finite so a wedged worker is still replaced.
 */
export const REFERENCE_LIMIT_MS = 60_000;

export class ViewParts {
  result: VisualizeResult | undefined;
  private part: 'whole' | 'reference' | 'learner' = 'whole';
  private referencePayload: unknown;
  private wake: (() => void) | undefined;
  private readonly onMessage: (msg: FromWorker) => void;

  constructor(
    private readonly jobId: number,
    private readonly worker: Pick<CheckProcess, 'on' | 'off'>,
  ) {
    this.onMessage = (msg) => {
      if (!('jobId' in msg) || msg.jobId !== jobId) return;
      if (msg.type === 'visualized') this.result = msg.result;
      else if (msg.type === 'viewPart') {
        this.part = msg.part;
        if (msg.part === 'learner') this.referencePayload = msg.payload;
      } else return;
      this.wake?.();
    };
    worker.on('message', this.onMessage);
  }

  /** Resolves at the worker's next step: a new part began, or the answer arrived. */
  next(): Promise<'done'> {
    return new Promise((resolve) => (this.wake = () => resolve('done')));
  }

  /** The clock of the part the worker is in now. */
  limitMs(limits: RunLimits): number {
    return this.part === 'reference' ? Math.max(REFERENCE_LIMIT_MS, limits.timeoutMs) : limits.timeoutMs;
  }

  /** The answer for a job that was stopped (the worker is gone or the caller cancelled). */
  stopped(outcome: Exclude<Ended, never>, limits: RunLimits): VisualizeResult {
    if (outcome.kind === 'cancelled') return { ok: false, error: { message: 'cancelled' }, compileErrors: [] };
    if (this.part === 'learner') {
      const message = stoppedMessage(outcome.kind, limits, outcome.kind === 'crashed' ? outcome.message : undefined);
      return { ok: true, data: withLearnerStopped(this.referencePayload, { message }) };
    }
    const message =
      this.part === 'reference'
        ? `the reference part of this view did not finish (${outcome.kind === 'timeout' ? `after ${Math.max(REFERENCE_LIMIT_MS, limits.timeoutMs)} ms` : outcome.kind})`
        : outcome.kind === 'timeout'
          ? `timed out after ${limits.timeoutMs} ms`
          : outcome.kind === 'memory'
            ? `used more than ${limits.memoryMb} MB of memory`
            : outcome.message;
    return { ok: false, error: { message }, compileErrors: [] };
  }

  dispose(): void {
    this.worker.off('message', this.onMessage);
    this.wake = undefined;
  }
}
