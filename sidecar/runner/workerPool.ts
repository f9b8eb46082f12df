// Owns the check worker (a contained process, see checkProcess.ts): keeps one warm (backend
// loaded), runs one job at a time, and replaces it when learner code hits the time or memory
// limit or a run is cancelled.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import type { BackendInfo, BackendPreference, CheckResult, RunLimits, VisualizeResult } from '../../core/protocol/sidecar';
import type { TranspiledFile } from './transpile';
import type { FromWorker, ToWorker } from './workerMessages';
import { CheckProcess } from './checkProcess';
import type { Containment } from './containment';
import { guardResult } from './resultGuard';

export interface PoolOptions {
  backend: BackendPreference;
  gpuModulesDir?: string;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Heap for the warm worker before the first run sets limits. */
  defaultMemoryMb?: number;
  /** How the check process is started and what contains it. */
  containment: Containment;
}

type Ended = { kind: 'timeout' } | { kind: 'memory' } | { kind: 'cancelled' } | { kind: 'crashed'; message: string };

interface LiveWorker {
  worker: CheckProcess;
  memoryMb: number;
  ready: Promise<BackendInfo>;
  /** Resolves when the worker stops, for whatever reason. */
  ended: Promise<Ended>;
  endWith(e: Ended): void;
}

const CANCEL_GRACE_MS = 250;
/**
 * A worker is replaced (warm, between runs) after this many runs. Each run's vm context and
 * compiled learner code are collected, but not every page goes back to the OS; a fresh isolate
 * keeps the sidecar's resident memory flat over thousands of runs.
 */
const RECYCLE_AFTER_RUNS = 300;
// tsc puts this file beside worker.js (out/sidecar/runner/); esbuild bundles it into
// dist/sidecar/main.js, with the worker at dist/sidecar/runner/worker.js.
export const WORKER_FILE = [path.join(__dirname, 'worker.js'), path.join(__dirname, 'runner', 'worker.js')].find((f) => existsSync(f)) ?? path.join(__dirname, 'worker.js');

export class WorkerPool {
  private live?: LiveWorker;
  private queue: Promise<unknown> = Promise.resolve();
  private nextJob = 1;
  restarts = 0;
  recycled = 0;
  private runsOnWorker = 0;
  backendInfo?: BackendInfo;

  constructor(private readonly opts: PoolOptions) {}

  /** Starts (or returns) the warm worker and the backend it loaded. */
  start(memoryMb = this.opts.defaultMemoryMb ?? 512): Promise<BackendInfo> {
    return this.ensure(memoryMb).ready;
  }

