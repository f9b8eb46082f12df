// The assertions lab checks use: what a failure says is what the learner debugs from, so the
// messages themselves are tested — enough digits to see the difference, the error and tolerance.
import assert from 'node:assert/strict';
import { failure } from '../../support/checkFailure';
import { describeDifference, expectAllClose, expectRowsSumToOne, expectShape, fmtPair, toNested } from '../../../core/checks/expect';


describe('check assertions (core/checks/expect.ts)', () => {
  it('prints two close numbers with the digits where they differ', () => {
    assert.deepEqual(fmtPair(0.32672811, 0.32672831), ['0.3267281', '0.3267283']);
    assert.deepEqual(fmtPair(0.32672811, 0.32672853), ['0.326728', '0.326729']);
    assert.deepEqual(fmtPair(1.5, 2.5), ['1.5', '2.5']);
    assert.deepEqual(fmtPair(123456.7891, 123456.7899), ['123456.789', '123456.79']);
    const [a, b] = fmtPair(1e-9, 1.0000001e-9);
    assert.notEqual(a, b);
  });

  it('says the absolute and relative error and the tolerance', () => {
    assert.equal(describeDifference(2, 2.001, 1e-4, 1e-4), '|Δ| 1.00e-3, relative 5.00e-4; tolerance |Δ| ≤ 1.00e-4 + 1.00e-4·|expected| = 3.00e-4');
    assert.match(describeDifference(0, 1e-3, 1e-6, 0), /^\|Δ| 0\.001; tolerance \|Δ\| ≤ 1\.00e-6$/);
  });

  it('a near miss names the index, both values to the differing digit, and the tolerance', async () => {
    const f = await failure(() => expectAllClose([[1, 0.32672831]], [[1, 0.32672811]], 'softmax([…])', { atol: 1e-7, rtol: 0 }));
    assert.match(f.message, /^softmax\(\[…\]\) differs from the reference at \[0\]\[1\]: expected 0\.3267281, got 0\.3267283 \(\|Δ\| 2\.00e-7, relative 6\.12e-7; tolerance \|Δ\| ≤ 1\.00e-7\)$/);
  });

  it('passes within the tolerance and fails on NaN, whatever the tolerance', async () => {
    await expectAllClose([1.00001], [1], 'x', { atol: 1e-4 });
    const f = await failure(() => expectAllClose([NaN], [1], 'x', { atol: 1e9 }));
    assert.match(f.message, /expected 1, got NaN/);
  });

  it('names a known mistake when the value is its result, and only then', async () => {
    const known = [
      { value: [[0.5, 0.5]], means: 'that is a uniform row' },
      { value: () => [[1, 0]], means: 'that is one-hot' },
    ];
    const f = await failure(() => expectAllClose([[1, 0]], [[0.7311, 0.2689]], 'w', { known }));
    assert.match(f.message, /^w differs from the reference at \[0\]\[0\]: expected 0\.7311, got 1 \(.*\) — that is one-hot$/);
    assert.doesNotMatch((await failure(() => expectAllClose([[0.9, 0.1]], [[0.7311, 0.2689]], 'w', { known }))).message, /—/);
    // A known value of another shape is not a match, and a throwing one is skipped.
    const odd = [{ value: [0.5, 0.5], means: 'flat' }, { value: () => { throw new Error('x'); }, means: 'boom' }];
    assert.doesNotMatch((await failure(() => expectAllClose([[0.5, 0.5]], [[0.7311, 0.2689]], 'w', { known: odd }))).message, /flat|boom/);
  });

  it('shape and type problems say what came back', async () => {
    assert.match((await failure(() => expectShape([[1, 2]], [2, 1], 'w'))).message, /w has the wrong shape/);
    assert.match((await failure(() => toNested(undefined, 'softmax(xs)'))).actual!, /undefined \(did you forget to return\?\)/);
    assert.match((await failure(() => expectShape([[1, 2], [3]], [2, 2], 'w'))).message, /ragged: row 1 has shape \[1\] but row 0 has \[2\]/);
    assert.match((await failure(() => expectRowsSumToOne([[0.5, 0.6]], 'weights'))).message, /row \[0\] of weights sums to 1\.1/);
  });
});
