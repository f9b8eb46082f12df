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
import { ViewParts } from './viewParts';
import { JobQueue } from './jobQueue';
import type { AutoGpu } from '../../core/compute/gpuProbeResult';
import type { LabModuleRef } from './labModuleRef';

export interface PoolOptions {
  backend: BackendPreference;
  gpuModulesDir?: string;
  /** Whether `auto` takes WebGPU (the sidecar's probe, once per start). */
  autoGpu?: AutoGpu;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Heap for the warm worker before the first run sets limits. */
  defaultMemoryMb?: number;
  /** How the check process is started and what contains it. */
  containment: Containment;
}

export type Ended = { kind: 'timeout' } | { kind: 'memory' } | { kind: 'cancelled' } | { kind: 'crashed'; message: string };

interface LiveWorker {
  worker: CheckProcess;
  memoryMb: number;
  ready: Promise<BackendInfo>;
  /** Resolves when the worker stops, for whatever reason. */
  ended: Promise<Ended>;
  endWith(e: Ended): void;
}

/** The worker as `exclusive` lends it to a job. */
export interface WorkerLease {
  /** The contained check process that runs the task's learner code (it shares no memory). */
  worker: CheckProcess;
  /** Resolves when the worker stops (crash, out of memory, replaced). */
  ended: Promise<Ended>;
  jobId: number;
  replace(reason: Ended): void;
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

/** The limit of each check on its own (RunLimits.perCheckMs): a timer restarted by every check. */
class PerCheckLimit {
  /** Resolves with a timeout when one check runs past the limit; never resolves without a limit. */
  readonly reached: Promise<Ended>;
  hit = false;
  private timer?: NodeJS.Timeout;
  private fire!: (e: Ended) => void;

  constructor(private readonly ms: number | undefined) {
    this.reached = new Promise<Ended>((resolve) => (this.fire = resolve));
  }

  started(): void {
    if (this.ms === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.hit = true;
      this.fire({ kind: 'timeout' });
    }, this.ms);
  }

  /** A check ended, or the run did. */
  ended(): void {
    clearTimeout(this.timer);
  }
}

export class WorkerPool {
  private live?: LiveWorker;
  /** One job at a time on the worker; checks go before queued views (jobQueue.ts). */
  private readonly jobs = new JobQueue(() => this.counted());
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
    const init: ToWorker = { type: 'init', backend: this.opts.backend, gpuModulesDir: this.opts.gpuModulesDir, autoGpu: this.opts.autoGpu };
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

