// The check worker: a contained process with a heap limit (checkProcess.ts, containment.ts),
// where learner code and the lab's trusted checks run. The sidecar kills and replaces it on a
// time or memory limit.
import type { LabModule, Tf } from '../../core/checks/checkApi';
import type { CheckResult, VisualizeResult } from '../../core/protocol/sidecar';
import * as helpers from '../learner/helpers';
import { loadBackend } from '../backend/loadBackend';
import { createCheckContext } from './checkContext';
import { SourceMaps, toLearnerError } from './learnerErrors';
import { Sandbox } from './sandbox';
import { isLabView } from '../../core/checks/labView';
import { runLabView } from './labViewRun';
import { cancelIdleCollection, collectWhenIdle } from './idleGc';
import type { FromWorker, ToWorker } from './workerMessages';
import { requestStop, runTask } from './taskRunner';
import type { TranspiledFile } from './transpile';
import { hostPort } from './hostPort';
import { printsDone } from '../backend/pendingPrints';
import { containLearner, LearnerView, routeConsole } from './learnerView';
import type { LabModuleRef } from './labModuleRef';
import { evaluateLabSource } from './labSourceModule';
import { forgetAssertions, settleAssertions } from '../../core/checks/expect';

const port = hostPort();
/** The source maps of the newest run, for a rejection that surfaces after its call returned. */
let newestMaps = new SourceMaps([]);
let tf: Tf | undefined;
let learner: LearnerView | undefined;
const labModules = new Map<string, LabModule>();
/** Only the newest version of each external lab stays cached (its key changes with every edit). */
const externalKeys = new Map<string, string>();

function post(msg: FromWorker): void {
  port!.postMessage(msg);
}

function log(level: 'info' | 'warn' | 'error', message: string): void {
  post({ type: 'log', level, message });
}

function labModule(ref: LabModuleRef): LabModule {
  const key = typeof ref === 'string' ? ref : ref.key;
  let mod = labModules.get(key);
  if (!mod) {
    if (typeof ref === 'string') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(ref) as LabModule;
    } else {
      const lab = ref.key.slice(0, ref.key.lastIndexOf('#'));
      const previous = externalKeys.get(lab);
      if (previous) labModules.delete(previous);
      externalKeys.set(lab, ref.key);
      mod = evaluateLabSource(ref);
    }
    if (!mod || typeof mod.checks !== 'object') throw new Error(`${typeof ref === 'string' ? ref : `${ref.entry}.ts`} does not export "checks"`);
    labModules.set(key, mod);
  }
  return mod;
}

function sandboxFor(files: TranspiledFile[]): Sandbox {
  newestMaps = new SourceMaps(files);
  return routeConsole(new Sandbox(files, { tf: learner!.tf, helpers: learner!.helpers, log: (line) => log('info', `[lab code] ${line}`) }));
}

/** After a run: say whether console output was cut, and let queued promise jobs run first. */
async function endRun(sandbox: Sandbox): Promise<void> {
  // A flood of promise jobs left by learner code keeps this from resolving, so the run hits
  // its own time limit instead of slowing the next one.
  await new Promise((resolve) => setImmediate(resolve));
  // Assertions a view or a failed check left behind are forgotten, not carried into the next run.
  forgetAssertions();
  await printsDone();
  routeConsole(undefined);
  const cut = sandbox.console.summary();
  if (cut) log('info', `[lab code] ${cut}`);
}

function classify(id: string, err: unknown, sandbox: Sandbox, started: number): CheckResult {
  const durationMs = Date.now() - started;
  const e = err as { name?: string; message?: string; expected?: string; actual?: string; location?: CheckResult['location']; todo?: string };
  if (e?.name === 'LearnerError' && e.todo) {
    return { id, status: 'not-started', message: e.message ?? 'not started', todo: e.todo, location: e.location, durationMs };
  }
  if (e?.name === 'CheckFailure') {
    return { id, status: 'fail', message: e.message ?? 'failed', expected: e.expected, actual: e.actual, durationMs };
  }
  if (e?.name === 'LearnerError') {
    return { id, status: 'error', message: e.message ?? 'your code threw', location: e.location, durationMs };
  }
  // Something escaped the learner wrapper (e.g. a stack overflow while the check read a
  // returned value) or the check could not read what the learner returned.
  const le = toLearnerError(err, sandbox.maps);
  if (le.todo) return { id, status: 'not-started', message: le.message, todo: le.todo, location: le.location, durationMs };
  if (le.location || /recursed without end/.test(le.message)) {
    return { id, status: 'error', message: le.message, location: le.location, durationMs };
  }
  return {
    id,
    status: 'error',
    message: `the check could not use what your code returned: ${e?.message ?? String(err)}`,
    durationMs,
  };
}

