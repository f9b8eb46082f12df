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

  it('text of any type is printed as text, and a long one is cut at the limit with the count of the rest', () => {
    assert.equal(safeText(42), '42');
    assert.equal(safeText(undefined), 'undefined');
    assert.equal(safeText('abcdef', 4), 'abcd… (2 more characters)');
    assert.equal(safeText('abcd', 4), 'abcd', 'exactly at the limit: nothing cut');
  });

  it('keeps only the fields that were sent, and drops a malformed location, duration or todo', () => {
    const bare = { id: 'softmax', status: 'pass', message: 'ok', durationMs: 7 };
    assert.deepEqual(guardResult(bare, ['softmax']), bare);
    assert.deepEqual(guardResult({ id: 'softmax', status: 'fail' }, ['softmax']), { id: 'softmax', status: 'fail', message: '', durationMs: 0 });
    for (const location of [null, { file: 3, line: 1, column: 1 }, { file: 'a.ts', line: 1.5, column: 1 }, { file: 'a.ts', line: 1, column: '2' }, { line: 1, column: 1 }]) {
      assert.equal(guardResult({ ...bare, location }, ['softmax'])!.location, undefined, JSON.stringify(location));
    }
    for (const durationMs of ['7', Number.NaN, Infinity]) assert.equal(guardResult({ ...bare, durationMs }, ['softmax'])!.durationMs, 0, String(durationMs));
    for (const todo of ['1abc', 'abc def', 'a-b', 5]) assert.equal(guardResult({ ...bare, todo }, ['softmax'])!.todo, undefined, String(todo));
    assert.equal(guardResult({ ...bare, todo: '$_x9' }, ['softmax'])!.todo, '$_x9');
  });
});
