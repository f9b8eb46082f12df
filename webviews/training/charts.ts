// The training panel's pictures: curves while training runs, then the metrics, the confusion
// matrix and the [CLS] attention over a misclassified message. Theme colours only; each has a
// table alternative drawn when "Show tables" is on.
import type { ConfusionView, EvalPoint, MetricsView, StepPoint } from '../../core/protocol/trainingPanel';
import { dataTable, lineChart, SERIES_COLORS } from '../shared/charts';
import { h, svg } from '../shared/dom';
import { formatNumber } from '../shared/scale';
import { downsample, rowShares, smooth } from './model';

const MAX_DRAWN = 600;
const MAX_TABLE_ROWS = 60;

/** An x range that already spans the whole run, so a curve grows left to right instead of rescaling. */
function wholeRun(points: { step: number }[], totalSteps?: number): [number, number] | undefined {
  if (!totalSteps) return undefined;
  return [0, Math.max(totalSteps - 1, points[points.length - 1]?.step ?? 0)];
}

export function lossChart(steps: StepPoint[], evals: EvalPoint[], totalSteps?: number): HTMLElement {
  const drawn = downsample(steps, MAX_DRAWN);
  const smoothed = smooth(steps.map((s) => s.loss));
  const smoothDrawn = downsample(steps.map((s, i) => [s.step, smoothed[i]] as [number, number]), MAX_DRAWN);
  const series = [
    { name: 'training loss (per step)', points: drawn.map((s) => [s.step, s.loss] as [number, number]), color: `color-mix(in srgb, ${SERIES_COLORS[0]} 45%, transparent)` },
    { name: 'training loss (smoothed)', points: smoothDrawn, color: SERIES_COLORS[0] },
    { name: 'validation loss', points: evals.map((e) => [e.step, e.loss] as [number, number]), color: SERIES_COLORS[1], markers: true },
  ];
  return lineChart({ title: 'Loss', xLabel: 'step', yLabel: 'cross-entropy (nats)', series, xDomain: wholeRun(steps, totalSteps), width: 460, height: 230 });
}

export function lrChart(steps: StepPoint[], totalSteps?: number): HTMLElement {
  const series = [{ name: 'learning rate (your schedule)', points: downsample(steps, MAX_DRAWN).map((s) => [s.step, s.lr] as [number, number]), color: SERIES_COLORS[2] }];
  return lineChart({ xDomain: wholeRun(steps, totalSteps), title: 'Learning rate', xLabel: 'step', yLabel: 'learning rate', series, width: 320, height: 230 });
}

export function metricChart(evals: EvalPoint[], totalSteps?: number): HTMLElement {
  const series = [
    { name: 'validation accuracy', points: evals.map((e) => [e.step, e.accuracy] as [number, number]), color: SERIES_COLORS[3], markers: true },
    { name: 'validation F1 (spam)', points: evals.map((e) => [e.step, e.f1] as [number, number]), color: SERIES_COLORS[1], markers: true },
  ];
  return lineChart({ xDomain: wholeRun(evals, totalSteps), title: 'Validation metrics', xLabel: 'step', yLabel: 'accuracy, F1', series, yDomain: [0, 1], width: 320, height: 230 });
}

export function curveTables(steps: StepPoint[], evals: EvalPoint[]): HTMLElement[] {
  const every = Math.max(1, Math.ceil(steps.length / MAX_TABLE_ROWS));
  const shown = steps.filter((_, i) => i % every === 0 || i === steps.length - 1);
  return [
    dataTable('Validation after each evaluation', ['step', 'epoch', 'loss', 'accuracy', 'F1'], evals.map((e) => [e.step + 1, e.epoch + 1, e.loss, e.accuracy, e.f1]), false),
    dataTable(
      every > 1 ? `Training steps (one in ${every} of ${steps.length}, and the last)` : 'Training steps',
      ['step', 'epoch', 'loss', 'learning rate'],
      shown.map((s) => [s.step + 1, s.epoch + 1, s.loss, s.lr]),
      false,
    ),
  ];
}

