// Spawns and talks to the compute sidecar. Shared by the extension and the CLI (no vscode).
// A crashed sidecar is restarted and the interrupted request retried once.
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { sidecarEnv } from './sidecarEnv';
import {
  BackendPreference,
  CancelRun,
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
} from '../protocol/sidecar';
import { t } from '../l10n';

export interface SidecarClientOptions {
  /** The Node runtime that runs the sidecar. */
  nodePath: string;
  /** Absolute path of the compiled sidecar/main.js. */
  sidecarScript: string;
  /** Folder holding <labId>/checks.js. */
  labsDist: string;
  backend: BackendPreference;
  gpuModulesDir?: string;
  /** Node flags for the sidecar, e.g. sandboxFlags() for the permission model. */
  execArgv?: string[];
  /** Extra environment, e.g. ELECTRON_RUN_AS_NODE=1 when nodePath is VS Code's own runtime. */
  env?: NodeJS.ProcessEnv;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Crash-loop guard: after this many restarts within a minute, give up (default 5). */
  maxRestartsPerMinute?: number;
  /**
   * How long the sidecar may take to answer `initialize` (default 45 s: a GPU backend loads CUDA).
   * A backend that hangs is killed and the next one in FALLBACK tried.
   */
  startTimeoutMs?: number;
}

/** What to try when a backend does not start in time: the portable ones. */
const FALLBACK: Partial<Record<BackendPreference, BackendPreference>> = { auto: 'wasm', gpu: 'wasm', node: 'wasm', wasm: 'cpu' };
const START_TIMEOUT_MS = 45_000;

export type SidecarState =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  | { kind: 'ready'; info: Initialize.Result }
  | { kind: 'crashed'; message: string; restarts: number };

export class SidecarCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SidecarCrashedError';
  }
}

/** The sidecar did not answer `initialize` in time (a backend that hangs while loading); not retried as a crash. */
export class StartTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartTimeoutError';
  }
}

export function abortError(): Error {
  const err = new Error('cancelled: newer code replaced this run');
  err.name = 'AbortError';
  return err;
}

interface Running {
  child: ChildProcess;
  /** Set as soon as the process is gone, before pending requests are rejected. */
  dead: boolean;
  connection: MessageConnection;
  exited: Promise<string>;
  ready: Promise<Initialize.Result>;
}

const MAX_RESTARTS_PER_MINUTE = 5;

/** Kills what is left of the sidecar's process group (its check process), where groups exist. */
function killGroup(child: ChildProcess): void {
  if (process.platform === 'win32' || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already empty.
  }
}

export class SidecarClient {
  private running?: Running;
  private _state: SidecarState = { kind: 'stopped' };
  private readonly listeners = new Set<(s: SidecarState) => void>();
  private restartTimes: number[] = [];
  private disposed = false;
  /** Progress listeners of the running tasks, by runId. */
  private readonly taskListeners = new Map<string, (payload: unknown) => void>();

  constructor(private options: SidecarClientOptions) {}

  get state(): SidecarState {
    return this._state;
  }

  get pid(): number | undefined {
    return this.running?.child.pid;
  }

