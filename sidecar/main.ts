// The compute sidecar: a Node process the extension (or the CLI) spawns, speaking JSON-RPC
// on stdio. It transpiles learner code and runs it with the lab's checks in a worker thread.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  CancelRun,
  CompileDiagnostic,
  LearnerError,
  Initialize,
  Log,
  RunChecks,
  RunChecksResult,
  RunTask,
  RunTaskResult,
  Shutdown,
  Stats,
  TaskProgress,
  TypeCheck,
  Visualize,
  VisualizeResult,
} from '../core/protocol/sidecar';
import { LearnerTypeChecker } from './typecheck/typeCheck';
import { transpile } from './runner/transpile';
import { transpileLabSource } from './runner/labSource';
import type { LabModuleRef } from './runner/labModuleRef';
import { WORKER_FILE, WorkerPool } from './runner/workerPool';
import { Containment, prepareContainment } from './runner/containment';
import { probeAutoGpu } from './backend/autoGpu';
import type { AutoGpu } from '../core/compute/gpuProbeResult';
import { cancelIdleCollection, collectWhenIdle } from './runner/idleGc';
import { ChecksFirst, runTaskJob } from './runner/taskJob';

export const SIDECAR_VERSION = '1';

const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));

function log(level: 'info' | 'warn' | 'error', message: string): void {
  void connection.sendNotification(Log.type, { level, message });
}

// stdout carries the protocol: anything else written there would corrupt it.
console.log = (...a: unknown[]) => log('info', a.map(String).join(' '));
console.info = console.log;
console.warn = (...a: unknown[]) => log('warn', a.map(String).join(' '));
console.error = (...a: unknown[]) => log('error', a.map(String).join(' '));

let pool: WorkerPool | undefined;
/** Long-running tasks get a worker of their own, started on the first task. */
let taskPool: WorkerPool | undefined;
let taskPoolStarting: Promise<WorkerPool> | undefined;
/** How processes that run learner code start and what contains them (decided at initialize). */
let containment: Containment | undefined;
/** Whether `auto` takes WebGPU on this machine (probed once per initialize). */
let autoGpu: AutoGpu | undefined;
let tasksRunning = 0;
const checksFirst = new ChecksFirst();
let initParams: Initialize.Params | undefined;
let labsDist = '';
let typeChecker: LearnerTypeChecker | undefined;
const running = new Map<string, AbortController>();

function labModulePath(labId: string, labChecks?: string): LabModuleRef {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(labId)) throw new Error(`invalid lab id "${labId}"`);
  if (labChecks) return transpileLabSource(labChecks);
  const file = path.join(labsDist, labId, 'checks.js');
  if (!existsSync(file)) throw new Error(`the checks of lab "${labId}" are not built (${file} is missing)`);
  return file;
}

/** A view or task that cannot start: the first compile error, where it is. */
function doesNotCompile(diagnostics: CompileDiagnostic[]): LearnerError {
  const d = diagnostics[0];
  return { message: `${d.file}:${d.line} does not compile: ${d.message}`, location: d };
}

function requirePool(): WorkerPool {
  if (!pool) throw new Error('the sidecar is not initialised: send "initialize" first');
  return pool;
}

function track(runId: string): AbortController {
  cancelIdleCollection();
  const ac = new AbortController();
  running.set(runId, ac);
  return ac;
}

connection.onRequest(Initialize.type, async (params) => {
  labsDist = params.labsDist;
  initParams = params;
  if (pool) await pool.dispose();
  await (taskPoolStarting ?? Promise.resolve(undefined)).then((t) => t?.dispose(), () => undefined);
  taskPool = undefined;
  taskPoolStarting = undefined;
  // One decision for every process that runs learner code: checks, lab views and tasks alike.
  autoGpu = params.backend === 'auto' ? await probeAutoGpu(params.gpuModulesDir, __filename) : undefined;
  if (autoGpu?.webgpu) log('info', 'auto: a hardware WebGPU adapter passed the self-test; the checks run on it, without the permission model (dawn.node is a native addon)');
  containment = await prepareContainment({ backend: params.backend, gpuModulesDir: params.gpuModulesDir, labsDist, workerFile: WORKER_FILE, autoWebgpu: autoGpu?.webgpu });
  pool = new WorkerPool({ backend: params.backend, gpuModulesDir: params.gpuModulesDir, autoGpu, log, containment });
  const backend = await pool.start();
  transpile([{ path: 'warm-up.ts', text: 'export const warm: number = 1;' }]);
  log('info', `compute backend: ${backend.name} (tfjs ${backend.tfjsVersion}, node ${backend.nodeVersion})`);
  return { backend, sidecarVersion: SIDECAR_VERSION, pid: process.pid };
});

