// Lab 4's checks against the solution (every check passes), the starter (every check is "not
// started") and 38 planted mistakes: each fails the VISIBLE check aimed at it, with a message
// that names the mistake and shows expected and actual (test/support/plantedMistakes.ts).
import assert from 'node:assert/strict';
import { describeLabChecks } from '../../support/plantedMistakes';
import { MISTAKES } from './mistakes';
import { LAB4, setUp } from './support';

describeLabChecks('Lab 4 checks against right and wrong code', () => LAB4, MISTAKES, setUp);

describe('Lab 4 planted mistakes', () => {
  it('are at least 20, across all three levels', () => {
    assert.ok(MISTAKES.length >= 20, `${MISTAKES.length} mistakes`);
    assert.deepEqual([...new Set(MISTAKES.map((m) => m.file))].sort(), ['bpe.ts', 'gpt2.ts', 'trainer.ts']);
  });
});
