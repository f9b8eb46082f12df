// How long a grading waits on checks once one of them has run past the time limit.
//
// A loop that never ends costs a whole time limit wherever a check reaches it; a learner's loop in
// softmax reaches ten of Lab 1's checks, so one such submission held the grader for ten limits
// (over 50 s at 5 s each), and a class with a few of them took minutes. After the first check that
// runs past the limit, the checks still to run are given a limit each of their own, a fifth of the
// full one but never under a second: every check of the built-in labs takes at most 120 ms on the
// model solution (warm), so a correct function still passes with room to spare, while each check
// that reaches the loop again costs about a second. Grade Lab, `grade` and `grade-all` all grade
// through CheckEngine, so they keep giving the same score for the same files.
import type { CheckResult, RunLimits } from '../protocol/sidecar';

/**
 * The limits a run gets unless a setting (transformerLabs.checks.*, whose defaults in package.json
 * a test keeps equal to these) or a CLI option says otherwise: the same in the editor and the CLI,
 * so an instructor's `grade` gives the score the learner's Grade Lab gave.
 */
export const DEFAULT_LIMITS: Readonly<RunLimits> = { timeoutMs: 5000, memoryMb: 512 };

/** The shortest limit a check gets after an earlier one ran past the full limit. */
export const MIN_AFTER_TIMEOUT_MS = 1000;

/** The limits for the runs after a check hit the full limit. */
export function limitsAfterTimeout(limits: RunLimits): RunLimits {
  const perCheckMs = Math.min(limits.timeoutMs, Math.max(MIN_AFTER_TIMEOUT_MS, Math.round(limits.timeoutMs / 5)));
  return { ...limits, perCheckMs };
}

/** Whether a run's results include a check stopped by the time limit. */
export function hitTimeLimit(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.status === 'timeout');
}
