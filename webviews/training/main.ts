// Lab 5's training panel (bundled to dist/webviews/training.js): the fine-tuning inputs, Start
// and Cancel, live loss / learning-rate / validation curves, then the metrics, the confusion
// matrix and the misclassified messages with the [CLS] attention over their tokens.
// The page is built once; a progress tick redraws only the curves, so focus, the selected
// message and the error notes stay put (and screen readers are not re-told what they heard).
import type { FineTuneTaskResult, HostToTrainingMessage, PartError, TrainingInput, TrainingToHostMessage } from '../../core/protocol/trainingPanel';
import type { MisclassifiedMessage } from '../../core/protocol/views/trainingView';
import { dataTable } from '../shared/charts';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { numberField, selectField } from '../shared/labViewApp';
import { registerToolkit, setDisabled, tags } from '../shared/toolkit';
import { formatNumber } from '../shared/scale';
import { attentionTokens, confusionMatrix, confusionTable, curveTables, gradNormChart, lossChart, lrChart, metricChart, metricsTable, Span } from './charts';
import { clsWeights, initialModel, isBusy, liveLine, PAGE_DEFAULTS, PageModel, PRESETS, reduce } from './model';

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

/** The lab clips the global gradient norm to this (sidecar/reference/encoder/finetune.ts MAX_GRAD_NORM). */
const MAX_GRAD_NORM = 1;

registerToolkit();
const api = acquireVsCodeApi();
const saved = (api.getState() ?? {}) as Partial<Saved>;
const state: Saved = {
  // The host checks the bounds (src/panels/trainingData.ts) and says which field is wrong.
  input: { ...PAGE_DEFAULTS, ...(saved.input ?? {}) },
  showTables: saved.showTables === true,
  selected: saved.selected ?? 0,
  layer: saved.layer ?? -1,
  head: saved.head ?? -1,
};
let model: PageModel = initialModel();
const send = (m: TrainingToHostMessage) => api.postMessage(m);
const save = () => api.setState(state);

// ---- the page, built once ----
const startButton = h(tags.button, {}, t('Start fine-tuning'));
const cancelButton = h(tags.button, { appearance: 'secondary', disabled: '' }, t('Cancel'));
const tablesButton = h(tags.button, { appearance: 'secondary', 'aria-pressed': String(state.showTables) }, state.showTables ? t('Hide tables') : t('Show tables'));
const fields = h('div', { class: 'fields' });
const phaseNote = h('p', { class: 'phase-note', role: 'status' });
const phaseDetail = h('p', { class: 'detail' });
const progressBar = h('progress', { max: '1', value: '0', 'aria-label': t('Fine-tuning progress') }) as HTMLProgressElement;
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
  h('section', { class: 'section' }, h('h2', {}, t('Training curves')), h('p', { class: 'note' }, t('The loss of every training batch (faint) and smoothed; validation loss, accuracy, F1 of spam and how much hard ham stays ham after each evaluation; the learning rate and the gradient norm (before clipping) of every update.')), curves, curveTablesHost),
  h('section', { class: 'section', 'aria-label': t('Results') }, resultsHost),
  h('section', { class: 'section', 'aria-label': t('Misclassified messages') }, misclassifiedHost),
  footer,
);

function change(patch: Partial<TrainingInput>): void {
  state.input = { ...state.input, ...patch };
  save();
}

function renderFields(): void {
  const freeze = h(tags.checkbox, state.input.freezeEncoder ? { checked: '' } : {}, t('Freeze the encoder (train the head only)'));
  freeze.addEventListener('change', () => change({ freezeEncoder: (freeze as unknown as { checked: boolean }).checked }));
  fields.replaceChildren(
    numberField(t('Training messages'), state.input.subset, 16, 4000, (v) => change({ subset: v })),
    numberField(t('Tokens per message'), state.input.seqLen, 8, 128, (v) => change({ seqLen: v })),
    numberField(t('Epochs'), state.input.epochs, 1, 50, (v) => change({ epochs: v })),
    numberField(t('Peak learning rate'), state.input.lr, 1e-6, 0.1, (v) => change({ lr: v }), 0),
    numberField(t('Messages per step'), state.input.batchSize, 1, 1024, (v) => change({ batchSize: v })),
    numberField(t('Seed'), state.input.seed, 0, 2 ** 31 - 1, (v) => change({ seed: v })),
    selectField(t('Encoder weights'), state.input.init, [['pretrained', t('pretrained (shipped)')], ['random', t('random initialisation')]], (v) => change({ init: v as TrainingInput['init'] })),
    selectField(t('Sentence vector'), state.input.pooling, [['cls', t('[CLS] hidden state')], ['mean', t('mean over real tokens')]], (v) => change({ pooling: v as TrainingInput['pooling'] })),
    h('div', { class: 'field checkbox-field' }, freeze),
    h('div', { class: 'field' }, h('label', {}, t('Presets')), h('div', { class: 'buttons' }, ...PRESETS.map(presetButton))),
  );
  renderStatus();
}

