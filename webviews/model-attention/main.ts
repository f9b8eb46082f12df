// The attention panel's model mode (Lab 6): the learner's attention function run inside the
// trained mini-GPT on a prompt — maps per layer and head beside the reference's, and the text
// the model generates with each (bundled to dist/webviews/model-attention.js).
import type { ModelAttentionViewData, ModelAttentionViewInput } from '../../core/protocol/views/decodingView';
import { dataTable, heatmap } from '../shared/charts';
import { h } from '../shared/dom';
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

const show = (t: string) => (t === ' ' ? '␠' : t === '\n' ? '⏎' : t);

function draw(host: HTMLElement, d: ModelAttentionViewData, input: Input, ctx: DrawContext): void {
  const parts: Node[] = [];
  const learner = d.maps.learner;
  if (d.maps.learnerError) parts.push(ctx.errorNote('Attention inside the model', d.maps.learnerError, 'attention'));
  if (d.dropped.length > 0) parts.push(h('p', { class: 'message' }, `Left out of the prompt (not in the model's vocabulary): ${d.dropped.map((c) => JSON.stringify(c)).join(' ')}`));
  if (learner) {
    const diff = maxAbsDiff(learner, d.maps.reference);
    parts.push(
      h(
        'p',
        { class: diff <= d.tolerance ? 'agree ok' : 'agree bad', role: 'status' },
        Number.isNaN(diff) ? 'Your attention maps have a different shape from the reference.' : diff <= d.tolerance ? `Your attention reproduces the model's (max |difference| ${formatNumber(diff)} over ${d.nLayer} layers × ${d.nHead} heads).` : `Your attention differs from the reference inside the model by up to ${formatNumber(diff)}.`,
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
      return heatmap({ title: `Head ${hd + 1}`, matrix: m, rowLabel: 'query', colLabel: 'key', rowLabels: labels, colLabels: labels, range: mode === 'difference' ? undefined : [0, 1] });
    });
    parts.push(h('section', { class: 'section' }, h('h2', {}, `Layer ${l + 1} (${mode === 'learner' ? 'yours' : mode})`), h('div', { class: 'grid' }, ...maps)));
    if (ctx.showTables) {
      for (let hd = 0; hd < d.nHead; hd++) {
        const m = (mode === 'learner' && learner ? learner : d.maps.reference)[l][hd];
        parts.push(dataTable(`Layer ${l + 1}, head ${hd + 1} (${mode === 'learner' && learner ? 'yours' : 'reference'})`, ['query \\ key', ...labels], m.map((r, i) => [labels[i], ...r]), false));
      }
    }
  }
  const gen = d.generated;
  parts.push(
    h(
      'section',
      { class: 'section' },
      h('h2', {}, 'What the model writes next (greedy, 32 characters)'),
      ...(gen.learnerError ? [ctx.errorNote('Generation with your attention', gen.learnerError, 'attention')] : []),
      h('div', { class: 'grid' }, h('figure', { class: 'chart-figure' }, h('figcaption', {}, 'With your attention'), h('pre', { class: 'generated' }, gen.learner ?? '—')), h('figure', { class: 'chart-figure' }, h('figcaption', {}, 'With the reference attention'), h('pre', { class: 'generated' }, gen.reference))),
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
      textField('Prompt', input.prompt, (v) => change({ prompt: v })),
      selectField('Show', input.show, [['learner', 'your attention'], ['reference', 'reference'], ['difference', '|yours − reference|']], (v) => change({ show: v as Input['show'] })),
      selectField('Layer', String(input.layer), [['-1', 'all layers'], ['0', 'layer 1'], ['1', 'layer 2'], ['2', 'layer 3'], ['3', 'layer 4']], (v) => change({ layer: Number(v) })),
    );
  },
  draw,
});
