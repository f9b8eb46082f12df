// Lab 5's training panel (bundled to dist/webviews/training.js): the fine-tuning inputs, Start
// and Cancel, live loss / learning-rate / validation curves, then the metrics, the confusion
// matrix and the misclassified messages with the [CLS] attention over their tokens.
// The page is built once; a progress tick redraws only the curves, so focus, the selected
// message and the error notes stay put (and screen readers are not re-told what they heard).
import type { LearnerError } from '../../core/protocol/sidecar';
import type { HostToTrainingMessage, MisclassifiedView, PartView, TrainingInput, TrainingResultView, TrainingToHostMessage } from '../../core/protocol/trainingPanel';
import { dataTable } from '../shared/charts';
import { h } from '../shared/dom';
import { numberField, selectField } from '../shared/labViewApp';
import { registerToolkit, setDisabled, tags } from '../shared/toolkit';
import { formatNumber } from '../shared/scale';
import { attentionTokens, confusionMatrix, confusionTable, curveTables, lossChart, lrChart, metricChart, metricsTable } from './charts';
import { clsWeights, initialModel, isBusy, liveLine, PageModel, reduce } from './model';

interface VsCodeApi {
  postMessage(message: TrainingToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface Saved {
  input: TrainingInput;
  showTables: boolean;
  /** Index of the misclassified message shown, its layer and head (-1 = mean of heads). */
  selected: number;
  layer: number;
  head: number;
}

// The host checks the same bounds (src/panels/trainingData.ts) and says which field is wrong.
const DEFAULTS: TrainingInput = { subset: 400, seqLen: 64, epochs: 2, lr: 5e-4, freezeEncoder: false, seed: 42 };

registerToolkit();
const api = acquireVsCodeApi();
const saved = (api.getState() ?? {}) as Partial<Saved>;
const state: Saved = {
  input: { ...DEFAULTS, ...(saved.input ?? {}) },
  showTables: saved.showTables === true,
  selected: saved.selected ?? 0,
  layer: saved.layer ?? -1,
  head: saved.head ?? -1,
};
let model: PageModel = initialModel();
const send = (m: TrainingToHostMessage) => api.postMessage(m);
const save = () => api.setState(state);

// ---- the page, built once ----
const startButton = h(tags.button, {}, 'Start fine-tuning');
const cancelButton = h(tags.button, { appearance: 'secondary', disabled: '' }, 'Cancel');
const tablesButton = h(tags.button, { appearance: 'secondary', 'aria-pressed': String(state.showTables) }, state.showTables ? 'Hide tables' : 'Show tables');
const fields = h('div', { class: 'fields' });
const phaseNote = h('p', { class: 'phase-note', role: 'status' });
const phaseDetail = h('p', { class: 'detail' });
const progressBar = h('progress', { max: '1', value: '0', 'aria-label': 'Fine-tuning progress' }) as HTMLProgressElement;
// Updated several times a second: deliberately not a live region.
const live = h('span', { class: 'live-line' });
const statusBox = h('div', { class: 'status-box' }, phaseNote, phaseDetail, h('div', { class: 'progress-row' }, progressBar, live));
const curves = h('div', { class: 'grid curves' });
const curveTablesHost = h('div', { class: 'tables' });
const resultsHost = h('div', {});
const misclassifiedHost = h('div', {});
const footer = h('p', { class: 'source' });

const app = document.getElementById('app')!;
app.replaceChildren(
  h('div', { class: 'toolbar' }, fields, h('div', { class: 'toolbar-end' }, startButton, cancelButton, tablesButton)),
  statusBox,
  h('section', { class: 'section' }, h('h2', {}, 'Training curves'), h('p', { class: 'note' }, 'Training loss at every step (faint) and smoothed, validation loss, accuracy and F1 after each evaluation, and the learning rate your schedule gave each step.'), curves, curveTablesHost),
  h('section', { class: 'section', 'aria-label': 'Results' }, resultsHost),
  h('section', { class: 'section', 'aria-label': 'Misclassified messages' }, misclassifiedHost),
  footer,
);

function change(patch: Partial<TrainingInput>): void {
  state.input = { ...state.input, ...patch };
  save();
}

function renderFields(): void {
  const freeze = h(tags.checkbox, state.input.freezeEncoder ? { checked: '' } : {}, 'Freeze the encoder (train the head only)');
  freeze.addEventListener('change', () => change({ freezeEncoder: (freeze as unknown as { checked: boolean }).checked }));
  fields.replaceChildren(
    numberField('Training messages', state.input.subset, 16, 4000, (v) => change({ subset: v })),
    numberField('Sequence length', state.input.seqLen, 8, 256, (v) => change({ seqLen: v })),
    numberField('Epochs', state.input.epochs, 1, 20, (v) => change({ epochs: v })),
    numberField('Learning rate', state.input.lr, 1e-6, 0.1, (v) => change({ lr: v }), 0),
    numberField('Seed', state.input.seed, 0, 2 ** 31 - 1, (v) => change({ seed: v })),
    h('div', { class: 'field checkbox-field' }, h('label', {}, 'Encoder'), freeze),
  );
}

function renderStatus(): void {
  const busy = isBusy(model.phase);
  // Only a changed sentence is written, so the status region speaks once per phase.
  if (phaseNote.textContent !== model.note) phaseNote.textContent = model.note;
  phaseNote.className = `phase-note ${model.phase}`;
  phaseDetail.textContent = model.detail ?? '';
  phaseDetail.hidden = !model.detail;
  live.textContent = liveLine(model);
  const total = model.totalSteps ?? 0;
  progressBar.hidden = !busy && model.steps.length === 0;
  if (total > 0) {
    progressBar.max = total;
    progressBar.value = Math.min(total, model.steps.length);
  } else progressBar.removeAttribute('value');
  setDisabled(startButton, busy);
  setDisabled(cancelButton, model.phase !== 'running');
  for (const f of fields.querySelectorAll(`${tags.textField}, ${tags.checkbox}`)) setDisabled(f, busy);
}

function renderCurves(): void {
  if (model.steps.length === 0 && model.evals.length === 0) {
    curves.replaceChildren(h('p', { class: 'empty' }, isBusy(model.phase) ? 'The first step is on its way…' : 'No run yet: the curves appear here while fine-tuning runs.'));
    curveTablesHost.replaceChildren();
    return;
  }
  // While it runs (or when it ran to the end) the x axis spans the whole run; a stopped run's spans what it did.
  const span = model.phase === 'cancelled' || model.phase === 'failed' ? undefined : model.totalSteps;
  curves.replaceChildren(lossChart(model.steps, model.evals, span), lrChart(model.steps, span), metricChart(model.evals, span));
  curveTablesHost.replaceChildren(...(state.showTables ? curveTables(model.steps, model.evals) : []));
}

/** The learner's part where it ran, else the reference; a note when the learner's threw. */
function partNote(what: string, part: PartView<unknown>): HTMLElement[] {
  if (!part.learnerError) return [];
  const err: LearnerError = part.learnerError;
  const loc = err.location;
  const at = loc && !err.message.includes(`${loc.file}:${loc.line}`) ? ` (${loc.file}:${loc.line})` : '';
  const shown = part.reference ? ' The reference is shown.' : '';
  const note = h('div', { class: 'message error part-error' }, h('p', {}, `${what} could not be computed with your code: ${err.message}${at}.${shown}`));
  if (part.fn) note.append(revealButton(part.fn));
  return [note];
}

function revealButton(name: string): HTMLElement {
  const b = h(tags.button, { appearance: 'secondary' }, `Go to ${name}()`);
  b.addEventListener('click', () => send({ type: 'revealFunction', body: { name } }));
  return b;
}

function renderResults(): void {
  const r = model.result;
  if (!r) {
    resultsHost.replaceChildren();
    misclassifiedHost.replaceChildren();
    footer.textContent = '';
    return;
  }
  const partial = r.stepsDone < r.totalSteps ? ` — partial run: ${r.stepsDone} of ${r.totalSteps} steps` : '';
  const parts: Node[] = [h('h2', {}, `Results on the validation split${partial}`)];
  for (const t of r.trainingErrors) {
    const note = h('div', { class: 'message error part-error' }, h('p', {}, `${t.fn} threw during training: ${t.error.message}${t.error.location ? ` (${t.error.location.file}:${t.error.location.line})` : ''}. ${t.fallback}`));
    note.append(revealButton(t.fn));
    parts.push(note);
  }
  const m = r.metrics;
  const metricsShown = m.learner ?? m.reference;
  parts.push(...partNote('The metrics', m));
  const c = r.confusion;
  const cm = c.learner ?? c.reference;
  parts.push(...partNote('The confusion matrix', c));
  const grid = h('div', { class: 'grid' });
  if (cm) grid.append(confusionMatrix(c.learner ? 'Confusion matrix (your counts)' : 'Confusion matrix (reference)', cm));
  if (metricsShown) grid.append(h('div', {}, metricsTable(m.learner ? 'Per class (your metrics; the reference in brackets)' : 'Per class (reference metrics)', metricsShown, m.learner && m.reference ? m.reference : undefined)));
  parts.push(grid);
  if (state.showTables && cm) parts.push(confusionTable('Confusion matrix as a table', cm));
  const speed = r.examplesPerSecond ? ` · ${formatNumber(r.examplesPerSecond)} examples/s` : '';
  parts.push(h('p', { class: 'note' }, `Training loop: ${r.stepsDone} steps in ${(r.durationMs / 1000).toFixed(1)} s${speed} · ${r.input.subset} messages, ${r.input.seqLen} tokens, ${r.input.epochs} epochs, peak learning rate ${r.input.lr}, encoder ${r.input.freezeEncoder ? 'frozen' : 'fine-tuned'}, seed ${r.input.seed}.`));
  resultsHost.replaceChildren(...parts);
  footer.textContent = `${model.labTitle ? `${model.labTitle}: ` : ''}${r.source}`;
  renderMisclassified(r);
}

function renderMisclassified(r: TrainingResultView): void {
  const list = r.misclassified;
  if (list.length === 0) {
    misclassifiedHost.replaceChildren(h('h2', {}, 'Misclassified messages'), h('p', { class: 'note' }, 'None: every validation message was classified right.'));
    return;
  }
  if (state.selected >= list.length) state.selected = 0;
  const layers = list[0].clsAttention.length;
  const heads = list[0].clsAttention[0]?.length ?? 0;
  const items = h('ol', { class: 'mis-list' });
  const detail = h('div', { class: 'mis-detail' });
  const buttons: HTMLElement[] = [];
  list.forEach((msg, i) => {
    const b = h('button', { class: 'mis-item', type: 'button', 'aria-pressed': String(i === state.selected) }, h('span', { class: 'mis-label' }, `${msg.label} → ${msg.predicted} (${Math.round(msg.probability * 100)} %)`), h('span', { class: 'mis-text' }, msg.text.slice(0, 140)));
    b.addEventListener('click', () => {
      state.selected = i;
      save();
      buttons.forEach((x, j) => x.setAttribute('aria-pressed', String(j === i)));
      drawDetail();
    });
    b.addEventListener('keydown', (e) => {
      const k = (e as KeyboardEvent).key;
      const next = k === 'ArrowDown' ? i + 1 : k === 'ArrowUp' ? i - 1 : -1;
      if (next >= 0 && next < buttons.length) {
        e.preventDefault();
        buttons[next].focus();
        buttons[next].click();
      }
    });
    buttons.push(b);
    items.append(h('li', {}, b));
  });
  const layerOptions: [string, string][] = Array.from({ length: layers }, (_, l) => [String(l), `layer ${l + 1}`]);
  const headOptions: [string, string][] = [['-1', 'mean of heads'], ...Array.from({ length: heads }, (_, k) => [String(k), `head ${k + 1}`] as [string, string])];
  const layer = state.layer < 0 || state.layer >= layers ? layers - 1 : state.layer;
  const pickers = h(
    'div',
    { class: 'fields' },
    selectField('Layer', String(layer), layerOptions, (v) => {
      state.layer = Number(v);
      save();
      drawDetail();
    }),
    selectField('Head', String(state.head), headOptions, (v) => {
      state.head = Number(v);
      save();
      drawDetail();
    }),
  );
  function drawDetail(): void {
    const msg: MisclassifiedView = list[state.selected];
    const l = state.layer < 0 || state.layer >= layers ? layers - 1 : state.layer;
    const w = clsWeights(msg.clsAttention, l, state.head);
    const which = `layer ${l + 1}, ${state.head < 0 ? 'mean of heads' : `head ${state.head + 1}`}`;
    detail.replaceChildren(
      h('p', { class: 'note' }, `Message ${state.selected + 1}: labelled ${msg.label}, predicted ${msg.predicted} with p = ${formatNumber(msg.probability)}. Shading: the [CLS] token's attention to each token (${which}).`),
      attentionTokens(msg.tokens, w, `[CLS] attention over message ${state.selected + 1}, ${which}`),
      ...(state.showTables ? [dataTable(`[CLS] attention, ${which}`, ['position', 'token', 'weight'], msg.tokens.map((t, i) => [i, t, w[i]]), false)] : []),
    );
  }
  misclassifiedHost.replaceChildren(
    h('h2', {}, `Misclassified messages (${list.length})`),
    h('p', { class: 'note' }, 'Validation messages the fine-tuned model got wrong. Pick one (arrow keys move through the list) to see which tokens the [CLS] token attends to; the classifier head reads only the [CLS] position.'),
    h('div', { class: 'mis-grid' }, items, h('div', {}, pickers, detail)),
  );
  drawDetail();
}

// ---- events ----
startButton.addEventListener('click', () => {
  if (startButton.hasAttribute('disabled')) return;
  send({ type: 'start', body: { input: state.input } });
});
cancelButton.addEventListener('click', () => {
  if (!cancelButton.hasAttribute('disabled')) send({ type: 'cancel', body: {} });
});
tablesButton.addEventListener('click', () => {
  state.showTables = !state.showTables;
  tablesButton.textContent = state.showTables ? 'Hide tables' : 'Show tables';
  tablesButton.setAttribute('aria-pressed', String(state.showTables));
  save();
  renderCurves();
  renderResults();
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data as HostToTrainingMessage | null;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !m.body || typeof m.body !== 'object') return;
  const { model: next, changed } = reduce(model, m);
  model = next;
  try {
    if (changed.status) renderStatus();
    if (changed.curves) renderCurves();
    if (changed.result) renderResults();
  } catch (err) {
    phaseDetail.hidden = false;
    phaseDetail.textContent = `The panel could not draw these numbers: ${String((err as Error)?.message ?? err)}`;
  }
});

renderFields();
renderStatus();
renderCurves();
send({ type: 'ready', body: {} });
