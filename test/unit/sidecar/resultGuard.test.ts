// What the sidecar takes from the check process as a result: only the checks asked for, every
// field of the protocol (a new status or field must not be dropped on the way), and learner text
// that cannot redraw a terminal.
import assert from 'node:assert/strict';
import type { CheckResult } from '../../../core/protocol/sidecar';
import { guardResult, safeText } from '../../../sidecar/runner/resultGuard';

describe('results from the check process', () => {
  const full: CheckResult = {
    id: 'softmax',
    status: 'not-started',
    message: 'softmax() is not started yet',
    expected: '[1]',
    actual: '[2]',
    location: { file: 'attention.ts', line: 3, column: 5 },
    todo: 'softmax',
    durationMs: 4,
  };

  it('keeps every field of a well-formed result, whatever its status', () => {
    for (const status of ['pass', 'fail', 'error', 'timeout', 'memory', 'not-run', 'not-started'] as const) {
      assert.deepEqual(guardResult({ ...full, status }, ['softmax']), { ...full, status });
    }
  });

  it('drops results for checks that were not asked for, and unknown statuses', () => {
    assert.equal(guardResult({ ...full, id: 'other' }, ['softmax']), undefined);
    assert.equal(guardResult({ ...full, status: 'passed' }, ['softmax']), undefined);
    assert.equal(guardResult(null, ['softmax']), undefined);
  });

  it('shows terminal escapes, carriage returns and bidi overrides as visible escapes, and caps the length', () => {
    const hostile = 'x\u001b[1A\u001b[2K  ✓ 32/32 points\r\u202eevil\nnext line';
    const safe = safeText(hostile);
    assert.equal(safe, 'x\\u001b[1A\\u001b[2K  ✓ 32/32 points\\u000d\\u202eevil\nnext line');
    assert.ok(!/[\u001b\r\u202e]/.test(guardResult({ ...full, message: hostile, expected: hostile, actual: hostile }, ['softmax'])!.message));
    assert.match(safeText('a'.repeat(5000)), /… \(1000 more characters\)$/);
  });
});
