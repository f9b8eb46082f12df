// Labs written when the assertions were synchronous call them without `await` (an instructor's
// own lab, loaded with --labs). The runner settles after each check the assertions nobody
// awaited, so such a call still fails the check; one that was awaited, and caught on purpose
// (a known mistake that does not apply), does not.
import assert from 'node:assert/strict';
import { CheckFailure } from '../../../core/checks/checkApi';
import * as expect from '../../../core/checks/expect';
import { expectAllClose, expectShape, forgetAssertions, settleAssertions, toNested } from '../../../core/checks/expect';

/** The assertions as a lab compiled against their old, synchronous declarations sees them. */
const legacy = expect as unknown as Record<'expectShape' | 'expectAllClose', (...args: unknown[]) => void>;

describe('check assertions nobody awaited', () => {
  beforeEach(() => forgetAssertions());

  it('a failing one is the check\'s failure when the check returns', async () => {
    legacy.expectShape([[1, 2, 3]], [3, 1], 'scores');
    await assert.rejects(settleAssertions(), (e: unknown) => e instanceof CheckFailure && e.message === 'scores has the wrong shape: expected [3, 1], got [1, 3]');
  });

  it('the first failure in the order they were called, after every one has finished', async () => {
    legacy.expectAllClose([1], [1], 'a');
    legacy.expectAllClose([2], [1], 'b');
    legacy.expectAllClose([3], [1], 'c');
    await assert.rejects(settleAssertions(), /^CheckFailure: b differs from the reference at \[0\]/);
    await settleAssertions(); // nothing left
  });

  it('passing ones, awaited ones and ones caught on purpose leave nothing to report', async () => {
    void expectAllClose([1], [1], 'a');
    await expectShape([1, 2], [2], 'x');
    await Promise.all([toNested([1], 'y'), toNested([[2]], 'z')]);
    try {
      await toNested('not numbers', 'a known mistake');
    } catch {
      // as recognise() does for a mistake that cannot be computed
    }
    await toNested(undefined, 'w').catch(() => undefined);
    await settleAssertions();
  });

  it('forgets what an earlier check left behind', async () => {
    void expectShape([1], [2], 'left over');
    forgetAssertions();
    await settleAssertions();
  });
});