function presetButton(p: (typeof PRESETS)[number]): HTMLElement {
  const b = h(tags.button, { appearance: 'secondary', title: Object.entries(p.input).map(([k, v]) => `${k} ${v}`).join(', ') }, p.name);
  b.addEventListener('click', () => {
    if (b.hasAttribute('disabled')) return;
    state.input = { ...p.input };
    save();
    renderFields();
  });
  return b;
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
  for (const f of fields.querySelectorAll(`${tags.textField}, ${tags.checkbox}, ${tags.dropdown}, ${tags.button}`)) setDisabled(f, busy);
}

function renderCurves(): void {
  if (model.steps.length === 0 && model.evals.length === 0) {
    curves.replaceChildren(h('p', { class: 'empty' }, isBusy(model.phase) ? t('The first step is on its way…') : t('No run yet: the curves appear here while fine-tuning runs.')));
    curveTablesHost.replaceChildren();
    return;
  }
  // While it runs (or when it ran to the end) the x axis spans the whole run; a stopped run's spans what it did.
  const lastStep = model.steps[model.steps.length - 1]?.step ?? 0;
  const lastEval = model.evals[model.evals.length - 1]?.step ?? 0;
  const stopped = model.phase === 'cancelled' || model.phase === 'failed';
  const span: Span = !stopped && model.totalSteps ? [0, model.totalSteps] : [0, Math.max(1, lastStep, lastEval)];
  curves.replaceChildren(lossChart(model.steps, model.evals, span), metricChart(model.evals, span), lrChart(model.steps, span), gradNormChart(model.steps, MAX_GRAD_NORM, span));
  curveTablesHost.replaceChildren(...(state.showTables ? curveTables(model.steps, model.evals) : []));
}

function revealButton(name: string): HTMLElement {
  const b = h(tags.button, { appearance: 'secondary' }, t('Go to {0}()', name));
  b.addEventListener('click', () => send({ type: 'revealFunction', body: { name } }));
  return b;
}

/** A learner function that failed where the reference could stand in: what, where, and what ran instead. */
function partErrorNote(p: PartError): HTMLElement {
  const loc = p.error.location;
  const text =
    loc && !p.error.message.includes(`${loc.file}:${loc.line}`)
      ? t('{0}() could not be used: {1} ({2}:{3}). {4}', p.fn, p.error.message, loc.file, loc.line, p.fallback)
      : t('{0}() could not be used: {1}. {2}', p.fn, p.error.message, p.fallback);
  return h('div', { class: 'message error part-error' }, h('p', {}, text), revealButton(p.fn));
}

function countsText(c: Record<string, number>): string {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  return `${total} (${Object.entries(c).map(([g, n]) => `${n} ${g.replace('-', ' ')}`).join(', ')})`;
}

function renderResults(): void {
  const r = model.result;
  if (!r) {
    resultsHost.replaceChildren();
    misclassifiedHost.replaceChildren();
    footer.textContent = '';
    return;
  }
  const labels = r.classNames;
  const parts: Node[] = [h('h2', {}, r.status === 'cancelled' ? t('Results: the run was cancelled') : t('Results on the validation sample'))];
  parts.push(...r.partErrors.map(partErrorNote));
  if (r.referenceParts.length > 0) {
    parts.push(
      h('div', { class: 'message info' }, h('p', {}, t("Still at their TODO, so the course's reference ran in their place: {0}. Everything else is your code.", r.referenceParts.map((f) => `${f}()`).join(', '))), h('div', { class: 'buttons' }, ...r.referenceParts.map(revealButton))),
    );
  }
  if (r.final && r.confusion) {
    const f = r.final;
    const grid = h('div', { class: 'grid' });
    grid.append(confusionMatrix(t('Confusion matrix ({0} updates)', r.evals[r.evals.length - 1]?.step ?? 0), labels, r.confusion));
    const fromReference = r.referenceParts.includes('classificationMetrics') || r.partErrors.some((p) => p.fn === 'classificationMetrics');
    const title = fromReference ? t("Per class, from the course's reference metrics") : t('Per class, from your classificationMetrics');
    grid.append(h('div', {}, metricsTable(title, labels, f.perClass, [[t('accuracy'), f.accuracy], [t('macro F1'), f.macroF1], [t('hard ham classified as ham'), f.hardHamAccuracy]])));
    parts.push(grid);
    if (state.showTables) parts.push(confusionTable(t('Confusion matrix as a table (rows: true class)'), labels, r.confusion));
  } else {
    parts.push(h('p', { class: 'note' }, t('No final evaluation: the run stopped before it. The curves above show every evaluation it made; the confusion matrix and the misclassified messages come at the end of a run.')));
  }
  const m = r.model;
  parts.push(
    h(
      'p',
      { class: 'note' },
      [
        t('Model: {0} layers, {1} heads, {2} parameters, {3} trained ({4} weights, {5} pooling).', m.layers, m.heads, m.parameters.toLocaleString('en'), m.trainedParameters.toLocaleString('en'), r.input.init, r.input.pooling === 'cls' ? '[CLS]' : t('mean')),
        t('Messages: training {0}, validation {1}.', countsText(r.data.train), countsText(r.data.validation)),
        t('Training loop: {0} updates in {1} s, {2} examples/s; whole run {3} s.', r.steps.length, (r.timing.trainMs / 1000).toFixed(1), formatNumber(r.timing.examplesPerSecond), (r.timing.totalMs / 1000).toFixed(1)),
      ].join(' '),
    ),
  );
  resultsHost.replaceChildren(...parts);
  footer.textContent = model.labTitle
    ? t('{0}: the shipped pretrained encoder (media/models/encoder, see its model card) fine-tuned on SpamAssassin messages; the validation sample is the same for every run.', model.labTitle)
    : t('the shipped pretrained encoder (media/models/encoder, see its model card) fine-tuned on SpamAssassin messages; the validation sample is the same for every run.');
  renderMisclassified(r, labels);
}