  onStateChange(listener: (s: SidecarState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private setState(s: SidecarState): void {
    this._state = s;
    for (const l of this.listeners) l(s);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }

  start(): Promise<Initialize.Result> {
    if (this.disposed) return Promise.reject(new Error(t('the compute sidecar was shut down')));
    if (!this.running) {
      const running = this.spawn();
      this.running = running;
      // A backend that hangs while loading: kill it and fall back to a portable one.
      running.ready = running.ready.catch(async (err: Error) => {
        const next = FALLBACK[this.options.backend];
        if (!(err instanceof StartTimeoutError) || !next || this.disposed) throw err;
        this.log('warn', `${err.message}; trying the ${next} backend (see the compute log; the setting stays as it is)`);
        if (this.running === running) this.running = undefined;
        this.options = { ...this.options, backend: next };
        return this.start();
      });
      running.ready.catch(() => undefined);
    }
    return this.running.ready;
  }

  private spawn(): Running {
    this.setState({ kind: 'starting' });
    const o = this.options;
    // --expose-gc: the sidecar collects garbage when idle (sidecar/runner/idleGc.ts).
    const child = spawn(o.nodePath, ['--expose-gc', '--max-semi-space-size=4', ...(o.execArgv ?? []), o.sidecarScript], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Fewer malloc arenas: the transpiler's churn otherwise leaves resident memory creeping up.
      env: { MALLOC_ARENA_MAX: '2', ...sidecarEnv(), ...o.env },
      windowsHide: true,
      // Its own process group, with the check process it starts: if the sidecar is killed while
      // learner code loops, the whole group goes (killGroup), not only the sidecar.
      detached: process.platform !== 'win32',
    });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onNotification(Log.type, ({ level, message }) => this.log(level, message));
    connection.onNotification(TaskProgress.type, ({ runId, payload }) => {
      try {
        this.taskListeners.get(runId)?.(payload);
      } catch (err) {
        this.log('error', `a task progress listener threw: ${(err as Error)?.message ?? String(err)}`);
      }
    });
    child.stderr!.on('data', (d: Buffer) => this.log('warn', d.toString().trimEnd()));
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ? t('killed by {0}', signal) : t('exited with code {0}', String(code))));
      child.once('error', (err) => resolve(t('could not start "{0}": {1}', o.nodePath, err.message)));
    });
    const self: Running = { child, dead: false, connection, exited, ready: Promise.resolve(undefined as never) };
    void exited.then((why) => {
      self.dead = true;
      killGroup(child);
      connection.dispose();
      if (this.running === self) {
        this.running = undefined;
        if (!this.disposed) {
          this.log('error', `compute sidecar ${why}`);
          this.setState({ kind: 'crashed', message: why, restarts: this.restartTimes.length });
        }
      }
    });
    connection.listen();
    self.ready = (async () => {
      const init = connection.sendRequest(Initialize.type, {
        backend: o.backend,
        labsDist: o.labsDist,
        gpuModulesDir: o.gpuModulesDir,
      });
      const limit = o.startTimeoutMs ?? START_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const tooSlow = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StartTimeoutError(t('the compute sidecar did not start within {0} s (backend "{1}")', limit / 1000, o.backend))), limit);
      });
      try {
        const result = await Promise.race([init, tooSlow, exited.then((why) => Promise.reject(new SidecarCrashedError(t('the compute sidecar {0} while starting', why))))]);
        this.setState({ kind: 'ready', info: result });
        return result;
      } catch (err) {
        if (err instanceof StartTimeoutError) {
          // Nothing more may be written to it: a write to the killed process's stdin would throw.
          self.dead = true;
          connection.dispose();
          child.kill('SIGKILL');
          if (this.running === self) this.running = undefined;
          this.setState({ kind: 'crashed', message: err.message, restarts: this.restartTimes.length });
        }
        throw err;
      } finally {
        clearTimeout(timer);
      }
    })();
    self.ready.catch(() => undefined);
    return self;
  }

  /** Sends a request; if the sidecar dies meanwhile, restarts it and retries once. */
  private async request<R>(send: (c: MessageConnection, runId: string) => Promise<R>, signal?: AbortSignal): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError();
      await this.startUnlessAborted(signal);
      if (signal?.aborted) throw abortError();
      const running = this.running!;
      const runId = randomUUID();
      const onAbort = () => void running.connection.sendNotification(CancelRun.type, { runId }).catch(() => undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      const aborted = rejectOnAbort(signal);
      try {
        const died = running.exited.then((why) => Promise.reject(new SidecarCrashedError(t('the compute sidecar {0}', why))));
        died.catch(() => undefined);
        return await Promise.race([send(running.connection, runId), died, aborted.promise]);
      } catch (caught) {
        // A dying process also fails its pending requests ("connection got disposed").
        const err = running.dead && !(caught instanceof SidecarCrashedError) && (caught as Error).name !== 'AbortError'
          ? new SidecarCrashedError(t('the compute sidecar {0}', await running.exited))
          : caught;
        if (!(err instanceof SidecarCrashedError) || attempt >= 1 || this.disposed) throw err;
        this.noteRestart();
        this.log('warn', `${err.message}; restarting it and retrying the run`);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        aborted.dispose();
      }
    }
  }

  /** Starts the sidecar; cancelling does not wait for the start-up to finish (or to time out). */
  private async startUnlessAborted(signal: AbortSignal | undefined): Promise<void> {
    const aborted = rejectOnAbort(signal);
    try {
      await Promise.race([this.start(), aborted.promise]);
    } finally {
      aborted.dispose();
    }
  }

  private noteRestart(): void {
    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((t) => now - t < 60_000);
    const max = this.options.maxRestartsPerMinute ?? MAX_RESTARTS_PER_MINUTE;
    if (this.restartTimes.length >= max) {
      throw new SidecarCrashedError(t('the compute sidecar crashed {0} times in a minute; see "Transformer Labs: Show Compute Log"', max));
    }
    this.restartTimes.push(now);
  }

  runChecks(params: Omit<RunChecks.Params, 'runId'>, signal?: AbortSignal): Promise<RunChecksResult> {
    return this.request((c, runId) => c.sendRequest(RunChecks.type, { ...params, runId }), signal);
  }

  visualize(params: Omit<Visualize.Params, 'runId'>, signal?: AbortSignal): Promise<VisualizeResult> {
    return this.request((c, runId) => c.sendRequest(Visualize.type, { ...params, runId }), signal);
  }

  typeCheck(params: TypeCheck.Params, signal?: AbortSignal): Promise<TypeCheck.Result> {
    return this.request((c) => c.sendRequest(TypeCheck.type, params), signal);
  }

  /**
   * Runs a long task of the lab module (e.g. Lab 5's fine-tuning), streaming its progress.
   * Aborting `signal` asks the task to stop; the promise then resolves with status "cancelled"
   * once it has (it rejects with an AbortError only when aborted before the task was sent).
   * Not retried after a crash: minutes of work and the progress already shown would repeat.
   */
  async runTask(params: Omit<RunTask.Params, 'runId'>, onProgress: (payload: unknown) => void, signal?: AbortSignal): Promise<RunTaskResult> {
    if (signal?.aborted) throw abortError();
    await this.startUnlessAborted(signal);
    const running = this.running!;
    const runId = randomUUID();
    const onAbort = () => void running.connection.sendNotification(CancelRun.type, { runId }).catch(() => undefined);
    this.taskListeners.set(runId, onProgress);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const died = running.exited.then((why) => Promise.reject(new SidecarCrashedError(t('the compute sidecar {0} during the task "{1}"; start it again', why, params.task))));
      died.catch(() => undefined);
      return await Promise.race([running.connection.sendRequest(RunTask.type, { ...params, runId }), died]);
    } catch (caught) {
      if (running.dead && !(caught instanceof SidecarCrashedError)) {
        throw new SidecarCrashedError(t('the compute sidecar {0} during the task "{1}"; start it again', await running.exited, params.task));
      }
      throw caught;
    } finally {
      this.taskListeners.delete(runId);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  stats(): Promise<Stats.Result> {
    return this.request((c) => c.sendRequest(Stats.type));
  }

  /** Stops the sidecar and starts a new one, optionally with new options (backend, runtime). */
  async restart(
    options: Partial<Pick<SidecarClientOptions, 'backend' | 'nodePath' | 'gpuModulesDir' | 'env' | 'execArgv'>> = {},
  ): Promise<Initialize.Result> {
    this.options = { ...this.options, ...options };
    await this.stop();
    return this.start();
  }

  private async stop(): Promise<void> {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    if (!r.dead) {
      try {
        await Promise.race([r.connection.sendRequest(Shutdown.type), new Promise((res) => setTimeout(res, 1000))]);
      } catch {
        // Already gone.
      }
    }
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await r.exited;
    killGroup(r.child);
    this.setState({ kind: 'stopped' });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
    this.listeners.clear();
  }
}

/**
 * A promise rejected with an AbortError when `signal` aborts, and the function that stops listening:
 * one signal (a grading run's, a panel's) serves many requests, and a listener left on it per
 * request would keep each request's closures alive as long as the signal.
 */
function rejectOnAbort(signal: AbortSignal | undefined): { promise: Promise<never>; dispose(): void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let onAbort: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