  /** Runs after `job` on the worker: replaces the worker (warm) every RECYCLE_AFTER_RUNS jobs. */
  private counted(): void {
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

  /**
   * Runs checks under one time budget for the whole run. On a limit, the check that was
   * running gets the limit's message, the rest are not run, and a fresh worker is started.
   */
  runChecks(
    labModule: LabModuleRef,
    files: TranspiledFile[],
    checkIds: string[],
    limits: RunLimits,
    signal?: AbortSignal,
    /** Filled in for the compute log's trace: when the worker started and finished (epoch ms). */
    timing?: { workerStarted?: number; workerDone?: number },
  ): Promise<CheckResult[]> {
    return this.jobs.run('checks', async () => {
      // A run cancelled while it waited (newer code came) is dropped before it reaches the worker.
      if (signal?.aborted) return checkIds.map((id) => ({ id, status: 'not-run' as const, message: 'cancelled: newer code replaced this run', durationMs: 0 }));
      const live = this.ensure(limits.memoryMb);
      await live.ready;
      if (timing) timing.workerStarted = performance.timeOrigin + performance.now();
      const jobId = this.nextJob++;
      const results = new Map<string, CheckResult>();
      let current: { id: string; started: number } | undefined;
      const perCheck = new PerCheckLimit(limits.perCheckMs);
      const done = new Promise<'done'>((resolve) => {
        const onMessage = (msg: FromWorker) => {
          if (!('jobId' in msg) || msg.jobId !== jobId) return;
          if (msg.type === 'checkStart') {
            current = { id: msg.id, started: Date.now() };
            perCheck.started();
          } else if (msg.type === 'checkDone') {
            const result = guardResult(msg.result, checkIds);
            if (result && !results.has(result.id)) results.set(result.id, result);
            current = undefined;
            perCheck.ended();
          } else if (msg.type === 'jobDone') {
            if (timing) timing.workerDone = performance.timeOrigin + performance.now();
            live.worker.off('message', onMessage);
            resolve('done');
          }
        };
        live.worker.on('message', onMessage);
      });
      const msg: ToWorker = { type: 'checks', jobId, labModule, files, checkIds };
      live.worker.postMessage(msg);
      const outcome = await this.race(live, done, limits.timeoutMs, signal, perCheck.reached);
      perCheck.ended();
      if (outcome !== 'done') {
        const stopped = current;
        const limitMessage =
          outcome.kind === 'timeout'
            ? perCheck.hit
              ? `timed out after ${limits.perCheckMs} ms${stopped ? ` in check "${stopped.id}"` : ''}: an earlier check already ran past the full time limit (${limits.timeoutMs} ms), so each check after it gets ${limits.perCheckMs} ms; look for a loop that never ends`
              : `timed out after ${limits.timeoutMs} ms${stopped ? ` in check "${stopped.id}"` : ''}: look for a loop that never ends (or promises that keep scheduling more)`
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
    labModule: LabModuleRef,
    files: TranspiledFile[],
    view: string,
    input: unknown,
    limits: RunLimits,
    signal?: AbortSignal,
  ): Promise<VisualizeResult> {
    return this.jobs.run('view', async () => {
      if (signal?.aborted) return { ok: false, error: { message: 'cancelled' }, compileErrors: [] };
      const live = this.ensure(limits.memoryMb);
      await live.ready;
      const jobId = this.nextJob++;
      const parts = new ViewParts(jobId, live.worker);
      live.worker.postMessage({ type: 'visualize', jobId, labModule, files, view, input } satisfies ToWorker);
      let outcome: 'done' | Ended;
      // One race per part: the reference part of a two-part view runs on its own clock.
      do outcome = await this.race(live, parts.next(), parts.limitMs(limits), signal);
      while (outcome === 'done' && parts.result === undefined);
      parts.dispose();
      if (outcome === 'done') return parts.result!;
      this.ensure(limits.memoryMb).ready.catch(() => undefined);
      return parts.stopped(outcome, limits);
    });
  }

  /** Tensors and bytes in the check process, and its resident memory. */
  stats(): Promise<{ numTensors: number; numBytes: number; rssBytes: number }> {
    return this.jobs.run('checks', async () => {
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

  private async race(live: LiveWorker, done: Promise<'done'>, timeoutMs: number, signal?: AbortSignal, also?: Promise<Ended>): Promise<'done' | Ended> {
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
      const outcome = await Promise.race([done, limits, live.ended, ...(also ? [also] : [])]);
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

  /**
   * Runs `job` alone on the warm worker, for jobs whose messages this class does not know
   * (a long-running task: sidecar/runner/taskJob.ts). `replace` kills the worker and warms a new one.
   */
  exclusive<T>(memoryMb: number, job: (lease: WorkerLease) => Promise<T>): Promise<T> {
    // A task waits like a view: checks go first (the task pool is its own worker anyway).
    return this.jobs.run('view', async () => {
      const live = this.ensure(memoryMb);
      await live.ready;
      return job({
        worker: live.worker,
        ended: live.ended,
        jobId: this.nextJob++,
        replace: (reason) => {
          if (this.live === live) this.kill(reason);
          else live.endWith(reason);
          this.ensure(memoryMb).ready.catch(() => undefined);
        },
      });
    });
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
