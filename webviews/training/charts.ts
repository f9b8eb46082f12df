// The training panel's pictures: curves while training runs, then the metrics, the confusion
// matrix and the [CLS] attention over a misclassified message. Theme colours only; each has a
// table alternative drawn when "Show tables" is on.
import type { ClassScores, TrainingEvalPoint, TrainingStepPoint } from '../../core/protocol/views/trainingView';
import { dataTable, lineChart, SERIES_COLORS } from '../shared/charts';
import { h, svg } from '../shared/dom';
import { t } from '../shared/l10n';
import { formatNumber } from '../shared/scale';
import { downsample, rowShares, smooth } from './model';

const MAX_DRAWN = 600;
const MAX_TABLE_ROWS = 60;
const faint = (color: string) => `color-mix(in srgb, ${color} 45%, transparent)`;
const xy = (x: number, y: number): [number, number] => [x, y];

/** The x range every curve shares: [0, the whole run] while it runs, so curves grow left to right. */
export type Span = [number, number];

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** Small values (learning rates) in units of a power of ten, so the ticks read 0.5 rather than 5.00e-4. */
export function perPowerOfTen(values: number[]): { k: number; unit: string } {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  if (!(max > 0) || max >= 0.01) return { k: 1, unit: '' };
  const e = Math.floor(Math.log10(max));
  return { k: 10 ** -e, unit: ` (× 10${[...String(e)].map((c) => SUPERSCRIPT[c]).join('')})` };
}

/** x is the number of updates done: a step's batch loss is measured before its update, an evaluation after `step` updates. */
export function lossChart(steps: TrainingStepPoint[], evals: TrainingEvalPoint[], span: Span): HTMLElement {
  const smoothed = smooth(steps.map((s) => s.loss));
  return lineChart({
    title: t('Loss'),
    xLabel: t('updates'),
    yLabel: t('cross-entropy (nats)'),
    series: [
      { name: t('training batch'), points: downsample(steps, MAX_DRAWN).map((s) => xy(s.step, s.loss)), color: faint(SERIES_COLORS[0]) },
      { name: t('training (smoothed)'), points: downsample(steps.map((s, i) => xy(s.step, smoothed[i])), MAX_DRAWN), color: SERIES_COLORS[0] },
      { name: t('validation'), points: evals.map((e) => xy(e.step, e.loss)), color: SERIES_COLORS[1], markers: true },
    ],
    xDomain: span,
    width: 460,
    height: 230,
  });
}

export function lrChart(steps: TrainingStepPoint[], span: Span): HTMLElement {
  const { k, unit } = perPowerOfTen(steps.map((s) => s.lr));
  return lineChart({
    title: t('Learning rate'),
    xLabel: t('updates'),
    yLabel: `${t('learning rate')}${unit}`,
    series: [{ name: t('learning rate trainStep used'), points: downsample(steps, MAX_DRAWN).map((s) => xy(s.step, s.lr * k)), color: SERIES_COLORS[2] }],
    xDomain: span,
    width: 320,
    height: 230,
  });
}

/** The global gradient norm before clipping, against the clipping threshold. */
export function gradNormChart(steps: TrainingStepPoint[], maxNorm: number, span: Span): HTMLElement {
  const drawn = downsample(steps, MAX_DRAWN);
  return lineChart({
    title: t('Gradient norm before clipping'),
    xLabel: t('updates'),
    yLabel: t('global L2 norm'),
    series: [
      { name: t('gradient norm'), points: drawn.map((s) => xy(s.step, s.gradNorm)), color: SERIES_COLORS[4] },
      { name: t('clipped to {0}', maxNorm), points: [xy(span[0], maxNorm), xy(span[1], maxNorm)], color: SERIES_COLORS[4], dashed: true },
    ],
    xDomain: span,
    width: 320,
    height: 230,
  });
}

export function metricChart(evals: TrainingEvalPoint[], span: Span): HTMLElement {
  return lineChart({
    title: t('Validation metrics'),
    xLabel: t('updates'),
    yLabel: t('share'),
    series: [
      { name: t('accuracy'), points: evals.map((e) => xy(e.step, e.accuracy)), color: SERIES_COLORS[3], markers: true },
      { name: t('F1 (spam)'), points: evals.map((e) => xy(e.step, e.f1)), color: SERIES_COLORS[1], markers: true },
      { name: t('hard ham right'), points: evals.map((e) => xy(e.step, e.hardHamAccuracy)), color: SERIES_COLORS[2], markers: true, dashed: true },
    ],
    yDomain: [0, 1],
    xDomain: span,
    width: 320,
    height: 230,
  });
}