async function runChecks(msg: Extract<ToWorker, { type: 'checks' }>): Promise<void> {
  let mod: LabModule;
  try {
    mod = labModule(msg.labModule);
  } catch (err) {
    const message = `the lab's checks could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
    for (const id of msg.checkIds) post({ type: 'checkDone', jobId: msg.jobId, result: { id, status: 'error', message, durationMs: 0 } });
    post({ type: 'jobDone', jobId: msg.jobId });
    return;
  }
  const sandbox = sandboxFor(msg.files);
  const ctx = createCheckContext(tf!, sandbox);
  for (const id of msg.checkIds) {
    post({ type: 'checkStart', jobId: msg.jobId, id });
    const started = Date.now();
    const check = mod.checks[id];
    let result: CheckResult;
    if (!check) {
      result = { id, status: 'error', message: `the lab's check module has no check "${id}"`, durationMs: 0 };
    } else {
      tf!.engine().startScope();
      forgetAssertions();
      try {
        await check(ctx);
        // An assertion the check did not await (a lab written before they were async) still decides.
        await settleAssertions();
        result = { id, status: 'pass', message: 'passed', durationMs: Date.now() - started };
      } catch (err) {
        result = classify(id, err, sandbox, started);
      } finally {
        tf!.engine().endScope();
      }
      // A check is done when the promise jobs its learner code queued have run: a flood of
      // them holds this check until its time limit, instead of the checks after it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    post({ type: 'checkDone', jobId: msg.jobId, result });
  }
  await endRun(sandbox);
  post({ type: 'jobDone', jobId: msg.jobId });
}

async function visualize(msg: Extract<ToWorker, { type: 'visualize' }>): Promise<void> {
  const sandbox = sandboxFor(msg.files);
  let result: VisualizeResult;
  tf!.engine().startScope();
  try {
    const fn = labModule(msg.labModule).visualize?.[msg.view];
    if (!fn) throw new Error(`this lab has no "${msg.view}" view`);
    if (isLabView(fn)) {
      const asError = (err: unknown) => {
        const le = toLearnerError(err, sandbox.maps);
        return { message: le.message, location: le.location };
      };
      const onPart = (p: { part: 'reference' } | { part: 'learner'; payload: unknown }) => post({ type: 'viewPart', jobId: msg.jobId, ...p });
      result = await runLabView(fn, createCheckContext(tf!, sandbox), msg.input, onPart, asError);
    } else {
      result = { ok: true, data: await fn(createCheckContext(tf!, sandbox), msg.input) };
    }
  } catch (err) {
    const le = toLearnerError(err, sandbox.maps);
    result = { ok: false, error: { message: le.message, location: le.location }, compileErrors: [] };
  } finally {
    tf!.engine().endScope();
  }
  await endRun(sandbox);
  post({ type: 'visualized', jobId: msg.jobId, result });
}

// Learner code may leave a promise rejected with nothing to handle it (an async call it never
// awaited). By Node's default — and by the handler the wasm backend's Emscripten glue installs,
// which rethrows — that would end this process and cost the next run a cold start.
function logUnhandledRejections(): void {
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', (reason) => {
    log('warn', `[lab code] a promise of lab code was rejected and nothing handled it: ${toLearnerError(reason, newestMaps).message.replace(/^threw /, '')}`);
  });
}

port.onMessage((msg: ToWorker) => {
  cancelIdleCollection();
  const work = async () => {
    switch (msg.type) {
      case 'init': {
        try {
          const loaded = await loadBackend(msg.backend, msg.gpuModulesDir, msg.autoGpu);
          tf = loaded.tf;
          logUnhandledRejections();
          learner = containLearner(tf, helpers, (level, line) => log(level, line));
          post({ type: 'ready', info: loaded.info });
        } catch (err) {
          post({ type: 'initError', message: err instanceof Error ? err.message : String(err) });
        }
        return;
      }
      case 'checks':
        return runChecks(msg);
      case 'visualize':
        return visualize(msg);
      case 'task': {
        // The task's learner code runs in the same contained realm as a check's, and its console
        // output is capped the same way.
        let taskSandbox: Sandbox | undefined;
        try {
          return await runTask(msg, { tf: tf!, labModule, sandboxFor: (files) => (taskSandbox = sandboxFor(files)), post });
        } finally {
          if (taskSandbox) await endRun(taskSandbox);
        }
      }
      case 'cancelTask':
        return requestStop(msg.jobId);
      case 'stats': {
        const m = tf!.memory();
        post({ type: 'stats', jobId: msg.jobId, numTensors: m.numTensors, numBytes: m.numBytes, rssBytes: process.memoryUsage().rss });
        return;
      }
    }
  };
  work()
    .catch((err) => log('error', `worker: ${err instanceof Error ? err.stack : String(err)}`))
    .finally(collectWhenIdle);
});
