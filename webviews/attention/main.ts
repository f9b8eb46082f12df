// The attention panel (bundled by esbuild to dist/webviews/attention.js), one lab view on the
// shared page runtime (webviews/shared/labViewApp.ts: protocol, saved state, busy ring, tables
// toggle, error notes). What is its own: the inputs and view choices as a reducer (state.ts),
// and the heatmap as an ARIA grid whose focused cell survives redraws (heatmap.ts).
import type { AttentionViewData } from '../../core/protocol/sidecar';
import { startLabView, type DrawContext } from '../shared/labViewApp';
import { cellsFor, countDisagreements, formatValue } from './cells';
import { accentFor, legendGradient } from './colorScale';
import { buildControls, type Controls } from './controls';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { renderHeatmap } from './heatmap';
import { captionFor, differenceSummary } from './labels';
import { clampFocus, effectiveView, functionFor, initialState, PanelState, reduce, requestFor } from './state';
import { renderTable } from './table';

let controls: Controls;
/** The input as the controls last saw it: their edits go through the reducer from here. */
let current: PanelState;

// Kept across redraws (only their contents change), so the grid keeps the keyboard focus when
// new numbers arrive after a check run.
const notes = h('div', { class: 'notes' });
const summary = h('p', { class: 'summary' });
const heatmapHost = h('div', { class: 'heatmap-host' });
const legendBar = h('span', { class: 'bar' });
const legendMax = h('span', {});
const legend = h('div', { class: 'legend', 'aria-hidden': 'true' }, h('span', {}, '0'), legendBar, legendMax, h('span', { class: 'outline-key' }, t('dashed outline: differs by more than the tolerance')));
const readout = h('p', { class: 'readout' }, t('Hover over or focus a cell to read its value.'));
const tableHost = h('div', { id: 'table-host', class: 'table-host' });
const source = h('p', { class: 'source' });
const picture = h('div', { class: 'attention' }, notes, summary, heatmapHost, legend, readout, tableHost, source);

function normalize(i: Partial<PanelState>): PanelState {
  const s = initialState(i);
  // A pad-token field being corrected, and the focused cell, are kept too (not only saved fields).
  if (typeof i.padError === 'string') s.padError = i.padError;
  if (Array.isArray(i.focus) && i.focus.length === 2 && i.focus.every((v) => Number.isInteger(v) && v >= 0)) s.focus = [i.focus[0], i.focus[1]];
  return s;
}

function draw(host: HTMLElement, data: AttentionViewData, state: PanelState, ctx: DrawContext): void {
  if (picture.parentElement !== host) host.replaceChildren(picture);
  const n = data.tokens.length;
  const view = effectiveView(state, data);
  const head = data.heads[view.head];
  controls.syncData(data.heads.length, view.head, view.learnerMissing, data.model?.nLayer);
  const fn = functionFor(data.heads.length, data.sourceKind);
  notes.replaceChildren(
    ...(data.learnerError
      ? [ctx.errorNote(t('Your {0}()', fn), data.learnerError, fn)]
      : view.learnerMissing
        ? [ctx.errorNote(t('Your {0}()', fn), { message: t('it returned no weights for this head') }, fn)]
        : []),
  );

  const cells = cellsFor(view.mode, head.learner, head.reference, data.tolerance);
  if (!cells) return; // effectiveView falls back to the reference whenever the learner's matrix is unusable
  const focus = clampFocus(state.focus, n);
  const caption = captionFor(view.mode, view.head, data.heads.length, data.mask, data.model?.layer);
  const difference = view.mode === 'difference';
  const disagreements = difference ? countDisagreements(cells) : 0;
  summary.textContent = difference ? differenceSummary(disagreements, n * n, data.tolerance) : '';
  summary.classList.toggle('error', disagreements > 0);
  ctx.announce(summary.textContent);
  renderHeatmap(heatmapHost, {
    tokens: data.tokens,
    cells,
    mode: view.mode,
    tolerance: data.tolerance,
    caption,
    focus,
    // The grid already moved its tab stop: keep the new focus, draw nothing again.
    onFocusCell: (row, col) => ctx.change({ focus: [row, col] }, { redraw: false }),
    onReadout: (text) => (readout.textContent = text),
  });

  legendBar.style.background = legendGradient(accentFor(view.mode));
  const max = difference ? Math.max(0, ...cells.flat().map((c) => (Number.isFinite(c.value) ? c.value : 0))) : 1;
  legendMax.textContent = difference ? t('{0} (largest difference)', formatValue(max)) : '1';
  legend.classList.toggle('difference', difference);

  // Always in the page for assistive technology; "Show tables" only makes it visible.
  renderTable(tableHost, data.tokens, cells, caption, difference);
  tableHost.classList.toggle('visually-hidden', !ctx.showTables);
  source.textContent = t('Where Q, K and V come from: {0}', data.source);
}

startLabView<PanelState, AttentionViewData>({
  view: 'attention',
  defaults: initialState(),
  normalize,
  // The sentence and pad-token fields wait for a pause in typing themselves.
  requestDelayMs: 0,
  // Nothing is asked while the pad-token field holds no valid number.
  requestOf: (s) => (s.padError ? undefined : { ...requestFor(s) }),
  controls(input, change) {
    current = input;
    controls = buildControls((action) => {
      const next = reduce(current, action);
      if (next.state === current) return;
      // The reducer knows which edits need new numbers (a head or a view only redraws).
      change(next.state, { recompute: next.recompute && !next.state.padError });
    });
    return h('div', {}, controls.inputs, controls.viewBar);
  },
  sync(input) {
    current = input;
    controls.sync(input);
  },
  draw,
});
