// The chart arithmetic behind the lab view panels.
import assert from 'node:assert/strict';
import { cellColor, extent, formatNumber, linearScale, maxAbsDiff, niceTicks } from '../../../webviews/shared/scale';

describe('lab view panels: chart scales', () => {
  it('maps a domain onto a range, including reversed ranges (SVG y grows downwards)', () => {
    const s = linearScale(0, 10, 200, 0);
    assert.equal(s(0), 200);
    assert.equal(s(10), 0);
    assert.equal(s(2.5), 150);
    assert.equal(linearScale(3, 3, 0, 100)(3), 50);
  });

  it('ignores non-finite values in extents and says [0, 1] when nothing is finite', () => {
    assert.deepEqual(extent([3, NaN, -2, Infinity, 7]), [-2, 7]);
    assert.deepEqual(extent([NaN]), [0, 1]);
  });

  it('picks round ticks of 1, 2 or 5 × 10^k inside the range', () => {
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(-3, 17, 4), [0, 5, 10, 15]);
    for (const t of niceTicks(-0.037, 0.091, 5)) assert.ok(t >= -0.037 && t <= 0.091);
  });

  it('formats numbers to 3 significant digits, with exponents only at the extremes', () => {
    assert.equal(formatNumber(0.123456), '0.123');
    assert.equal(formatNumber(1234.5), '1230');
    assert.equal(formatNumber(0.00001234), '1.23e-5');
    assert.equal(formatNumber(0), '0');
  });

  it('colours diverging values by sign and sequential ones by position in the range', () => {
    assert.match(cellColor(-1, -1, 1, true), /charts-red\) 100%/);
    assert.match(cellColor(0.5, -1, 1, true), /charts-blue\) 50%/);
    assert.match(cellColor(0.25, 0, 1, false), /charts-blue\) 25%/);
    assert.match(cellColor(NaN, 0, 1, false), /error/i);
  });

  it('measures the largest difference between nested arrays, NaN when the shapes differ', () => {
    assert.equal(maxAbsDiff([[1, 2], [3, 4]], [[1, 2.5], [3, 3]]), 1);
    assert.ok(Number.isNaN(maxAbsDiff([1, 2], [1, 2, 3])));
  });
});