/** Counts in cells, shaded by the share of their true class (the row), so recall reads off the diagonal. */
export function confusionMatrix(title: string, c: ConfusionView): HTMLElement {
  const shares = rowShares(c.counts);
  const n = c.labels.length;
  const cell = 64;
  const left = 92;
  const top = 40;
  const W = left + n * cell + 8;
  const H = top + n * cell + 8;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart confusion', role: 'img', 'aria-label': `${title}: ${c.labels.map((l, i) => `${c.counts[i][i]} of ${c.counts[i].reduce((s, v) => s + v, 0)} ${l} right`).join(', ')}` });
  root.append(svg('text', { x: left + (n * cell) / 2, y: 12, 'text-anchor': 'middle', class: 'axis-label' }, 'predicted →'));
  c.labels.forEach((l, j) => root.append(svg('text', { x: left + j * cell + cell / 2, y: top - 8, 'text-anchor': 'middle', class: 'tick' }, l)));
  c.labels.forEach((l, i) => {
    root.append(svg('text', { x: left - 8, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'end', class: 'tick' }, `${l} (true)`));
    c.counts[i].forEach((v, j) => {
      const share = shares[i][j];
      const accent = i === j ? 'var(--vscode-charts-green)' : 'var(--vscode-charts-red)';
      const g = svg('g', { class: 'cm-cell' });
      g.append(
        svg('rect', { x: left + j * cell, y: top + i * cell, width: cell - 2, height: cell - 2, fill: `color-mix(in srgb, ${accent} ${Math.round(share * 85)}%, var(--vscode-editor-background))`, stroke: 'var(--vscode-panel-border, var(--vscode-foreground))' }),
        svg('text', { x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2, 'text-anchor': 'middle', class: 'cm-count' }, String(v)),
        svg('text', { x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2 + 14, 'text-anchor': 'middle', class: 'tick' }, `${Math.round(share * 100)} %`),
        svg('title', {}, `true ${l}, predicted ${c.labels[j]}: ${v} (${Math.round(share * 100)} % of ${l})`),
      );
      root.append(g);
    });
  });
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), root);
}

export function confusionTable(title: string, c: ConfusionView): HTMLElement {
  return dataTable(title, ['true \\ predicted', ...c.labels, 'total'], c.labels.map((l, i) => [l, ...c.counts[i], c.counts[i].reduce((s, v) => s + v, 0)]), false);
}

/** Per-class precision, recall and F1 as a compact table (it is the picture: numbers to compare). */
export function metricsTable(title: string, m: MetricsView, other?: MetricsView): HTMLElement {
  const rows: (string | number)[][] = m.perClass.map((c) => {
    const ref = other?.perClass.find((o) => o.label === c.label);
    const pair = (v: number, r?: number) => (r === undefined ? formatNumber(v) : `${formatNumber(v)} (ref ${formatNumber(r)})`);
    return [c.label, pair(c.precision, ref?.precision), pair(c.recall, ref?.recall), pair(c.f1, ref?.f1), c.support];
  });
  rows.push(['all (accuracy)', '', '', other ? `${formatNumber(m.accuracy)} (ref ${formatNumber(other.accuracy)})` : m.accuracy, m.perClass.reduce((s, c) => s + c.support, 0)]);
  for (const g of m.groups) rows.push([`${g.name} (accuracy)`, '', '', g.accuracy, g.n]);
  return dataTable(title, ['class', 'precision', 'recall', 'F1', 'messages'], rows, false);
}

/** The message's tokens shaded by the [CLS] weight each receives. */
export function attentionTokens(tokens: string[], weights: number[], label: string): HTMLElement {
  const max = Math.max(1e-9, ...weights);
  const top = [...weights.keys()].sort((a, b) => weights[b] - weights[a]).slice(0, 3);
  const box = h('p', { class: 'cls-tokens', role: 'img', 'aria-label': `${label}. Most attended: ${top.map((i) => `${JSON.stringify(tokens[i])} ${formatNumber(weights[i])}`).join(', ')}` });
  tokens.forEach((t, i) => {
    const share = weights[i] / max;
    const span = h('span', { class: share > 0.5 ? 'tok strong' : 'tok', title: `${t}: ${formatNumber(weights[i])}` }, t.replace(/^##/, '·'));
    span.style.setProperty('--w', `${Math.round(share * 90)}%`);
    box.append(span);
  });
  return box;
}