  private ensure(memoryMb: number): LiveWorker {
    if (this.live && this.live.memoryMb === memoryMb) return this.live;
    if (this.live) this.kill({ kind: 'cancelled' });
    const worker = new CheckProcess(this.opts.containment.launch(memoryMb));
    let endWith!: (e: Ended) => void;
    const ended = new Promise<Ended>((resolve) => (endWith = resolve));
    const ready = new Promise<BackendInfo>((resolve, reject) => {
      const onMessage = (msg: FromWorker) => {
        if (msg.type === 'ready') {
          this.backendInfo = { ...msg.info, containment: this.opts.containment.report };
          resolve(this.backendInfo);
        } else if (msg.type === 'initError') reject(new Error(msg.message));
      };
      worker.on('message', onMessage);
      void ended.then((e) => reject(new Error(`the compute worker stopped while starting (${e.kind === 'crashed' ? e.message : e.kind})`)));
    });
    ready.catch(() => undefined);
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'log') this.opts.log(msg.level, msg.message);
    });
    worker.stdout.on('data', (d: Buffer) => this.opts.log('info', d.toString().trimEnd()));
    worker.stderr.on('data', (d: Buffer) => this.opts.log('warn', d.toString().trimEnd()));
    worker.on('error', (err: Error & { code?: string }) => {
      endWith(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'memory' } : { kind: 'crashed', message: err.message });
    });
    worker.on('exit', (code) => endWith({ kind: 'crashed', message: `the compute worker exited with code ${code}` }));
    const init: ToWorker = { type: 'init', backend: this.opts.backend, gpuModulesDir: this.opts.gpuModulesDir };
    worker.postMessage(init);
    this.live = { worker, memoryMb, ready, ended, endWith };
    return this.live;
  }

  private kill(reason: Ended): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    live.endWith(reason);
    void live.worker.terminate();
    this.restarts++;
    this.runsOnWorker = 0;
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const counted = async () => {
      try {
        return await job();
      } finally {
        if (++this.runsOnWorker >= RECYCLE_AFTER_RUNS && this.live) {
          const memoryMb = this.live.memoryMb;
          this.runsOnWorker = 0;
          this.recycled++;
          const old = this.live;
          this.live = undefined;
          old.endWith({ kind: 'cancelled' });
          void old.worker.terminate();
          this.ensure(memoryMb).ready.catch(() => undefined);
        }
      }
    };
    const run = this.queue.then(counted, counted);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs checks under one time budget for the whole run. On a limit, the check that was
   * running gets the limit's message, the rest are not run, and a fresh worker is started.
   */
  runChecks(
    labModule: string,
    files: TranspiledFile[],
    checkIds: string[],
    limits: RunLimits,
    signal?: AbortSignal,
  ): Promise<CheckResult[]> {
    return this.serial(async () => {
      const live = this.ensure(limits.memoryMb);
      await live.ready;
      const jobId = this.nextJob++;
      const results = new Map<string, CheckResult>();
      let current: { id: string; started: number } | undefined;
      const done = new Promise<'done'>((resolve) => {
        const onMessage = (msg: FromWorker) => {
          if (!('jobId' in msg) || msg.jobId !== jobId) return;
          if (msg.type === 'checkStart') current = { id: msg.id, started: Date.now() };
          else if (msg.type === 'checkDone') {
            const result = guardResult(msg.result, checkIds);
            if (result && !results.has(result.id)) results.set(result.id, result);
            current = undefined;
          } else if (msg.type === 'jobDone') {
            live.worker.off('message', onMessage);
            resolve('done');
          }
        };
        live.worker.on('message', onMessage);
      });
      const msg: ToWorker = { type: 'checks', jobId, labModule, files, checkIds };
      live.worker.postMessage(msg);
      const outcome = await this.race(live, done, limits.timeoutMs, signal);
      if (outcome !== 'done') {
        const stopped = current;
        const limitMessage =
          outcome.kind === 'timeout'
            ? `timed out after ${limits.timeoutMs} ms${stopped ? ` in check "${stopped.id}"` : ''}: look for a loop that never ends (or promises that keep scheduling more)`
            : outcome.kind === 'memory'
              ? `used more than ${limits.memoryMb} MB of memory: look for an array or tensor that grows without end`
              : outcome.kind === 'cancelled'
                ? 'cancelled: newer code replaced this run'
                : `the compute worker crashed: ${outcome.message}`;
        for (const id of checkIds) {
          if (results.has(id)) continue;
          if (stopped && id === stopped.id && outcome.kind !== 'cancelled') {
            const status = outcome.kind === 'timeout' ? 'timeout' : outcome.kind === 'memory' ? 'memory' : 'error';
            results.set(id, { id, status, message: limitMessage, durationMs: Date.now() - stopped.started });
          } else {
            const why = outcome.kind === 'cancelled' ? limitMessage : `not run: an earlier check stopped the run (${outcome.kind})`;
            results.set(id, { id, status: 'not-run', message: why, durationMs: 0 });
          }
        }
        // Warm a replacement now, so the next run does not pay the start-up.
        this.ensure(limits.memoryMb).ready.catch(() => undefined);
      }
      return checkIds.map((id) => results.get(id)!);
    });
  }

  visualize(
    labModule: string,
    files: TranspiledFile[],
    view: string,
    input: unknown,
    limits: RunLimits,
    signal?: AbortSignal,
  ): Promise<VisualizeResult> {
    return this.serial(async () => {
      const live = this.ensure(limits.memoryMb);
      await live.ready;
      const jobId = this.nextJob++;
      let result: VisualizeResult | undefined;
      const done = new Promise<'done'>((resolve) => {
        const onMessage = (msg: FromWorker) => {
          if (msg.type === 'visualized' && msg.jobId === jobId) {
            live.worker.off('message', onMessage);
            result = msg.result;
            resolve('done');
          }
        };
        live.worker.on('message', onMessage);
      });
      live.worker.postMessage({ type: 'visualize', jobId, labModule, files, view, input } satisfies ToWorker);
      const outcome = await this.race(live, done, limits.timeoutMs, signal);
      if (outcome === 'done') return result!;
      this.ensure(limits.memoryMb).ready.catch(() => undefined);
      const message =
        outcome.kind === 'timeout'
          ? `timed out after ${limits.timeoutMs} ms`
          : outcome.kind === 'memory'
            ? `used more than ${limits.memoryMb} MB of memory`
            : outcome.kind === 'cancelled'
              ? 'cancelled'
              : outcome.message;
      return { ok: false, error: { message }, compileErrors: [] };
    });
  }

  /** Tensors and bytes in the check process, and its resident memory. */
  stats(): Promise<{ numTensors: number; numBytes: number; rssBytes: number }> {
    return this.serial(async () => {
      const live = this.ensure(this.live?.memoryMb ?? this.opts.defaultMemoryMb ?? 512);
      await live.ready;
      const jobId = this.nextJob++;
      return new Promise((resolve) => {
        const onMessage = (msg: FromWorker) => {
          if (msg.type === 'stats' && msg.jobId === jobId) {
            live.worker.off('message', onMessage);
            resolve({ numTensors: msg.numTensors, numBytes: msg.numBytes, rssBytes: msg.rssBytes });
          }
        };
        live.worker.on('message', onMessage);
        live.worker.postMessage({ type: 'stats', jobId } satisfies ToWorker);
      });
    });
  }

  private async race(live: LiveWorker, done: Promise<'done'>, timeoutMs: number, signal?: AbortSignal): Promise<'done' | Ended> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const limits = new Promise<Ended>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
      if (signal) {
        onAbort = () => resolve({ kind: 'cancelled' });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    try {
      const outcome = await Promise.race([done, limits, live.ended]);
      if (outcome !== 'done' && outcome.kind === 'cancelled') {
        // Most runs finish within moments; keeping the warm worker beats restarting it.
        const grace = new Promise<'late'>((r) => setTimeout(() => r('late'), CANCEL_GRACE_MS));
        if ((await Promise.race([done, grace, live.ended])) === 'done') return 'done';
      }
      if (outcome !== 'done') {
        if (this.live === live) this.kill(outcome);
        else live.endWith(outcome);
      }
      return outcome;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  async dispose(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (live) {
      live.endWith({ kind: 'cancelled' });
      await live.worker.terminate();
    }
  }
}
