// The sidecar main thread ↔ worker messages of a long-running task (internal to the sidecar);
// workerMessages.ts includes them in the worker's message unions.
import type { LearnerError } from '../../core/protocol/sidecar';
import type { TranspiledFile } from './transpile';
import type { LabModuleRef } from './labModuleRef';

/** Int32 slots of the task's shared control memory (a SharedArrayBuffer of CONTROL_BYTES). */
export const CONTROL = {
  /** Non-zero once the task should stop: written by the main thread, read by hooks.aborted(). */
  stop: 0,
  /** How many check or visualize runs are under way on the check worker (checks first). */
  checksRunning: 1,
} as const;
export const CONTROL_BYTES = 8;

export type TaskToWorker =
  | {
      type: 'task';
      jobId: number;
      labModule: LabModuleRef;
      files: TranspiledFile[];
      task: string;
      input: unknown;
      /**
       * Shared control memory, when the worker is a thread of this process: the stop flag is seen
       * even while the task computes without yielding, and the task can sleep while checks run.
       * A worker in another process cannot share memory: then only `cancelTask` stops it.
       */
      control?: SharedArrayBuffer;
    }
  /** Stop the task between its steps: seen when the task yields to the worker's event loop. */
  | { type: 'cancelTask'; jobId: number };

/** How the task ended, as the worker saw it. */
export type TaskOutcome =
  | { status: 'done'; result: unknown }
  | { status: 'cancelled'; result?: unknown }
  | { status: 'error'; error: LearnerError };

export type TaskFromWorker =
  | { type: 'taskProgress'; jobId: number; payload: unknown }
  | { type: 'taskDone'; jobId: number; outcome: TaskOutcome };
