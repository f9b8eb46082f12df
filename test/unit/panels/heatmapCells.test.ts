// The attention panel's arithmetic and its HTML shell.
import assert from 'node:assert/strict';
import { cellColor, cellsFor, countDisagreements, moveFocus } from '../../../core/panels/heatmapLogic';
import { attentionPanelHtml, contentSecurityPolicy } from '../../../src/panels/webviewHtml';

describe('attention panel logic', () => {
  const ref = [
    [1, 0],
    [0.25, 0.75],
  ];

  it('marks exactly the cells that differ by more than the tolerance', () => {
    const learner = [
      [1, 0],
      [0.2502, 0.7],
    ];
    const cells = cellsFor('difference', learner, ref, 1e-3)!;
    assert.deepEqual(cells.map((r) => r.map((c) => c.disagrees)), [[false, false], [false, true]]);
    assert.equal(countDisagreements(cells), 1);
    assert.equal(cells[1][1].intensity, 1, 'the largest difference is the darkest');
  });

  it('treats NaN in the learner\'s weights as a disagreement', () => {
    const cells = cellsFor('difference', [[NaN, 0], [0.25, 0.75]], ref, 1e-3)!;
    assert.equal(cells[0][0].disagrees, true);
  });

  it('has no learner view for a missing or mis-shaped matrix', () => {
    assert.equal(cellsFor('learner', null, ref, 1e-3), null);
    assert.equal(cellsFor('learner', [[1, 0]], ref, 1e-3), null);
    assert.ok(cellsFor('reference', null, ref, 1e-3));
  });

  it('colours from theme variables only', () => {
    assert.equal(cellColor(0.5), 'color-mix(in srgb, var(--vscode-charts-blue) 50%, var(--vscode-editor-background))');
  });

  it('moves keyboard focus within the grid and stops at the edges', () => {
    assert.deepEqual(moveFocus(0, 0, 'ArrowUp', 3, 3), [0, 0]);
    assert.deepEqual(moveFocus(0, 0, 'ArrowRight', 3, 3), [0, 1]);
    assert.deepEqual(moveFocus(2, 1, 'End', 3, 3), [2, 2]);
  });

  it('serves a strict CSP with a nonce and only local resources', () => {
    const html = attentionPanelHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/a.js', styleUri: 'vscode-resource:/a.css', nonce: 'abc123', title: 'Attention' });
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-abc123'/);
    assert.match(html, /<script nonce="abc123" src="vscode-resource:\/a\.js">/);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(contentSecurityPolicy('x', 'n'), /unsafe/);
  });
});
