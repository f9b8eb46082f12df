// The compute sidecar: a Node process the extension (or the CLI) spawns, speaking JSON-RPC
// on stdio. It transpiles learner code and runs it with the lab's checks in a worker thread.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  CancelRun,
  Initialize,
  Log,
  RunChecks,
  RunChecksResult,
  Shutdown,
  Stats,
  TypeCheck,
  Visualize,
  VisualizeResult,
} from '../core/protocol/sidecar';
import { LearnerTypeChecker } from './typecheck/typeCheck';
import { transpile } from './runner/transpile';
import { WORKER_FILE, WorkerPool } from './runner/workerPool';
import { prepareContainment } from './runner/containment';
import { cancelIdleCollection, collectWhenIdle } from './runner/idleGc';

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
let labsDist = '';
let typeChecker: LearnerTypeChecker | undefined;
const running = new Map<string, AbortController>();

function labModulePath(labId: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(labId)) throw new Error(`invalid lab id "${labId}"`);
  const file = path.join(labsDist, labId, 'checks.js');
  if (!existsSync(file)) throw new Error(`the checks of lab "${labId}" are not built (${file} is missing)`);
  return file;
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
  if (pool) await pool.dispose();
  const containment = await prepareContainment({ backend: params.backend, gpuModulesDir: params.gpuModulesDir, labsDist, workerFile: WORKER_FILE });
  pool = new WorkerPool({ backend: params.backend, gpuModulesDir: params.gpuModulesDir, log, containment });
  const backend = await pool.start();
  transpile([{ path: 'warm-up.ts', text: 'export const warm: number = 1;' }]);
  log('info', `compute backend: ${backend.name} (tfjs ${backend.tfjsVersion}, node ${backend.nodeVersion})`);
  return { backend, sidecarVersion: SIDECAR_VERSION, pid: process.pid };
});

connection.onRequest(RunChecks.type, async (params): Promise<RunChecksResult> => {
  const started = Date.now();
  const p = requirePool();
  const ac = track(params.runId);
  try {
    const labModule = labModulePath(params.labId);
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
      };
    }
    const results = await p.runChecks(labModule, compiled.files, params.checkIds, params.limits, ac.signal);
    return { runId: params.runId, compileErrors: [], results, backend: p.backendInfo!.name, durationMs: Date.now() - started };
  } finally {
    running.delete(params.runId);
    collectWhenIdle();
  }
});

connection.onRequest(Visualize.type, async (params): Promise<VisualizeResult> => {
  const p = requirePool();
  const ac = track(params.runId);
  try {
    const compiled = transpile(params.files);
    if (compiled.diagnostics.length > 0) {
      const d = compiled.diagnostics[0];
      return {
        ok: false,
        error: { message: `${d.file}:${d.line} does not compile: ${d.message}`, location: d },
        compileErrors: compiled.diagnostics,
      };
    }
    return await p.visualize(labModulePath(params.labId), compiled.files, params.view, params.input, params.limits, ac.signal);
  } finally {
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
  // Resident memory of the sidecar and of the check process it runs learner code in.
  return { ...s, rssBytes: process.memoryUsage().rss + s.rssBytes, workerRestarts: p.restarts };
});

connection.onRequest(Shutdown.type, async () => {
  await pool?.dispose();
  pool = undefined;
  setImmediate(() => process.exit(0));
});

// The parent went away: nothing more to do.
process.stdin.on('end', () => process.exit(0));
// However this process ends, the check process (maybe busy in a learner's endless loop) ends too.
process.on('exit', () => void pool?.dispose());
connection.listen();
