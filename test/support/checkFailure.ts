// What a check assertion threw: tests of core/checks read the message and the expected/actual
// details the learner sees.
import assert from 'node:assert/strict';
import { CheckFailure } from '../../core/checks/checkApi';

/** The CheckFailure `f` throws or rejects with; fails the test if it throws nothing or something else. */
export async function failure(f: () => unknown): Promise<CheckFailure> {
  try {
    await f();
  } catch (err) {
    assert.ok(err instanceof CheckFailure, `threw ${String(err)}`);
    return err;
  }
  assert.fail('expected a CheckFailure');
}

/** `f` throws a CheckFailure with exactly this message, expected and actual. */
export async function assertFailure(f: () => unknown, message: string, expected: string | undefined, actual: string | undefined): Promise<void> {
  const e = await failure(f);
  assert.deepEqual({ message: e.message, expected: e.expected, actual: e.actual }, { message, expected, actual });
}
