// The check runner's line to the sidecar: the IPC channel of the check process (the product), or
// a worker thread's parentPort (kept so the runner still works as a thread, e.g. in a debugger).
import { parentPort } from 'node:worker_threads';

export interface HostPort {
  postMessage(message: unknown): void;
  onMessage(listener: (message: any) => void): void;
}

export function hostPort(): HostPort {
  const port = parentPort;
  if (port) return { postMessage: (m) => port.postMessage(m), onMessage: (l) => port.on('message', l) };
  if (!process.send) throw new Error('the check runner must be started by the sidecar (no IPC channel)');
  // The sidecar went away (closed the channel or died): nothing is left to report to.
  process.on('disconnect', () => process.exit(0));
  return { postMessage: (m) => process.send!(m), onMessage: (l) => process.on('message', l) };
}
