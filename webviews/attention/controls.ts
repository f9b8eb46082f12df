// The inputs (sentence, mask, pad tokens, heads) and the view bar (view, head); the tables
// toggle and the busy ring are the shared page runtime's. Builds toolkit elements through
// webviews/shared/toolkit and reports every edit as a reducer Action; `sync` writes a state
// back into the elements.
import { registerToolkit, setDisabled, setValue, tags, valueOf } from '../shared/toolkit';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { Action, DEFAULT_MODEL_LAYERS, HEAD_COUNTS, MAX_PAD_TOKENS, PanelState } from './state';

registerToolkit();

export interface Controls {
  inputs: HTMLElement;
  viewBar: HTMLElement;
  sync(state: PanelState): void;
  /** Head picker options for data with `count` heads; the view radios a missing learner matrix rules out; the model's layer count. */
  syncData(count: number, head: number, learnerMissing: boolean, modelLayers?: number): void;
}

const TYPING_DELAY_MS = 300;

function radioGroup(label: string, options: [string, string][], onChange: (v: string) => void): { group: HTMLElement; radios: Map<string, HTMLElement> } {
  const group = h(tags.radioGroup, { orientation: 'horizontal' }, h('label', { slot: 'label' }, label));
  const radios = new Map<string, HTMLElement>();
  for (const [value, text] of options) {
    const r = h(tags.radio, { value }, text);
    radios.set(value, r);
    group.append(r);
  }
  group.addEventListener('change', () => onChange(valueOf(group)));
  return { group, radios };
}

export function buildControls(send: (a: Action) => void): Controls {
  // Toolkit elements emit change when their value is set from code; those are not edits.
  let syncing = false;
  const dispatch = (a: Action) => {
    if (!syncing) send(a);
  };
  const quietly = (f: () => void) => {
    syncing = true;
    try {
      f();
    } finally {
      syncing = false;
    }
  };
  let typing: number | undefined;
  const debounced = (a: Action) => {
    window.clearTimeout(typing);
    typing = window.setTimeout(() => send(a), TYPING_DELAY_MS);
  };

  const source = radioGroup(t('Q, K and V from'), [['random', t('seeded random embedding')], ['model', t('trained mini-GPT')]], (value) => dispatch({ type: 'source', value }));
  const layer = h(tags.dropdown, { id: 'layer', 'aria-label': t('Layer of the mini-GPT') });
  let layerCount = 0;
  const setLayers = (count: number) => {
    if (count === layerCount) return;
    layerCount = count;
    layer.replaceChildren(...Array.from({ length: count }, (_, i) => h(tags.option, { value: String(i + 1) }, t('layer {0} of {1}', i + 1, count))));
  };
  setLayers(DEFAULT_MODEL_LAYERS);
  layer.addEventListener('change', () => dispatch({ type: 'layer', value: valueOf(layer) }));
  const layerField = h('div', { class: 'field' }, h('label', { for: 'layer' }, t('Layer')), layer);

  const sentence = h(tags.textField, { class: 'sentence', placeholder: t('Type a sentence') }, t('Sentence'));
  sentence.addEventListener('input', () => !syncing && debounced({ type: 'sentence', value: valueOf(sentence) }));
  sentence.addEventListener('change', () => dispatch({ type: 'sentence', value: valueOf(sentence) }));

  const mask = radioGroup(t('Mask'), [['none', t('none')], ['causal', t('causal')], ['padding', t('padding')]], (value) => dispatch({ type: 'mask', value }));

  const pad = h(tags.textField, { size: '3', maxlength: '2', 'aria-describedby': 'pad-error' }, t('Pad tokens (0–{0})', MAX_PAD_TOKENS));
  pad.addEventListener('input', () => !syncing && debounced({ type: 'padTokens', value: valueOf(pad) }));
  const padError = h('p', { id: 'pad-error', class: 'field-error', role: 'alert' });

  const heads = h(tags.dropdown, { id: 'heads', 'aria-label': t('Number of heads') });
  for (const n of HEAD_COUNTS) heads.append(h(tags.option, { value: String(n) }, n === 1 ? t('1 head: attention()') : t('{0} heads: multiHeadAttention()', n)));
  heads.addEventListener('change', () => dispatch({ type: 'heads', value: valueOf(heads) }));
  const headsField = h('div', { class: 'field' }, h('label', { for: 'heads' }, t('Heads')), heads);

  const inputs = h(
    'section',
    { class: 'controls', 'aria-label': t('Inputs') },
    h('div', { class: 'row' }, source.group, layerField),
    sentence,
    h('div', { class: 'row' }, mask.group, h('div', { class: 'field' }, pad, padError), headsField),
  );

  const mode = radioGroup(t('View'), [['learner', t('Yours')], ['reference', t('Reference')], ['difference', t('Difference')]], (value) => dispatch({ type: 'mode', value }));
  const head = h(tags.dropdown, { id: 'head', 'aria-label': t('Head to show') });
  head.addEventListener('change', () => dispatch({ type: 'head', value: valueOf(head) }));
  const headField = h('div', { class: 'field' }, h('label', { for: 'head' }, t('Head')), head);
  const viewBar = h('section', { class: 'viewbar', 'aria-label': t('View') }, mode.group, headField);

  let headCount = 0;
  /** The latest numbers have no usable matrix of the learner's (syncData): sync must not tick "Yours" again. */
  let learnerMissingNow = false;
  /** The view the learner chose (state.mode), shown again once their matrix is back. */
  let chosenMode = 'learner';
  return {
    inputs,
    viewBar,
    sync: (state) => quietly(() => {
      // Never overwrite a field the learner is typing in.
      const model = state.source === 'model';
      if (document.activeElement !== sentence) setValue(sentence, state.sentence);
      setValue(source.group, state.source);
      setValue(layer, String(state.layer));
      layerField.hidden = !model;
      setValue(mask.group, state.mask);
      setDisabled(mask.radios.get('padding')!, model);
      if (document.activeElement !== pad) setValue(pad, state.padError ? valueOf(pad) : String(state.padTokens));
      setDisabled(pad, state.mask !== 'padding' || model);
      padError.textContent = state.padError ?? '';
      setValue(heads, String(state.heads));
      // With the model the layer's own heads are drawn, each through your attention().
      setDisabled(heads, model);
      sentence.setAttribute('placeholder', model ? t('Type a text (characters the model knows)') : t('Type a sentence'));
      // With no matrix of the learner's the reference is drawn, whatever view was chosen.
      chosenMode = state.mode;
      setValue(mode.group, learnerMissingNow ? 'reference' : chosenMode);
    }),
    syncData: (count, shown, learnerMissing, modelLayers) => quietly(() => {
      if (modelLayers) {
        const chosen = valueOf(layer);
        setLayers(modelLayers);
        setValue(layer, chosen);
      }
      if (count !== headCount) {
        headCount = count;
        head.replaceChildren(...Array.from({ length: count }, (_, i) => h(tags.option, { value: String(i) }, count === 1 ? t('single head') : t('head {0} of {1}', i + 1, count))));
      }
      setValue(head, String(shown));
      setDisabled(head, count <= 1);
      learnerMissingNow = learnerMissing;
      for (const m of ['learner', 'difference']) setDisabled(mode.radios.get(m)!, learnerMissing);
      setValue(mode.group, learnerMissing ? 'reference' : chosenMode);
    }),
  };
}
