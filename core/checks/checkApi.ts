// The contract between a lab's trusted check module (labs/NN-name/checks.ts) and the
// sidecar's runner. Check modules run inside the sidecar's worker, next to the
// learner's code; they call the learner's functions only through `CheckContext.fn`.
import type * as tfTypes from '@tensorflow/tfjs-core';

export type Tf = typeof tfTypes;

export interface FnOptions {
  /**
   * Pass the arguments themselves, not copies: for a check about what the learner's function
   * does to its arguments (e.g. "generate must not change the caller's prompt"). Such a check
   * computes its reference from its own copy.
   */
  shareArguments?: boolean;
  /**
   * The learner's function may be async: it reads tensors with `await t.data()` / `await
   * t.array()`, the only reads the webgpu backend has in Node. The wrapped function then always
   * returns a promise (of the copied result), which the check awaits. Without this, a function
   * that returns a promise fails with a message that says it must return its result itself.
   */
  async?: boolean;
}

export interface CheckContext {
  /** The TensorFlow.js instance the learner's code also sees (same backend). */
  tf: Tf;
  /**
   * The learner's exported function `name` from exercise file `file`, wrapped so that a
   * throw inside it surfaces as a LearnerError carrying the learner's own file and line.
   * Throws a CheckFailure ("attention.ts does not export softmax") when missing.
   * Arguments reach learner code as copies (tensors as they are), so it cannot change a value
   * the check later computes the reference from; what it returns reaches the check as a copy.
   */
  fn<T extends (...args: any[]) => any>(file: string, name: string, options?: FnOptions): T;
  /** A deterministic uniform [0, 1) generator, so hidden checks are reproducible. */
  rng(seed: number): () => number;
  /**
   * Whether the learner's export `name` of `file` is the course's reference from
   * "@transformer-labs/helpers" (e.g. Lab 2's attention.ts when no Lab 1 folder was found)
   * rather than the learner's own code. Absent where checks run without the sidecar's runner.
   */
  isReference?(file: string, name: string): boolean;
}

/** What the learner's code did wrong, with the evidence. */
export interface FailureDetails {
  expected?: string;
  actual?: string;
}

/** Thrown by checks when the learner's result is wrong. */
export class CheckFailure extends Error {
  readonly expected?: string;
  readonly actual?: string;
  constructor(message: string, details: FailureDetails = {}) {
    super(message);
    this.name = 'CheckFailure';
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

export type CheckFn = (ctx: CheckContext) => void | Promise<void>;
/** A view in one piece: everything, the reference included, runs under the learner's time limit. */
export type VisualizeFn = (ctx: CheckContext, input: unknown) => unknown | Promise<unknown>;

/** What a view's reference part may use: no learner code is reachable from here. */
export type ReferenceContext = Pick<CheckContext, 'tf' | 'rng'>;

/**
 * A view in two parts, so that a busy machine or a learner loop never costs the learner the
 * reference picture. `reference` (trusted) builds the whole payload with every learner part
 * null, outside the learner's time limit; `learner` then runs the learner's functions on the
 * same inputs and fills those parts in, under the limit. When the learner part is stopped
 * (time, memory, a throw), the panel still gets the reference payload with the note
 * (core/checks/labView.ts). Payloads keep the convention `{ learner, reference, learnerError? }`
 * for each compared part, plus a top-level `learnerError`.
 */
export interface LabView<P = any, S = any> {
  reference(ctx: ReferenceContext, input: unknown): { payload: P; shared: S } | Promise<{ payload: P; shared: S }>;
  /** May fill `payload` in place; returns the payload to draw. */
  learner(ctx: CheckContext, payload: P, shared: S): P | Promise<P>;
}

/** What the runner gives a long-running task besides the context and its input. */
export interface TaskHooks {
  /** Streams a plain-JSON report to the caller (e.g. one training step's loss). */
  progress(payload: unknown): void;
  /**
   * True once the caller cancelled or the task's time limit passed: return (a partial result is
   * welcome) or throw. Call it between steps, after yielding to the event loop (await a
   * setImmediate): where the worker shares no memory with the sidecar, the stop arrives as a
   * message. With shared memory it also pauses the task briefly while a check runs (checks first).
   */
  aborted(): boolean;
}

/**
 * A long-running computation (Lab 5's fine-tuning) run by `RunTask` on its own worker. Returns
 * plain JSON. Tensors and variables it leaves behind are disposed by the runner.
 */
export type TaskFn = (ctx: CheckContext, input: unknown, hooks: TaskHooks) => Promise<unknown>;

/** What `labs/NN-name/checks.ts` exports (compiled to dist/labs/NN-name/checks.js). */
export interface LabModule {
  /** Keyed by CheckSpec.id; every id in the manifest must be here. */
  checks: Record<string, CheckFn>;
  /** Keyed by VisualizationSpec.id. New views should be LabViews (two parts). */
  visualize?: Record<string, VisualizeFn | LabView>;
  /** Keyed by task name (RunTask.Params.task). */
  tasks?: Record<string, TaskFn>;
}