export function curveTables(steps: TrainingStepPoint[], evals: TrainingEvalPoint[]): HTMLElement[] {
  const every = Math.max(1, Math.ceil(steps.length / MAX_TABLE_ROWS));
  const shown = steps.filter((_, i) => i % every === 0 || i === steps.length - 1);
  return [
    dataTable(
      t('Validation after each evaluation (0 updates: before training)'),
      [t('updates'), t('loss'), t('accuracy'), t('precision (spam)'), t('recall (spam)'), t('F1 (spam)'), t('macro F1'), t('hard ham right')],
      evals.map((e) => [e.step, e.loss, e.accuracy, e.precision, e.recall, e.f1, e.macroF1, e.hardHamAccuracy]),
      false,
    ),
    dataTable(
      every > 1 ? t('Training steps (one in {0} of {1}, and the last)', every, steps.length) : t('Training steps'),
      [t('step'), t('epoch'), t('batch loss'), t('learning rate'), t('gradient norm')],
      shown.map((s) => [s.step + 1, s.epoch + 1, s.loss, s.lr, s.gradNorm]),
      false,
    ),
  ];
}

/** Counts in cells, shaded by the share of their true class (the row), so recall reads off the diagonal. */
export function confusionMatrix(title: string, labels: string[], counts: number[][]): HTMLElement {
  const shares = rowShares(counts);
  const n = labels.length;
  const cell = 64;
  const left = 92;
  const top = 40;
  const W = left + n * cell + 8;
  const H = top + n * cell + 8;
  const right = labels.map((l, i) => t('{0} of {1} {2} right', counts[i][i], counts[i].reduce((s, v) => s + v, 0), l)).join(', ');
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart confusion', role: 'img', 'aria-label': `${title}: ${right}` });
  root.append(svg('text', { x: left + (n * cell) / 2, y: 12, 'text-anchor': 'middle', class: 'axis-label' }, t('predicted →')));
  labels.forEach((l, j) => root.append(svg('text', { x: left + j * cell + cell / 2, y: top - 8, 'text-anchor': 'middle', class: 'tick' }, l)));
  labels.forEach((l, i) => {
    root.append(svg('text', { x: left - 8, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'end', class: 'tick' }, t('{0} (true)', l)));
    counts[i].forEach((v, j) => {
      const share = shares[i][j];
      const accent = i === j ? 'var(--vscode-charts-green)' : 'var(--vscode-charts-red)';
      const g = svg('g', { class: 'cm-cell' });
      g.append(
        svg('rect', { x: left + j * cell, y: top + i * cell, width: cell - 2, height: cell - 2, fill: `color-mix(in srgb, ${accent} ${Math.round(share * 85)}%, var(--vscode-editor-background))`, stroke: 'var(--vscode-panel-border, var(--vscode-foreground))' }),
        svg('text', { x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2, 'text-anchor': 'middle', class: 'cm-count' }, String(v)),
        svg('text', { x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2 + 14, 'text-anchor': 'middle', class: 'tick' }, `${Math.round(share * 100)} %`),
        svg('title', {}, t('true {0}, predicted {1}: {2} ({3} % of {4})', l, labels[j], v, Math.round(share * 100), l)),
      );
      root.append(g);
    });
  });
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), root);
}

export function confusionTable(title: string, labels: string[], counts: number[][]): HTMLElement {
  return dataTable(title, [t('true \\ predicted'), ...labels, t('total')], labels.map((l, i) => [l, ...counts[i], counts[i].reduce((s, v) => s + v, 0)]), false);
}

/** Per-class precision, recall and F1 (the picture is the numbers: they are compared, not eyed). */
export function metricsTable(title: string, labels: string[], perClass: ClassScores[], extra: [string, number][]): HTMLElement {
  const rows: (string | number)[][] = perClass.map((c, i) => [labels[i], c.precision, c.recall, c.f1, c.support]);
  for (const [name, v] of extra) rows.push([name, '', '', v, '']);
  return dataTable(title, [t('class'), t('precision'), t('recall'), t('F1'), t('messages')], rows, false);
}

/** The message's tokens shaded by the [CLS] weight each receives. */
export function attentionTokens(tokens: string[], weights: number[], label: string): HTMLElement {
  const max = Math.max(1e-9, ...weights);
  const top = [...weights.keys()].sort((a, b) => weights[b] - weights[a]).slice(0, 3);
  const box = h('p', { class: 'cls-tokens', role: 'img', 'aria-label': t('{0}. Most attended: {1}', label, top.map((i) => `${JSON.stringify(tokens[i])} ${formatNumber(weights[i])}`).join(', ')) });
  tokens.forEach((token, i) => {
    const share = weights[i] / max;
    // Byte-level tokens carry their own spaces; show them, and line breaks, visibly.
    const shown = token.replace(/\n/g, '⏎').replace(/ /g, '·');
    const span = h('span', { class: share > 0.5 ? 'tok strong' : 'tok', title: `${JSON.stringify(token)}: ${formatNumber(weights[i])}` }, shown);
    span.style.setProperty('--w', `${Math.round(share * 90)}%`);
    box.append(span);
  });
  return box;
}
