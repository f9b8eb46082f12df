// The attention panel: controls, the heatmap of the learner's own weights, the reference,
// the difference view, and a table of the same numbers.
import type { AttentionMaskKind, AttentionViewData } from '../../core/protocol/sidecar';
import type { HostToPanel } from '../../core/protocol/webview';
import { cellsFor, countDisagreements, ViewMode } from '../../core/panels/heatmapLogic';
import { registerToolkit, tags, valueOf } from '../shared/toolkit';
import { renderHeatmap, renderTable } from './heatmap';
import { onMessage, send, vscode } from './vscodeApi';

registerToolkit();

interface PanelState {
  sentence: string;
  mask: AttentionMaskKind;
  heads: number;
  padTokens: number;
  head: number;
  mode: ViewMode;
  showTable: boolean;
}

const state: PanelState = {
  sentence: 'The cat sat on the mat because it was tired',
  mask: 'none',
  heads: 1,
  padTokens: 2,
  head: 0,
  mode: 'learner',
  showTable: false,
  ...((vscode.getState() as Partial<PanelState>) ?? {}),
};
let latest: HostToPanel['attention'] | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function custom(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function radioGroup(name: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const g = custom(tags.radioGroup, { name, orientation: 'horizontal', value });
  g.append(custom('label', { slot: 'label' }, label));
  for (const [v, text] of options) {
    const r = custom(tags.radio, { value: v }, text);
    if (v === value) r.setAttribute('checked', '');
    g.append(r);
  }
  g.addEventListener('change', () => onChange(valueOf(g)));
  return g;
}

function save(): void {
  vscode.setState(state);
}

function request(): void {
  save();
  send({ type: 'request', body: { sentence: state.sentence, mask: state.mask, heads: state.heads, padTokens: state.padTokens } });
}

// ── layout ──
const app = document.getElementById('app')!;
const controls = el('section', { class: 'controls', 'aria-label': 'inputs' });
const sentence = custom(tags.textField, { value: state.sentence, size: '48', 'aria-label': 'sentence' }, 'Sentence');
let typing: number | undefined;
sentence.addEventListener('input', () => {
  state.sentence = valueOf(sentence);
  window.clearTimeout(typing);
  typing = window.setTimeout(request, 300);
});
const maskGroup = radioGroup('mask', 'Mask', [['none', 'none'], ['causal', 'causal'], ['padding', 'padding']], state.mask, (v) => {
  state.mask = v as AttentionMaskKind;
  request();
});
const headsDrop = custom(tags.dropdown, { 'aria-label': 'number of heads' });
for (const h of [1, 2, 4, 8]) {
  const o = custom(tags.option, { value: String(h) }, h === 1 ? '1 head — attention()' : `${h} heads — multiHeadAttention()`);
  if (h === state.heads) o.setAttribute('selected', '');
  headsDrop.append(o);
}
headsDrop.addEventListener('change', () => {
  state.heads = Number(valueOf(headsDrop)) || 1;
  state.head = 0;
  request();
});
const padField = custom(tags.textField, { value: String(state.padTokens), size: '3', 'aria-label': 'padding tokens' }, 'Pad tokens');
padField.addEventListener('change', () => {
  state.padTokens = Math.max(0, Math.min(8, Number(valueOf(padField)) || 0));
  if (state.mask === 'padding') request();
});
const headsLabel = el('label', { class: 'field' });
headsLabel.append(el('span', {}, 'Heads'), headsDrop);
controls.append(sentence, maskGroup, headsLabel, padField);

const viewBar = el('section', { class: 'viewbar', 'aria-label': 'view' });
const modeGroup = radioGroup('mode', 'Show', [['learner', 'your weights'], ['reference', 'reference'], ['difference', 'difference']], state.mode, (v) => {
  state.mode = v as ViewMode;
  save();
  draw();
});
const headPick = custom(tags.dropdown, { 'aria-label': 'head to show' });
headPick.addEventListener('change', () => {
  state.head = Number(valueOf(headPick)) || 0;
  save();
  draw();
});
const tableToggle = custom(tags.button, { appearance: 'secondary' }, 'Show table');
tableToggle.addEventListener('click', () => {
  state.showTable = !state.showTable;
  save();
  draw();
});
const busy = custom(tags.progressRing, { class: 'busy', hidden: '' });
viewBar.append(modeGroup, headPick, tableToggle, busy);

const message = el('section', { class: 'message', role: 'status' });
const heatmapHost = el('section', { class: 'heatmap-host', 'aria-label': 'heatmap' });
const readout = el('p', { class: 'readout', 'aria-live': 'polite' }, 'Hover or focus a cell to read its value.');
const legend = el('div', { class: 'legend', 'aria-hidden': 'true' });
const tableHost = el('section', { class: 'table-host' });
const source = el('p', { class: 'source' });
app.replaceChildren(controls, viewBar, message, heatmapHost, legend, readout, tableHost, source);

function showMessage(text: string, opts: { error?: boolean; reveal?: string; detail?: string } = {}): void {
  message.replaceChildren();
  message.className = 'message' + (opts.error ? ' error' : '');
  if (!text) return;
  message.append(el('p', {}, text));
  if (opts.detail) message.append(el('p', { class: 'detail' }, opts.detail));
  if (opts.reveal) {
    const b = custom(tags.button, {}, `Go to ${opts.reveal}()`);
    b.addEventListener('click', () => send({ type: 'revealFunction', body: { name: opts.reveal! } }));
    message.append(b);
  }
}

function draw(): void {
  if (!latest) return;
  const data: AttentionViewData = latest.data;
  const nHeads = data.heads.length;
  if (state.head >= nHeads) state.head = 0;
  headPick.replaceChildren(
    ...data.heads.map((_, h) => {
      const o = custom(tags.option, { value: String(h) }, nHeads === 1 ? 'single head' : `head ${h + 1} of ${nHeads}`);
      if (h === state.head) o.setAttribute('selected', '');
      return o;
    }),
  );
  headPick.toggleAttribute('disabled', nHeads === 1);
  const head = data.heads[state.head];
  const fn = state.heads === 1 ? 'attention' : 'multiHeadAttention';
  if (data.learnerError) {
    const loc = data.learnerError.location;
    const where = loc && !data.learnerError.message.includes(`${loc.file}:${loc.line}`) ? ` (${loc.file}:${loc.line})` : '';
    showMessage(`Your ${fn}() could not be drawn: ${data.learnerError.message}${where}. The reference is shown instead.`, { error: true, reveal: fn });
  } else {
    showMessage('');
  }
  const mode: ViewMode = head.learner ? state.mode : 'reference';
  const cells = cellsFor(mode, head.learner, head.reference, data.tolerance)!;
  if (mode === 'difference') {
    const bad = countDisagreements(cells);
    showMessage(
      bad === 0
        ? `Your weights agree with the reference everywhere (within ${data.tolerance}).`
        : `${bad} cell${bad === 1 ? '' : 's'} differ from the reference by more than ${data.tolerance} (outlined).`,
      { error: bad > 0 },
    );
  }
  renderHeatmap(heatmapHost, data.tokens, cells, mode, (t) => (readout.textContent = t));
  legend.className = 'legend ' + (mode === 'difference' ? 'legend-diff' : 'legend-weight');
  legend.replaceChildren(el('span', {}, mode === 'difference' ? 'same' : '0'), el('span', { class: 'bar' }), el('span', {}, mode === 'difference' ? 'largest difference' : '1'));
  const caption = `${mode === 'learner' ? 'Your' : mode === 'reference' ? 'Reference' : 'Difference of'} attention weights${nHeads > 1 ? `, head ${state.head + 1}` : ''}, mask ${data.mask}: rows are queries, columns are keys`;
  renderTable(tableHost, data.tokens, cells, caption);
  tableHost.classList.toggle('visually-hidden', !state.showTable);
  tableToggle.textContent = state.showTable ? 'Hide table' : 'Show table';
  source.textContent = `${latest.labTitle ? latest.labTitle + ' · ' : ''}${data.source} Updated ${new Date(latest.updatedAt).toLocaleTimeString()}.`;
}

onMessage((m) => {
  switch (m.type) {
    case 'attention':
      busy.setAttribute('hidden', '');
      latest = m.body;
      draw();
      break;
    case 'busy':
      busy.removeAttribute('hidden');
      break;
    case 'unavailable':
      busy.setAttribute('hidden', '');
      latest = undefined;
      heatmapHost.replaceChildren();
      tableHost.replaceChildren();
      legend.replaceChildren();
      showMessage(m.body.message, { error: true, detail: m.body.detail });
      break;
  }
});

send({ type: 'ready', body: {} });
