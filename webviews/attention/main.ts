// The attention panel's entry point (bundled by esbuild to dist/webviews/attention.js):
// keeps the state, draws the latest numbers, and talks to the extension over the lab-view
// protocol every panel shares (the host side is a LabViewPanel like the others).
import type { AttentionViewData } from '../../core/protocol/sidecar';
import { registerToolkit, tags } from '../shared/toolkit';
import { cellsFor, countDisagreements, formatValue } from './cells';
import { accentFor, legendGradient } from './colorScale';
import { buildControls } from './controls';
import { h } from './dom';
import { renderHeatmap } from './heatmap';
import { captionFor, differenceSummary, learnerErrorText } from './labels';
import { connectLabView } from '../shared/labViewChannel';
import type { HostToLabViewMessage } from '../../core/protocol/labView';
import { Action, clampFocus, effectiveView, functionFor, initialState, reduce, requestFor } from './state';
import { renderTable } from './table';

registerToolkit();

const channel = connectLabView('attention', onMessage);
const send = channel.send;
let state = initialState(channel.saved);
/** The latest numbers, with the lab they came from and when. */
let latest: { data: AttentionViewData; labTitle: string; updatedAt: string } | undefined;

const controls = buildControls(dispatch);
const message = h('div', { class: 'message', 'aria-live': 'polite' });
const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
const heatmapHost = h('div', { class: 'heatmap-host' });
const legendBar = h('span', { class: 'bar' });
const legendMax = h('span', {});
const legend = h('div', { class: 'legend', 'aria-hidden': 'true' }, h('span', {}, '0'), legendBar, legendMax, h('span', { class: 'outline-key' }, 'dashed outline: differs by more than the tolerance'));
const readout = h('p', { class: 'readout' }, 'Hover over or focus a cell to read its value.');
const tableHost = h('div', { id: 'table-host', class: 'table-host' });
const source = h('p', { class: 'source' });
const updated = h('p', { class: 'updated' });
const app = document.getElementById('app')!;
app.removeAttribute('aria-live');
app.replaceChildren(controls.inputs, controls.viewBar, message, summary, heatmapHost, legend, readout, tableHost, source, updated);
controls.sync(state);

function dispatch(action: Action): void {
  const t = reduce(state, action);
  if (t.state === state) return;
  state = t.state;
  channel.save(state);
  if (action.type === 'focus') return; // the grid already moved its tab stop
  controls.sync(state);
  if (t.recompute && !state.padError) request();
  draw();
}

let shownMessage = '';

function showMessage(text: string, opts: { error?: boolean; detail?: string; reveal?: string } = {}): void {
  // The message is a live region: rebuilding it with the same words would be spoken again.
  const key = JSON.stringify([text, opts]);
  if (key === shownMessage) return;
  shownMessage = key;
  message.className = opts.error ? 'message error' : 'message';
  message.replaceChildren();
  if (!text) return;
  message.append(h('p', {}, text));
  if (opts.detail) message.append(h('p', { class: 'detail' }, opts.detail));
  if (opts.reveal) {
    const name = opts.reveal;
    const b = h(tags.button, {}, `Go to ${name}()`);
    b.addEventListener('click', () => send({ type: 'revealFunction', body: { name } }));
    message.append(b);
  }
}

function clearPicture(): void {
  heatmapHost.replaceChildren();
  tableHost.replaceChildren();
  summary.textContent = '';
  source.textContent = '';
  updated.textContent = '';
  legend.hidden = true;
  // View choices mean nothing without numbers; the busy ring in the view bar stays.
  app.classList.add('no-data');
}

function draw(): void {
  if (!latest) return;
  const data: AttentionViewData = latest.data;
  app.classList.remove('no-data');
  const n = data.tokens.length;
  const view = effectiveView(state, data);
  const head = data.heads[view.head];
  controls.syncData(data.heads.length, view.head, view.learnerMissing, data.model?.nLayer);
  const fn = functionFor(data.heads.length, data.sourceKind);
  if (data.learnerError) showMessage(learnerErrorText(fn, data.learnerError), { error: true, reveal: fn });
  else if (view.learnerMissing) showMessage(`Your ${fn}() returned no weights for this head. The reference is shown instead.`, { error: true, reveal: fn });
  else showMessage('');

  const cells = cellsFor(view.mode, head.learner, head.reference, data.tolerance);
  if (!cells) return; // effectiveView falls back to the reference whenever the learner's matrix is unusable
  const focus = clampFocus(state.focus, n);
  const caption = captionFor(view.mode, view.head, data.heads.length, data.mask, data.model?.layer);
  const difference = view.mode === 'difference';
  summary.textContent = difference ? differenceSummary(countDisagreements(cells), n * n, data.tolerance) : '';
  summary.classList.toggle('error', difference && countDisagreements(cells) > 0);
  renderHeatmap(heatmapHost, {
    tokens: data.tokens,
    cells,
    mode: view.mode,
    tolerance: data.tolerance,
    caption,
    focus,
    onFocusCell: (row, col) => dispatch({ type: 'focus', row, col }),
    onReadout: (text) => (readout.textContent = text),
  });

  legend.hidden = false;
  legendBar.style.background = legendGradient(accentFor(view.mode));
  const max = difference ? Math.max(0, ...cells.flat().map((c) => (Number.isFinite(c.value) ? c.value : 0))) : 1;
  legendMax.textContent = difference ? `${formatValue(max)} (largest difference)` : '1';
  legend.classList.toggle('difference', difference);

  renderTable(tableHost, data.tokens, cells, caption, difference);
  tableHost.classList.toggle('visually-hidden', !state.showTable);
  const when = new Date(latest.updatedAt).toLocaleTimeString();
  source.textContent = `Where Q, K and V come from: ${data.source}`;
  updated.textContent = `${latest.labTitle ? `${latest.labTitle}: ` : ''}computed by your code at ${when}.`;
}

function request(): void {
  send({ type: 'request', body: { input: { ...requestFor(state) } } });
}

function onMessage(m: HostToLabViewMessage): void {
  switch (m.type) {
    case 'view':
      controls.setBusy(undefined);
      latest = { data: m.body.data as AttentionViewData, labTitle: m.body.labTitle, updatedAt: m.body.updatedAt };
      draw();
      break;
    case 'busy':
      // Keep the old picture: it is replaced when the new numbers arrive.
      controls.setBusy(m.body.reason);
      break;
    case 'unavailable':
      controls.setBusy(undefined);
      latest = undefined;
      clearPicture();
      showMessage(m.body.message, { error: true, detail: m.body.detail });
      break;
  }
}

clearPicture();
showMessage('Waiting for the extension…');
send({ type: 'ready', body: {} });
// The extension starts from its defaults; a restored panel asks again for what it showed.
request();
