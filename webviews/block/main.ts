// Lab 2's panel: the learner's encoder stack on a sentence, Pre-LN and Post-LN side by side —
// residual-stream norm, activation mean and std, and gradient norm per layer (why Pre-LN is
// the stable default at depth) — and the attention maps per layer and head (bundled to
// dist/webviews/block.js).
import type { BlockRun, BlockViewData, BlockViewInput, LayerStats } from '../../core/protocol/views/blockView';
import { dataTable, heatmap, lineChart, Series } from '../shared/charts';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { DrawContext, numberField, selectField, startLabView, textField } from '../shared/labViewApp';
import { formatNumber } from '../shared/scale';

interface Input extends Required<BlockViewInput> {
  /** Display only: which stack's attention maps, which layer, whose maps. */
  mapsOf: 'pre' | 'post';
  mapLayer: number;
  mapSide: 'learner' | 'reference';
}

const DEFAULTS: Input = { sentence: 'The animal did not cross the street because it was too tired', layers: 12, heads: 2, mapsOf: 'pre', mapLayer: 1, mapSide: 'learner' };

function normalize(i: Partial<Input>): Input {
  const layers = Math.min(24, Math.max(1, Math.round(Number(i.layers) || DEFAULTS.layers)));
  return {
    sentence: typeof i.sentence === 'string' ? i.sentence.slice(0, 300) : DEFAULTS.sentence,
    layers,
    heads: [1, 2, 4].includes(Number(i.heads)) ? Number(i.heads) : DEFAULTS.heads,
    mapsOf: i.mapsOf === 'post' ? 'post' : 'pre',
    mapLayer: Math.min(layers, Math.max(1, Math.round(Number(i.mapLayer) || 1))),
    mapSide: i.mapSide === 'reference' ? 'reference' : 'learner',
  };
}

const COLORS = { pre: 'var(--vscode-charts-blue)', post: 'var(--vscode-charts-orange)' };

type Metric = { key: keyof LayerStats; title: string; y: string; log?: boolean };
const METRICS: Metric[] = [
  { key: 'residualNorm', title: t('Residual-stream norm'), y: t('mean ‖h_l[i]‖₂') },
  { key: 'std', title: t('Activation std'), y: t('std of h_l') },
  { key: 'mean', title: t('Activation mean'), y: t('mean of h_l') },
  { key: 'gradNorm', title: t('Gradient norm per layer'), y: 'log₁₀ ‖∂loss/∂θ_l‖', log: true },
];

function seriesFor(runs: BlockRun[], m: Metric): Series[] {
  const out: Series[] = [];
  const y = (v: number) => (m.log ? (v > 0 ? Math.log10(v) : NaN) : v);
  for (const r of runs) {
    const name = r.norm === 'pre' ? 'Pre-LN' : 'Post-LN';
    if (r.learner) out.push({ name: t('{0} (yours)', name), points: r.learner.map((s) => [s.layer, y(s[m.key] as number)]), color: COLORS[r.norm], markers: true });
    out.push({ name: t('{0} (reference)', name), points: r.reference.map((s) => [s.layer, y(s[m.key] as number)]), color: COLORS[r.norm], dashed: true });
  }
  return out;
}

