// The main thread's side of a long-running task: posts it to the task worker (its own
// WorkerPool, so checks never queue behind it), relays progress, and on a cancel or the time
// limit asks the task to stop (a message, and the shared stop flag when the worker is a thread)
// and waits for it to stop between steps. Only a task that does not stop in time costs a
// worker restart.
import { Worker } from 'node:worker_threads';
import type { RunLimits, RunTaskResult } from '../../core/protocol/sidecar';
import { CONTROL, CONTROL_BYTES, TaskOutcome } from './taskMessages';
import type { TranspiledFile } from './transpile';
import type { FromWorker, ToWorker } from './workerMessages';
import type { Ended, WorkerPool } from './workerPool';
import type { LabModuleRef } from './labModuleRef';

/** How long a task may take to notice the stop flag (a few of its steps) before its worker is replaced. */
export const TASK_STOP_GRACE_MS = 5000;

/**
 * Checks first: while any check or visualize run is under way on the check worker, a running
 * task sleeps in `hooks.aborted()` (up to a second per call), so on two cores the check gets one
 * to itself instead of sharing it with training.
 */
export class ChecksFirst {
  private running = 0;
  private readonly tasks = new Set<Int32Array>();

  /** A check or visualize run starts; call the result when it ends. */
  enter(): () => void {
    this.running++;
    this.publish();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
      this.publish();
    };
  }

  /** A task starts with this control memory; call the result when it ends. */
  attach(control: Int32Array): () => void {
    this.tasks.add(control);
    Atomics.store(control, CONTROL.checksRunning, this.running);
    return () => this.tasks.delete(control);
  }

  private publish(): void {
    for (const c of this.tasks) {
      Atomics.store(c, CONTROL.checksRunning, this.running);
      Atomics.notify(c, CONTROL.checksRunning);
    }
  }
}

export interface TaskJob {
  labModule: LabModuleRef;
  files: TranspiledFile[];
  task: string;
  input: unknown;
  limits: RunLimits;
  signal: AbortSignal;
  onProgress(payload: unknown): void;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export interface TaskJobOptions {
  /** How long a task may take to stop when asked (default TASK_STOP_GRACE_MS). */
  graceMs?: number;
  /**
   * Share control memory with the worker (default: when it is a thread of this process). Without
   * it, a stop is a message, seen when the task yields to its event loop, and there is no
   * checks-first pause.
   */
  sharedMemory?: boolean;
}

export function runTaskJob(pool: WorkerPool, job: TaskJob, checksFirst: ChecksFirst, options: TaskJobOptions = {}): Promise<RunTaskResult> {
  const graceMs = options.graceMs ?? TASK_STOP_GRACE_MS;
  const started = Date.now();
  return pool.exclusive(job.limits.memoryMb, async (lease) => {
    const backend = pool.backendInfo!.name;
    const durationMs = () => Date.now() - started;
    // A stale job is dropped before it starts (the learner cancelled while it waited its turn).
    if (job.signal.aborted) return { status: 'cancelled', message: 'cancelled before it started', backend, durationMs: durationMs() };

    const shared = options.sharedMemory ?? lease.worker instanceof Worker;
    const control = shared ? new Int32Array(new SharedArrayBuffer(CONTROL_BYTES)) : undefined;
    const detach = control ? checksFirst.attach(control) : () => undefined;
    let outcome: TaskOutcome | undefined;
    let onMessage: ((msg: FromWorker) => void) | undefined;
    const done = new Promise<'done'>((resolve) => {
      onMessage = (msg: FromWorker) => {
        if (!('jobId' in msg) || msg.jobId !== lease.jobId) return;
        if (msg.type === 'taskProgress') job.onProgress(msg.payload);
        else if (msg.type === 'taskDone') {
          outcome = msg.outcome;
          resolve('done');
        }
      };
      lease.worker.on('message', onMessage);
    });
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const msg: ToWorker = { type: 'task', jobId: lease.jobId, labModule: job.labModule, files: job.files, task: job.task, input: job.input, control: control?.buffer as SharedArrayBuffer | undefined };
      lease.worker.postMessage(msg);
      const stopRequest = new Promise<'timeout' | 'cancel'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), job.limits.timeoutMs);
        onAbort = () => resolve('cancel');
        if (job.signal.aborted) onAbort();
        else job.signal.addEventListener('abort', onAbort, { once: true });
      });
      const first = await Promise.race([done, stopRequest, lease.ended]);
      if (first === 'done') return fromOutcome(outcome!, backend, durationMs());
      if (typeof first === 'object') return fromEnded(first, job.limits, backend, durationMs());

      if (control) {
        Atomics.store(control, CONTROL.stop, 1);
        Atomics.notify(control, CONTROL.checksRunning);
      }
      lease.worker.postMessage({ type: 'cancelTask', jobId: lease.jobId } satisfies ToWorker);
      let graceTimer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (graceTimer = setTimeout(() => resolve('late'), graceMs)));
      const second = await Promise.race([done, late, lease.ended]);
      clearTimeout(graceTimer);
      if (second === 'done') {
        // A task that finished just as it was asked to stop keeps its full result.
        if (first === 'timeout' && outcome!.status === 'cancelled') {
          return { status: 'timeout', error: { message: `stopped at its time limit of ${seconds(job.limits.timeoutMs)}` }, compileErrors: [], backend, durationMs: durationMs() };
        }
        return fromOutcome(outcome!, backend, durationMs());
      }
      if (typeof second === 'object') return fromEnded(second, job.limits, backend, durationMs());
      lease.replace(first === 'timeout' ? { kind: 'timeout' } : { kind: 'cancelled' });
      const why = `it did not stop within ${seconds(graceMs)} of being asked, so its worker was restarted`;
      return first === 'timeout'
        ? { status: 'timeout', error: { message: `timed out after ${seconds(job.limits.timeoutMs)}; ${why}` }, compileErrors: [], backend, durationMs: durationMs() }
        : { status: 'cancelled', message: `cancelled; ${why}`, backend, durationMs: durationMs() };
    } finally {
      clearTimeout(timer);
      if (onAbort) job.signal.removeEventListener('abort', onAbort);
      if (onMessage) lease.worker.off('message', onMessage);
      detach();
    }
  });
}

function fromOutcome(o: TaskOutcome, backend: RunTaskResult['backend'], durationMs: number): RunTaskResult {
  switch (o.status) {
    case 'done':
      return { status: 'done', result: o.result, backend, durationMs };
    case 'cancelled':
      return { status: 'cancelled', result: o.result, message: 'cancelled', backend, durationMs };
    case 'error':
      return { status: 'error', error: o.error, compileErrors: [], backend, durationMs };
  }
}

function fromEnded(e: Ended, limits: RunLimits, backend: RunTaskResult['backend'], durationMs: number): RunTaskResult {
  const message =
    e.kind === 'memory'
      ? `used more than ${limits.memoryMb} MB of memory: look for an array or tensor that grows without end`
      : `the task worker stopped: ${e.kind === 'crashed' ? e.message : e.kind}`;
  return { status: e.kind === 'memory' ? 'memory' : 'error', error: { message }, compileErrors: [], backend, durationMs };
}
