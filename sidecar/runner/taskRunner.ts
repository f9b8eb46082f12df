// Runs one long-running task of a lab module inside the worker: streams its progress, lets it
// see a cancel or the time limit between steps, pauses it while checks run elsewhere, and
// disposes whatever tensors and variables it leaves behind, however it ends.
import type { LabModule, TaskFn, TaskHooks, Tf } from '../../core/checks/checkApi';
import type { LearnerError as LearnerErrorInfo } from '../../core/protocol/sidecar';
import { createCheckContext } from './checkContext';
import { LearnerError, toLearnerError } from './learnerErrors';
import type { Sandbox } from './sandbox';
import { CONTROL, TaskOutcome, TaskToWorker } from './taskMessages';
import type { FromWorker } from './workerMessages';
import type { TranspiledFile } from './transpile';
import type { LabModuleRef } from './labModuleRef';

/** Longest a single `aborted()` call sleeps for a running check before the task goes on. */
const YIELD_TO_CHECKS_MAX_MS = 1000;

export interface TaskRunnerDeps {
  tf: Tf;
  labModule(ref: LabModuleRef): LabModule;
  sandboxFor(files: TranspiledFile[]): Sandbox;
  post(msg: FromWorker): void;
}

/** Tasks asked to stop by a `cancelTask` message (the only way when memory is not shared). */
const stopRequested = new Set<number>();

export function requestStop(jobId: number): void {
  stopRequested.add(jobId);
}

/** Whether the task was asked to stop (no waiting). */
function isStopped(jobId: number, control: Int32Array | undefined): boolean {
  return stopRequested.has(jobId) || (control !== undefined && Atomics.load(control, CONTROL.stop) !== 0);
}

/**
 * hooks.aborted(): a cancelTask message seen, or the shared stop flag; with shared memory, it
 * first sleeps while a check runs on the check worker (bounded).
 */
export function abortedHook(jobId: number, control: Int32Array | undefined, maxYieldMs = YIELD_TO_CHECKS_MAX_MS): () => boolean {
  const stopped = () => isStopped(jobId, control);
  return () => {
    if (!control) return stopped();
    const deadline = Date.now() + maxYieldMs;
    for (;;) {
      const running = Atomics.load(control, CONTROL.checksRunning);
      if (running <= 0 || stopped()) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      // Sleeps until the count changes (the main thread notifies) or the time is up.
      Atomics.wait(control, CONTROL.checksRunning, running, left);
    }
    return stopped();
  };
}

function disposeNewVariables(tf: Tf, before: Set<string>): void {
  const vars = tf.engine().state.registeredVariables;
  for (const name of Object.keys(vars)) {
    if (!before.has(name)) vars[name].dispose();
  }
}

/** The learner's throw with their line, or what went wrong in the lab's own task code. */
function describe(err: unknown, task: string, sandbox: Sandbox | undefined): LearnerErrorInfo {
  const le = sandbox ? toLearnerError(err, sandbox.maps) : undefined;
  if (le && (err instanceof LearnerError || le.location)) return le.location ? { message: le.message, location: le.location } : { message: le.message };
  return { message: `the lab's task "${task}" failed: ${err instanceof Error ? err.message : String(err)}` };
}

function clean(value: unknown): unknown {
  // What postMessage would clone anyway; a function or a tensor inside fails here, with a reason.
  return structuredClone(value);
}

export async function runTask(msg: Extract<TaskToWorker, { type: 'task' }>, deps: TaskRunnerDeps): Promise<void> {
  try {
    await run(msg, deps);
  } finally {
    stopRequested.delete(msg.jobId);
  }
}

async function run(msg: Extract<TaskToWorker, { type: 'task' }>, deps: TaskRunnerDeps): Promise<void> {
  const { tf } = deps;
  const control = msg.control ? new Int32Array(msg.control) : undefined;
  const aborted = abortedHook(msg.jobId, control);
  const hooks: TaskHooks = {
    progress: (payload) => deps.post({ type: 'taskProgress', jobId: msg.jobId, payload: clean(payload) }),
    aborted,
  };
  let fn: TaskFn | undefined;
  try {
    fn = deps.labModule(msg.labModule).tasks?.[msg.task];
  } catch (err) {
    deps.post({ type: 'taskDone', jobId: msg.jobId, outcome: { status: 'error', error: { message: `the lab's module could not be loaded: ${err instanceof Error ? err.message : String(err)}` } } });
    return;
  }
  if (!fn) {
    deps.post({ type: 'taskDone', jobId: msg.jobId, outcome: { status: 'error', error: { message: `this lab has no "${msg.task}" task` } } });
    return;
  }
  const variablesBefore = new Set(Object.keys(tf.engine().state.registeredVariables));
  let sandbox: Sandbox | undefined;
  let outcome: TaskOutcome;
  tf.engine().startScope();
  try {
    sandbox = deps.sandboxFor(msg.files);
    const result = clean(await fn(createCheckContext(tf, sandbox), msg.input, hooks));
    outcome = isStopped(msg.jobId, control) ? { status: 'cancelled', result } : { status: 'done', result };
  } catch (err) {
    if (isStopped(msg.jobId, control)) outcome = { status: 'cancelled' };
    else outcome = { status: 'error', error: describe(err, msg.task, sandbox) };
  } finally {
    tf.engine().endScope();
    // Optimizer slots and trainable weights are variables, which scopes do not release.
    disposeNewVariables(tf, variablesBefore);
  }
  deps.post({ type: 'taskDone', jobId: msg.jobId, outcome });
}
