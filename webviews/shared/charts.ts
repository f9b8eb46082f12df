// SVG charts for the lab view panels, coloured only with VS Code theme variables. Every chart
// is role="img" with a label; the numbers are also in a real <table> (dataTable) for screen
// readers and for reading exact values.
import { h, svg } from './dom';
import { t } from './l10n';
import { cellColor, extent, formatNumber, linearScale, niceTicks } from './scale';

/** Theme colours for series, in order (the reference is drawn dashed in the same colour). */
export const SERIES_COLORS = [
  'var(--vscode-charts-blue)',
  'var(--vscode-charts-orange)',
  'var(--vscode-charts-green)',
  'var(--vscode-charts-purple)',
  'var(--vscode-charts-red)',
  'var(--vscode-charts-yellow)',
];

export interface Series {
  name: string;
  /** [x, y] points; non-finite y values break the line. */
  points: [number, number][];
  color?: string;
  dashed?: boolean;
  /** Draw a dot at each point (short series). */
  markers?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
  /** A vertical marker line, e.g. the training length. */
  vline?: { x: number; label: string };
  /** Force the y range (e.g. [0, 1] for similarities). */
  yDomain?: [number, number];
  /** Force the x range (e.g. the whole run while its curve is still growing). */
  xDomain?: [number, number];
}

export function lineChart(o: LineChartOptions): HTMLElement {
  const W = o.width ?? 420;
  const H = o.height ?? 220;
  const m = { l: 48, r: 12, t: 12, b: 36 };
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = o.series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = o.xDomain ?? extent(xs);
  const [y0, y1] = o.yDomain ?? extent(ys);
  const sx = linearScale(x0, x1, m.l, W - m.r);
  const sy = linearScale(y0, y1, H - m.b, m.t);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': t('{0}: {1} against {2}', o.title, o.yLabel, o.xLabel), class: 'chart' });
  const axis = 'var(--vscode-charts-lines, var(--vscode-descriptionForeground))';
  for (const tick of niceTicks(y0, y1, 4)) {
    root.append(
      svg('line', { x1: m.l, x2: W - m.r, y1: sy(tick), y2: sy(tick), stroke: axis, 'stroke-opacity': 0.25 }),
      svg('text', { x: m.l - 4, y: sy(tick) + 4, 'text-anchor': 'end', class: 'tick' }, formatNumber(tick)),
    );
  }
  for (const tick of niceTicks(x0, x1, 6)) {
    root.append(svg('text', { x: sx(tick), y: H - m.b + 14, 'text-anchor': 'middle', class: 'tick' }, formatNumber(tick)));
  }
  root.append(
    svg('line', { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, stroke: axis }),
    svg('line', { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, stroke: axis }),
    svg('text', { x: (m.l + W - m.r) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis-label' }, o.xLabel),
    svg('text', { x: 12, y: (m.t + H - m.b) / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${(m.t + H - m.b) / 2})` }, o.yLabel),
  );
  if (o.vline) {
    const x = sx(o.vline.x);
    root.append(
      svg('line', { x1: x, x2: x, y1: m.t, y2: H - m.b, stroke: 'var(--vscode-descriptionForeground)', 'stroke-dasharray': '2 3' }),
      svg('text', { x: x + 3, y: m.t + 10, class: 'tick' }, o.vline.label),
    );
  }
  o.series.forEach((s, i) => {
    const color = s.color ?? SERIES_COLORS[i % SERIES_COLORS.length];
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(Math.min(Math.max(y, y0), y1)).toFixed(1)}`;
      pen = true;
    }
    const path = svg('path', { d, fill: 'none', stroke: color, 'stroke-width': s.dashed ? 1.5 : 2, class: 'series' });
    if (s.dashed) path.setAttribute('stroke-dasharray', '5 3');
    path.append(svg('title', {}, s.name));
    root.append(path);
    if (s.markers) {
      for (const [x, y] of s.points) if (Number.isFinite(y)) root.append(svg('circle', { cx: sx(x), cy: sy(y), r: 2.5, fill: color }));
    }
  });
  const legend = h(
    'div',
    { class: 'legend-row', 'aria-hidden': 'true' },
    ...o.series.map((s, i) =>
      h('span', { class: s.dashed ? 'key dashed' : 'key', style: `--key-color: ${s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]}` }, s.name),
    ),
  );
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, o.title), root, legend);
}

