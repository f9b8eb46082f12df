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
export type VisualizeFn = (ctx: CheckContext, input: unknown) => unknown | Promise<unknown>;

/** What `labs/NN-name/checks.ts` exports (compiled to dist/labs/NN-name/checks.js). */
export interface LabModule {
  /** Keyed by CheckSpec.id; every id in the manifest must be here. */
  checks: Record<string, CheckFn>;
  /** Keyed by VisualizationSpec.id. */
  visualize?: Record<string, VisualizeFn>;
}