function draw(host: HTMLElement, d: BlockViewData, input: Input, ctx: DrawContext): void {
  const parts: Node[] = [];
  for (const r of d.runs) if (r.learnerError) parts.push(ctx.errorNote(t('Your {0} stack', r.norm === 'pre' ? 'Pre-LN' : 'Post-LN'), r.learnerError, r.norm === 'pre' ? 'preLN' : 'postLN'));
  parts.push(
    h(
      'p',
      { class: 'note attention-source' },
      d.attentionSource === 'learner'
        ? t('Attention inside these blocks is your own Lab 1 code (attention.ts).')
        : d.attentionSource === 'reference'
          ? t("Attention inside these blocks is the course's reference: your Lab 1 folder was not found (paste your own Lab 1 attention into attention.ts to use it).")
          : t('attention.ts exports its own multiHeadAttention.'),
    ),
  );
  parts.push(
    h(
      'section',
      { class: 'section' },
      h('h2', {}, t('Through {0} blocks: Pre-LN against Post-LN', d.input.layers)),
      h('p', { class: 'note' }, d.runs.map((r) => r.label).join(' · ')),
      h('div', { class: 'grid' }, ...METRICS.map((m) => lineChart({ title: m.title, xLabel: t('layer'), yLabel: m.y, series: seriesFor(d.runs, m), width: 380, height: 220 }))),
      ...(ctx.showTables
        ? d.runs.map((r) =>
            dataTable(t('{0} per layer (yours / reference)', r.norm === 'pre' ? 'Pre-LN' : 'Post-LN'), [t('layer'), t('norm'), t('ref norm'), t('std'), t('ref std'), t('mean'), t('ref mean'), t('grad norm'), t('ref grad norm')], r.reference.map((s, i) => {
              const l = r.learner?.[i];
              return [s.layer, l?.residualNorm ?? '—', s.residualNorm, l?.std ?? '—', s.std, l?.mean ?? '—', s.mean, l?.gradNorm ?? '—', s.gradNorm ?? '—'];
            }), false),
          )
        : []),
    ),
  );
  const run = d.runs.find((r) => r.norm === input.mapsOf) ?? d.runs[0];
  const layer = Math.min(input.mapLayer, run.attention.reference.length) - 1;
  const side = input.mapSide === 'learner' && run.attention.learner ? 'learner' : 'reference';
  const maps = (side === 'learner' ? run.attention.learner! : run.attention.reference)[layer] ?? [];
  parts.push(
    h(
      'section',
      { class: 'section' },
      h(
        'h2',
        {},
        side === 'learner'
          ? t('Attention in layer {0} of the {1} stack (yours)', layer + 1, run.norm === 'pre' ? 'Pre-LN' : 'Post-LN')
          : t('Attention in layer {0} of the {1} stack (reference)', layer + 1, run.norm === 'pre' ? 'Pre-LN' : 'Post-LN'),
      ),
      h('p', { class: 'note' }, t('Rows are queries, columns keys; each row sums to 1. The weights are seeded random, not trained: the patterns show the computation, not meaning.')),
      h('div', { class: 'grid' }, ...maps.map((m, hd) => heatmap({ title: t('Head {0}', hd + 1), matrix: m, rowLabel: t('query'), colLabel: t('key'), rowLabels: d.tokens, colLabels: d.tokens, range: [0, 1] }))),
      ...(ctx.showTables ? maps.map((m, hd) => dataTable(t('Layer {0}, head {1}', layer + 1, hd + 1), [t('query \\ key'), ...d.tokens], m.map((r, i) => [d.tokens[i], ...r]), false)) : []),
    ),
  );
  parts.push(h('p', { class: 'source' }, t('{0} d_model = {1}. Tolerance {2}.', d.source, d.dModel, formatNumber(d.tolerance))));
  host.replaceChildren(...parts);
}

startLabView<Input, BlockViewData>({
  view: 'block',
  defaults: DEFAULTS,
  normalize,
  // Which stack's maps, which layer and whose only redraw: the numbers for all of them are here.
  requestOf: ({ sentence, layers, heads }) => ({ sentence, layers, heads }),
  controls(input, change) {
    return h(
      'div',
      {},
      textField(t('Sentence'), input.sentence, (v) => change({ sentence: v })),
      numberField(t('Blocks'), input.layers, 1, 24, (v) => change({ layers: v })),
      selectField(t('Heads'), String(input.heads), [['1', '1'], ['2', '2'], ['4', '4']], (v) => change({ heads: Number(v) })),
      selectField(t('Maps of'), input.mapsOf, [['pre', t('Pre-LN stack')], ['post', t('Post-LN stack')]], (v) => change({ mapsOf: v as Input['mapsOf'] })),
      numberField(t('Layer'), input.mapLayer, 1, input.layers, (v) => change({ mapLayer: v })),
      selectField(t('Whose'), input.mapSide, [['learner', t('yours')], ['reference', t('reference')]], (v) => change({ mapSide: v as Input['mapSide'] })),
    );
  },
  draw,
});