function renderMisclassified(r: FineTuneTaskResult, labels: string[]): void {
  const list = r.misclassified;
  if (!r.final) {
    misclassifiedHost.replaceChildren();
    return;
  }
  if (list.length === 0) {
    misclassifiedHost.replaceChildren(h('h2', {}, t('Misclassified messages')), h('p', { class: 'note' }, t('None: every validation message was classified right.')));
    return;
  }
  if (state.selected >= list.length) state.selected = 0;
  const layers = list[0].clsAttention.length;
  const heads = list[0].clsAttention[0]?.length ?? 0;
  const items = h('ol', { class: 'mis-list' });
  const detail = h('div', { class: 'mis-detail' });
  const buttons: HTMLElement[] = [];
  const pOf = (m: MisclassifiedMessage) => (m.predicted === 1 ? m.pSpam : 1 - m.pSpam);
  list.forEach((msg, i) => {
    const b = h(
      'button',
      { class: 'mis-item', type: 'button', 'aria-pressed': String(i === state.selected) },
      h('span', { class: 'mis-label' }, `${msg.group.replace('-', ' ')} → ${labels[msg.predicted]} (${Math.round(pOf(msg) * 100)} %)`),
      h('span', { class: 'mis-text' }, msg.text.slice(0, 140)),
    );
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
  const layerOptions: [string, string][] = Array.from({ length: layers }, (_, l) => [String(l), t('layer {0}', l + 1)]);
  const headOptions: [string, string][] = [['-1', t('mean of heads')], ...Array.from({ length: heads }, (_, k) => [String(k), t('head {0}', k + 1)] as [string, string])];
  const layerShown = () => (state.layer < 0 || state.layer >= layers ? layers - 1 : state.layer);
  const pickers = h(
    'div',
    { class: 'fields' },
    selectField(t('Layer'), String(layerShown()), layerOptions, (v) => {
      state.layer = Number(v);
      save();
      drawDetail();
    }),
    selectField(t('Head'), String(state.head), headOptions, (v) => {
      state.head = Number(v);
      save();
      drawDetail();
    }),
  );
  function drawDetail(): void {
    const msg = list[state.selected];
    const l = layerShown();
    const w = clsWeights(msg.clsAttention, l, state.head);
    const which = state.head < 0 ? t('layer {0}, mean of heads', l + 1) : t('layer {0}, head {1}', l + 1, state.head + 1);
    detail.replaceChildren(
      h('p', { class: 'note' }, t('{0} ({1}): labelled {2}, predicted {3}, p(spam) = {4}. Shading: how much [CLS] attends to each token, darkest the most ({5}).', msg.id, msg.group.replace('-', ' '), labels[msg.label], labels[msg.predicted], formatNumber(msg.pSpam), which)),
      attentionTokens(msg.tokens, w, t('[CLS] attention over {0}, {1}', msg.id, which)),
      ...(state.showTables ? [dataTable(t('[CLS] attention, {0}', which), [t('position'), t('token'), t('weight')], msg.tokens.map((token, i) => [i, JSON.stringify(token), w[i]]), false)] : []),
    );
  }
  misclassifiedHost.replaceChildren(
    h('h2', {}, t('Misclassified messages ({0})', list.length)),
    h('p', { class: 'note' }, t('Validation messages the fine-tuned model got wrong. Pick one (arrow keys move through the list) to see which tokens [CLS] attends to in each layer and head; with [CLS] pooling the head reads only that position.')),
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
  tablesButton.textContent = state.showTables ? t('Hide tables') : t('Show tables');
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
    phaseDetail.textContent = t('The panel could not draw these numbers: {0}', String((err as Error)?.message ?? err));
  }
});

renderFields();
renderStatus();
renderCurves();
send({ type: 'ready', body: {} });