connection.onRequest(RunChecks.type, async (params): Promise<RunChecksResult> => {
  const started = Date.now();
  const timing: NonNullable<RunChecksResult['timing']> = { received: performance.timeOrigin + performance.now() };
  const p = requirePool();
  const ac = track(params.runId);
  const leave = checksFirst.enter();
  try {
    const labModule = labModulePath(params.labId, params.labChecks);
    const compiled = transpile(params.files);
    if (compiled.diagnostics.length > 0) {
      const first = compiled.diagnostics[0];
      return {
        runId: params.runId,
        compileErrors: compiled.diagnostics,
        results: params.checkIds.map((id) => ({
          id,
          status: 'not-run' as const,
          message: `not run: ${first.file}:${first.line} does not compile (${first.message})`,
          durationMs: 0,
        })),
        backend: p.backendInfo!.name,
        durationMs: Date.now() - started,
        timing,
      };
    }
    const results = await p.runChecks(labModule, compiled.files, params.checkIds, params.limits, ac.signal, timing);
    return { runId: params.runId, compileErrors: [], results, backend: p.backendInfo!.name, durationMs: Date.now() - started, timing };
  } finally {
    leave();
    running.delete(params.runId);
    collectWhenIdle();
  }
});

connection.onRequest(Visualize.type, async (params): Promise<VisualizeResult> => {
  const p = requirePool();
  const ac = track(params.runId);
  const leave = checksFirst.enter();
  try {
    const compiled = transpile(params.files);
    if (compiled.diagnostics.length > 0) return { ok: false, error: doesNotCompile(compiled.diagnostics), compileErrors: compiled.diagnostics };
    return await p.visualize(labModulePath(params.labId, params.labChecks), compiled.files, params.view, params.input, params.limits, ac.signal);
  } finally {
    leave();
    running.delete(params.runId);
  }
});

/** The task worker's pool, started on the first task with the checks' backend preference. */
function taskWorkerPool(checkPool: WorkerPool): Promise<WorkerPool> {
  taskPoolStarting ??= (async () => {
    // The task's learner code (Lab 5's training panel) is contained exactly as the checks' is.
    const fresh = new WorkerPool({ backend: initParams!.backend, gpuModulesDir: initParams!.gpuModulesDir, autoGpu, log, containment: containment! });
    try {
      const info = await fresh.start();
      // A native backend may not load twice in one process: say so rather than train elsewhere unnoticed.
      if (info.name !== checkPool.backendInfo?.name) log('warn', `the task worker runs on ${info.name}, the checks on ${checkPool.backendInfo?.name}`);
      taskPool = fresh;
      return fresh;
    } catch (err) {
      taskPoolStarting = undefined;
      await fresh.dispose();
      throw new Error(`the task worker did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  })();
  return taskPoolStarting;
}

connection.onRequest(RunTask.type, async (params): Promise<RunTaskResult> => {
  const started = Date.now();
  const p = requirePool();
  const ac = track(params.runId);
  tasksRunning++;
  try {
    const labModule = labModulePath(params.labId, params.labChecks);
    const compiled = transpile(params.files);
    if (compiled.diagnostics.length > 0) {
      return { status: 'error', error: doesNotCompile(compiled.diagnostics), compileErrors: compiled.diagnostics, backend: p.backendInfo!.name, durationMs: Date.now() - started };
    }
    const tasks = await taskWorkerPool(p);
    const onProgress = (payload: unknown) => void connection.sendNotification(TaskProgress.type, { runId: params.runId, payload });
    return await runTaskJob(tasks, { labModule, files: compiled.files, task: params.task, input: params.input, limits: params.limits, signal: ac.signal, onProgress }, checksFirst);
  } finally {
    tasksRunning--;
    running.delete(params.runId);
  }
});

connection.onRequest(TypeCheck.type, async (params): Promise<TypeCheck.Result> => {
  const started = Date.now();
  // dist/types (or out/types) sits beside dist/labs: the learner declarations the scaffold installs.
  typeChecker ??= new LearnerTypeChecker(path.join(path.dirname(labsDist), 'types'));
  try {
    return { typeErrors: typeChecker.check(params.files), durationMs: Date.now() - started };
  } finally {
    collectWhenIdle();
  }
});

connection.onNotification(CancelRun.type, ({ runId }) => running.get(runId)?.abort());

connection.onRequest(Stats.type, async () => {
  const p = requirePool();
  const s = await p.stats();
  // The task worker answers only between tasks (its queue is the task itself).
  const t = taskPool && tasksRunning === 0 ? await taskPool.stats() : undefined;
  const taskWorker = t ? { numTensors: t.numTensors, numBytes: t.numBytes, restarts: taskPool!.restarts } : undefined;
  // Resident memory of the sidecar and of the check process it runs learner code in.
  return { ...s, rssBytes: process.memoryUsage().rss + s.rssBytes, workerRestarts: p.restarts, taskWorker };
});

connection.onRequest(Shutdown.type, async () => {
  await Promise.all([pool?.dispose(), taskPool?.dispose()]);
  pool = undefined;
  taskPool = undefined;
  taskPoolStarting = undefined;
  setImmediate(() => process.exit(0));
});

// The parent went away: nothing more to do.
process.stdin.on('end', () => process.exit(0));
// However this process ends, the check process (maybe busy in a learner's endless loop) ends too.
process.on('exit', () => {
  void pool?.dispose();
  void taskPool?.dispose();
});
connection.listen();
