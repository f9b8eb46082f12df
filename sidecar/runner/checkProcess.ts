// The process that runs learner code and the lab's checks, with the same surface the pool
// used of a worker thread (postMessage, message/error/exit events, terminate, stdout/stderr).
//
// Why a process and not a worker thread: Node's permission model is process-wide, and a
// process that may start worker threads (--allow-worker) is not contained by it — on Node 20 a
// Worker created with `execArgv: []` runs with no permission model at all. This process may
// start neither threads nor programs; the sidecar's main thread, which does not run learner
// code, starts it, limits it and kills it.
import { ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';

export interface CheckProcessLaunch {
  /** The program to start: the Node runtime, or an OS wrapper (unshare) that runs it. */
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** V8's last words when the heap limit (--max-old-space-size) is reached. */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit|allocation failed/i;

/**
 * Emits 'message' (each IPC message), 'error' (with code ERR_WORKER_OUT_OF_MEMORY when the
 * heap limit killed it, as a worker thread would) and 'exit'.
 */
export class CheckProcess extends EventEmitter {
  readonly stdout: Readable;
  readonly stderr: Readable;
  private readonly child: ChildProcess;
  private stderrTail = '';
  private exited = false;

  constructor(launch: CheckProcessLaunch) {
    super();
    this.child = spawn(launch.command, launch.args, {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: launch.env,
      // Structured clone, as between threads: typed arrays and undefined survive.
      serialization: 'advanced',
      windowsHide: true,
    });
    this.stdout = this.child.stdout!;
    this.stderr = this.child.stderr!;
    this.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
    });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.once('error', (err) => {
      // Could not be started (or signalled): there will be no process to wait for.
      this.finish(err);
      if (this.child.pid === undefined) this.exitWith(1);
    });
    this.child.once('exit', (code, signal) => {
      // Let the last stderr bytes (V8's out-of-memory report) arrive before deciding.
      const decide = () => {
        if (OUT_OF_MEMORY.test(this.stderrTail)) {
          this.finish(Object.assign(new Error('the check process ran out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }));
        }
        this.exitWith(signal ? 1 : (code ?? 1));
      };
      if (this.child.stderr?.readableEnded) decide();
      else this.child.stderr?.once('end', decide).once('close', decide);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  postMessage(message: unknown): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(message as never, (err) => {
      if (err && !this.exited) this.emit('ipcError', err);
    });
  }

  /** Kills the process (SIGKILL: learner code may be stuck in a loop or in Atomics.wait). */
  terminate(): Promise<number> {
    if (!this.exited) this.child.kill('SIGKILL');
    return new Promise((resolve) => (this.exited ? resolve(1) : this.once('exit', resolve)));
  }

  private finish(err: Error): void {
    if (this.exited) return;
    this.emit('error', err);
  }

  private exitWith(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code);
  }
}
