// The numbers behind the heatmap: the difference view with its tolerance, and grid movement.
import assert from 'node:assert/strict';
import { cellsFor, countDisagreements, formatValue, moveFocus, shortValue } from '../../../webviews/attention/cells';

describe('attention panel: cells', () => {
  const ref = [
    [1, 0],
    [0.25, 0.75],
  ];

  it('marks exactly the cells where |learner − reference| exceeds the tolerance', () => {
    const learner = [
      [1, 0],
      [0.2502, 0.7],
    ];
    const cells = cellsFor('difference', learner, ref, 1e-3)!;
    assert.deepEqual(cells.map((r) => r.map((c) => c.disagrees)), [[false, false], [false, true]]);
    assert.equal(countDisagreements(cells), 1);
    assert.ok(Math.abs(cells[1][1].value - 0.05) < 1e-12);
    assert.equal(cells[1][1].intensity, 1, 'the largest difference is the most saturated');
    assert.ok(Math.abs(cells[1][0].intensity - 0.0002 / 0.05) < 1e-9);
  });

  it('counts a difference equal to the tolerance as agreement', () => {
    const cells = cellsFor('difference', [[0.5, 0.5]], [[0.25, 0.5]], 0.25)!;
    assert.equal(cells[0][0].disagrees, false);
  });

  it('treats NaN and Infinity in the learner\'s weights as disagreements', () => {
    const cells = cellsFor('difference', [[NaN, 0], [0.25, Infinity]], ref, 1e-3)!;
    assert.equal(cells[0][0].disagrees, true);
    assert.equal(cells[1][1].disagrees, true);
    assert.equal(cells[0][0].intensity, 1);
    assert.equal(countDisagreements(cells), 2);
  });

  it('gives no learner or difference view for a missing or mis-shaped matrix, but always a reference view', () => {
    assert.equal(cellsFor('learner', null, ref, 1e-3), null);
    assert.equal(cellsFor('difference', [[1, 0]], ref, 1e-3), null);
    assert.equal(cellsFor('learner', [[1, 0], [0.5]], ref, 1e-3), null);
    assert.deepEqual(cellsFor('reference', null, ref, 1e-3)!.map((r) => r.map((c) => c.value)), ref);
  });

  it('pins weights outside [0, 1] to the ends of the colour scale', () => {
    const cells = cellsFor('learner', [[1.5, -0.5], [NaN, 0.4]], ref, 1e-3)!;
    assert.deepEqual(cells.flat().map((c) => c.intensity), [1, 0, 1, 0.4]);
  });

  it('formats values for labels and for the inside of cells', () => {
    assert.equal(formatValue(0.3104), '0.310');
    assert.equal(formatValue(0.00002), '2.0e-5');
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(shortValue(0.3104), '.310');
    assert.equal(shortValue(1), '1.00');
    assert.equal(shortValue(0), '.000');
  });

  it('moves keyboard focus inside the grid and stops at the edges', () => {
    assert.deepEqual(moveFocus(0, 0, 'ArrowUp', 3, 3), [0, 0]);
    assert.deepEqual(moveFocus(0, 0, 'ArrowRight', 3, 3), [0, 1]);
    assert.deepEqual(moveFocus(2, 2, 'ArrowDown', 3, 3), [2, 2]);
    assert.deepEqual(moveFocus(2, 1, 'End', 3, 3), [2, 2]);
    assert.deepEqual(moveFocus(2, 1, 'Home', 3, 3, true), [0, 0]);
    assert.deepEqual(moveFocus(1, 1, 'Tab', 3, 3), [1, 1]);
  });
});
