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

/** Longest a single `aborted()` call sleeps for a running check before the task goes on. */
const YIELD_TO_CHECKS_MAX_MS = 1000;

export interface TaskRunnerDeps {
  tf: Tf;
  labModule(file: string): LabModule;
  sandboxFor(files: TranspiledFile[]): Sandbox;
  post(msg: FromWorker): void;
}

/** hooks.aborted(): the stop flag, after sleeping while a check runs on the check worker. */
export function abortedHook(control: Int32Array, maxYieldMs = YIELD_TO_CHECKS_MAX_MS): () => boolean {
  return () => {
    const deadline = Date.now() + maxYieldMs;
    for (;;) {
      const running = Atomics.load(control, CONTROL.checksRunning);
      if (running <= 0 || Atomics.load(control, CONTROL.stop) !== 0) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      // Sleeps until the count changes (the main thread notifies) or the time is up.
      Atomics.wait(control, CONTROL.checksRunning, running, left);
    }
    return Atomics.load(control, CONTROL.stop) !== 0;
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

export async function runTask(msg: TaskToWorker, deps: TaskRunnerDeps): Promise<void> {
  const { tf } = deps;
  const control = new Int32Array(msg.control);
  const aborted = abortedHook(control);
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
    outcome = Atomics.load(control, CONTROL.stop) !== 0 ? { status: 'cancelled', result } : { status: 'done', result };
  } catch (err) {
    if (Atomics.load(control, CONTROL.stop) !== 0) outcome = { status: 'cancelled' };
    else outcome = { status: 'error', error: describe(err, msg.task, sandbox) };
  } finally {
    tf.engine().endScope();
    // Optimizer slots and trainable weights are variables, which scopes do not release.
    disposeNewVariables(tf, variablesBefore);
  }
  deps.post({ type: 'taskDone', jobId: msg.jobId, outcome });
}