export interface HeatmapOptions {
  title: string;
  /** matrix[row][col] */
  matrix: number[][];
  rowLabel: string;
  colLabel: string;
  rowLabels?: string[];
  colLabels?: string[];
  diverging?: boolean;
  /** Cell size in px (the SVG scales down to fit the panel). */
  cell?: number;
  /** Shared colour range across several heatmaps (e.g. every ALiBi head). */
  range?: [number, number];
  /** Non-finite cells are masked entries (drawn empty), not errors. */
  nonFiniteIsMasked?: boolean;
}

export function heatmap(o: HeatmapOptions): HTMLElement {
  const rows = o.matrix.length;
  const cols = rows > 0 ? o.matrix[0].length : 0;
  const c = o.cell ?? (Math.max(rows, cols) > 40 ? 6 : Math.max(rows, cols) > 16 ? 12 : 22);
  const left = o.rowLabels ? 64 : 28;
  const top = o.colLabels ? 48 : 16;
  const W = left + cols * c + 4;
  const H = top + rows * c + 4;
  const [lo, hi] = o.range ?? extent(o.matrix.flat());
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `${o.title}: ${rows} ${o.rowLabel} × ${cols} ${o.colLabel}`, class: 'chart heatmap-svg' });
  root.append(
    svg('text', { x: 2, y: 10, class: 'tick' }, `${o.rowLabel} ↓ ${o.colLabel} →`),
  );
  o.matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const masked = o.nonFiniteIsMasked && !Number.isFinite(v);
      const r = svg('rect', { x: left + j * c, y: top + i * c, width: c, height: c, fill: masked ? 'none' : cellColor(v, lo, hi, !!o.diverging), class: masked ? 'hm-cell masked' : 'hm-cell' });
      if (rows * cols <= 4096) r.append(svg('title', {}, `${o.rowLabels?.[i] ?? i}, ${o.colLabels?.[j] ?? j}: ${masked ? t('masked') : formatNumber(v)}`));
      root.append(r);
    }),
  );
  o.rowLabels?.forEach((l, i) => root.append(svg('text', { x: left - 4, y: top + i * c + c * 0.7, 'text-anchor': 'end', class: 'tick' }, l)));
  o.colLabels?.forEach((l, j) => {
    const x = left + j * c + c * 0.65;
    root.append(svg('text', { x, y: top - 4, class: 'tick', transform: `rotate(-60 ${x} ${top - 4})` }, l));
  });
  const legend = h('div', { class: 'legend-row', 'aria-hidden': 'true' }, h('span', {}, formatNumber(o.diverging ? -Math.max(Math.abs(lo), Math.abs(hi)) : lo)), h('span', { class: o.diverging ? 'ramp diverging' : 'ramp' }), h('span', {}, formatNumber(o.diverging ? Math.max(Math.abs(lo), Math.abs(hi)) : hi)));
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, o.title), h('div', { class: 'scroll' }, root), legend);
}

export interface Bar {
  label: string;
  value: number;
  /** false: cut off by the filter, drawn struck through and hatched. */
  kept?: boolean;
}

export function bars(title: string, items: Bar[], max = Math.max(1e-12, ...items.map((b) => b.value))): HTMLElement {
  const list = h('ol', { class: 'bars', 'aria-label': title });
  for (const b of items) {
    const pct = Math.max(0, Math.min(100, (b.value / max) * 100));
    const removed = b.kept === false;
    list.append(
      h(
        'li',
        { class: removed ? 'bar removed' : 'bar' },
        h('span', { class: 'bar-label' }, b.label),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width: ${pct.toFixed(1)}%` })),
        h('span', { class: 'bar-value' }, removed ? t('{0} (cut)', formatNumber(b.value)) : formatNumber(b.value)),
      ),
    );
  }
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), list);
}

/** A real table of numbers; `hidden` only hides it from sight (screen readers keep it). */
export function dataTable(caption: string, columns: string[], rows: (string | number)[][], hidden = true): HTMLElement {
  const fmt = (v: string | number) => (typeof v === 'number' ? formatNumber(v) : v);
  return h(
    'div',
    { class: hidden ? 'table-host visually-hidden' : 'table-host' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((v, i) => (i === 0 ? h('th', { scope: 'row' }, fmt(v)) : h('td', {}, fmt(v))))))),
    ),
  );
}
