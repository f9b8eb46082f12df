// The heatmap colours: theme variables only, so light, dark and high-contrast themes all work.
import assert from 'node:assert/strict';
import { accentFor, cellColor, cellTextColor, legendGradient } from '../../../webviews/attention/colorScale';

const NO_LITERAL_COLOURS = /#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(|\b(white|black|blue|red)\b/i;

describe('attention panel: colour scale', () => {
  it('mixes the editor background towards a chart colour in proportion to the weight', () => {
    assert.equal(cellColor(0.31), 'color-mix(in srgb, var(--vscode-charts-blue) 31%, var(--vscode-editor-background))');
    assert.equal(cellColor(0), 'color-mix(in srgb, var(--vscode-charts-blue) 0%, var(--vscode-editor-background))');
    assert.match(cellColor(7), / 100%, /);
    assert.match(cellColor(-1), / 0%, /);
    assert.match(cellColor(NaN), / 100%, /);
  });

  it('uses red for the difference view and blue for weights', () => {
    assert.equal(accentFor('difference'), '--vscode-charts-red');
    assert.equal(accentFor('learner'), '--vscode-charts-blue');
    assert.match(cellColor(1, accentFor('difference')), /var\(--vscode-charts-red\) 100%/);
  });

  it('switches the text to the background colour on the saturated half', () => {
    assert.equal(cellTextColor(0.2), 'var(--vscode-editor-foreground)');
    assert.equal(cellTextColor(0.9), 'var(--vscode-editor-background)');
  });

  it('draws the legend with the same scale and no literal colours', () => {
    const g = legendGradient('--vscode-charts-blue');
    assert.ok(g.startsWith('linear-gradient(to right, '));
    assert.ok(g.includes(cellColor(0)) && g.includes(cellColor(0.5)) && g.includes(cellColor(1)));
    for (const css of [g, cellColor(0.5), cellTextColor(0.1), cellTextColor(0.9)]) assert.doesNotMatch(css.replace(/var\([^)]*\)/g, ''), NO_LITERAL_COLOURS);
  });
});
