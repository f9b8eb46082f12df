// A lab's solution/ loaded the way learner code runs (transpiled, in the sandbox), for the tests
// that keep each solution and the reference library in agreement on random inputs.
import { loadBackend } from '../../sidecar/backend/loadBackend';
import { mulberry32, randomMatrix } from '../../sidecar/reference/random';
import { LabInProcess } from './labInProcess';

/** The exports of `file` of lab `id`'s solution (with the lab's other solution files beside it). */
export function solutionExports(id: string, file: string): Record<string, any> {
  return new LabInProcess(id).sandboxOf({}).exportsOf(file);
}

/**
 * Inside a describe: loads the solution's `files` of lab `id` on the wasm backend before the
 * suite's tests; the returned object then holds their exports.
 */
export function solutionBeforeAll(id: string, files: string[]): Record<string, any> {
  const sol: Record<string, any> = {};
  before(async () => {
    await loadBackend('wasm');
    for (const f of files) Object.assign(sol, solutionExports(id, f));
  });
  return sol;
}

/** Seeded random inputs: the same numbers on every run, a different draw per seed. */
export function randomInputs(seed: number) {
  const rand = mulberry32(seed);
  return {
    rand,
    /** An integer in [lo, hi]. */
    int: (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1)),
    matrix: (rows: number, cols: number, scale = 1) => randomMatrix(rand, rows, cols, scale),
    vector: (n: number, scale = 1) => randomMatrix(rand, 1, n, scale)[0],
    /** A [rows][cols] mask of booleans, with at least one row fully blocked when `blockRow`. */
    mask: (rows: number, cols: number, blockRow = false) =>
      Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, () => !(blockRow && i === 0) && rand() < 0.6)),
  };
}

/** How many random draws each agreement test makes. */
export const DRAWS = 12;

/** A sandbox value as a plain value of this realm (its arrays have the sandbox's prototypes), for deepEqual. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
