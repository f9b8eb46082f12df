// The attention panel's model mode (Lab 6): the learner's attention function run inside the
// trained mini-GPT on a prompt — maps per layer and head beside the reference's, and the text
// the model generates with each (bundled to dist/webviews/model-attention.js).
import type { ModelAttentionViewData, ModelAttentionViewInput } from '../../core/protocol/views/decodingView';
import { dataTable, heatmap } from '../shared/charts';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { DrawContext, selectField, startLabView, textField } from '../shared/labViewApp';
import { formatNumber, maxAbsDiff } from '../shared/scale';

interface Input extends ModelAttentionViewInput {
  /** Which maps to draw: the learner's, the reference's, or |difference|. */
  show: 'learner' | 'reference' | 'difference';
  /** -1 = every layer. */
  layer: number;
}

const DEFAULTS: Input = { prompt: 'Call me Ishmael.', show: 'learner', layer: -1 };

function normalize(i: Partial<Input>): Input {
  return {
    prompt: typeof i.prompt === 'string' ? i.prompt.slice(0, 64) : DEFAULTS.prompt,
    show: i.show === 'reference' || i.show === 'difference' ? i.show : 'learner',
    layer: Number.isInteger(i.layer) && (i.layer as number) >= -1 && (i.layer as number) < 16 ? (i.layer as number) : -1,
  };
}

const show = (token: string) => (token === ' ' ? '␠' : token === '\n' ? '⏎' : token);

function draw(host: HTMLElement, d: ModelAttentionViewData, input: Input, ctx: DrawContext): void {
  const parts: Node[] = [];
  const learner = d.maps.learner;
  if (d.maps.learnerError) parts.push(ctx.errorNote(t('Attention inside the model'), d.maps.learnerError, 'attention'));
  if (d.dropped.length > 0) parts.push(h('p', { class: 'message' }, t("Left out of the prompt (not in the model's vocabulary): {0}", d.dropped.map((c) => JSON.stringify(c)).join(' '))));
  if (learner) {
    const diff = maxAbsDiff(learner, d.maps.reference);
    parts.push(
      h(
        'p',
        { class: diff <= d.tolerance ? 'agree ok' : 'agree bad', role: 'status' },
        Number.isNaN(diff)
          ? t('Your attention maps have a different shape from the reference.')
          : diff <= d.tolerance
            ? t("Your attention reproduces the model's (max |difference| {0} over {1} layers × {2} heads).", formatNumber(diff), d.nLayer, d.nHead)
            : t('Your attention differs from the reference inside the model by up to {0}.', formatNumber(diff)),
      ),
    );
  }
  const mode = input.show === 'learner' && !learner ? 'reference' : input.show;
  const layers = input.layer === -1 ? [...Array(d.nLayer).keys()] : [Math.min(input.layer, d.nLayer - 1)];
  const labels = d.tokens.map(show);
  for (const l of layers) {
    const maps = [...Array(d.nHead).keys()].map((hd) => {
      const ref = d.maps.reference[l][hd];
      const mine = learner?.[l]?.[hd];
      const m = mode === 'reference' || !mine ? ref : mode === 'difference' ? mine.map((r, i) => r.map((v, j) => Math.abs(v - ref[i][j]))) : mine;
      return heatmap({ title: t('Head {0}', hd + 1), matrix: m, rowLabel: t('query'), colLabel: t('key'), rowLabels: labels, colLabels: labels, range: mode === 'difference' ? undefined : [0, 1] });
    });
    parts.push(h('section', { class: 'section' }, h('h2', {}, mode === 'learner' ? t('Layer {0} (yours)', l + 1) : mode === 'reference' ? t('Layer {0} (reference)', l + 1) : t('Layer {0} (difference)', l + 1)), h('div', { class: 'grid' }, ...maps)));
    if (ctx.showTables) {
      for (let hd = 0; hd < d.nHead; hd++) {
        const m = (mode === 'learner' && learner ? learner : d.maps.reference)[l][hd];
        parts.push(dataTable(mode === 'learner' && learner ? t('Layer {0}, head {1} (yours)', l + 1, hd + 1) : t('Layer {0}, head {1} (reference)', l + 1, hd + 1), [t('query \\ key'), ...labels], m.map((r, i) => [labels[i], ...r]), false));
      }
    }
  }
  const gen = d.generated;
  parts.push(
    h(
      'section',
      { class: 'section' },
      h('h2', {}, t('What the model writes next (greedy, 32 characters)')),
      ...(gen.learnerError ? [ctx.errorNote(t('Generation with your attention'), gen.learnerError, 'attention')] : []),
      h('div', { class: 'grid' }, h('figure', { class: 'chart-figure' }, h('figcaption', {}, t('With your attention')), h('pre', { class: 'generated' }, gen.learner ?? '—')), h('figure', { class: 'chart-figure' }, h('figcaption', {}, t('With the reference attention')), h('pre', { class: 'generated' }, gen.reference))),
    ),
  );
  parts.push(h('p', { class: 'source' }, d.source));
  host.replaceChildren(...parts);
}

startLabView<Input, ModelAttentionViewData>({
  view: 'model-attention',
  defaults: DEFAULTS,
  normalize,
  controls(input, change) {
    return h(
      'div',
      {},
      textField(t('Prompt'), input.prompt, (v) => change({ prompt: v })),
      selectField(t('Show'), input.show, [['learner', t('your attention')], ['reference', t('reference')], ['difference', t('|yours − reference|')]], (v) => change({ show: v as Input['show'] })),
      selectField(t('Layer'), String(input.layer), [['-1', t('all layers')], ['0', t('layer {0}', 1)], ['1', t('layer {0}', 2)], ['2', t('layer {0}', 3)], ['3', t('layer {0}', 4)]], (v) => change({ layer: Number(v) })),
    );
  },
  draw,
});
