// Lab 3's panel: the learner's positional encodings beside the reference — the sinusoidal
// matrix, similarity against distance for every scheme, RoPE as a rotation, ALiBi's biases per
// head and the extrapolation plot (bundled to dist/webviews/positions.js).
import type { PositionsPart, PositionsViewData, PositionsViewInput } from '../../core/protocol/views/positionsView';
import { bars, dataTable, heatmap, lineChart, Series } from '../shared/charts';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { DrawContext, numberField, startLabView } from '../shared/labViewApp';
import { formatNumber, maxAbsDiff } from '../shared/scale';

type Input = Required<PositionsViewInput>;

const DEFAULTS: Input = { maxPosition: 64, dModel: 32, heads: 8, trainLength: 32, ropePair: 1 };

function clampInt(v: unknown, lo: number, hi: number, dflt: number): number {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : dflt;
}

function normalize(i: Partial<Input>): Input {
  let dModel = clampInt(i.dModel, 2, 128, DEFAULTS.dModel);
  if (dModel % 2 === 1) dModel += 1;
  return {
    maxPosition: clampInt(i.maxPosition, 4, 128, DEFAULTS.maxPosition),
    dModel,
    heads: clampInt(i.heads, 1, 16, DEFAULTS.heads),
    trainLength: clampInt(i.trainLength, 2, 128, DEFAULTS.trainLength),
    ropePair: clampInt(i.ropePair, 0, dModel / 2 - 1, DEFAULTS.ropePair),
  };
}

function section(title: string, note: string, ...children: Node[]): HTMLElement {
  return h('section', { class: 'section' }, h('h2', {}, title), h('p', { class: 'note' }, note), ...children);
}

/** "matches the reference" / "differs by up to …" for one part. */
function agreement<T>(part: PositionsPart<T>, tolerance: number): HTMLElement {
  if (part.learner === null) return h('p', { class: 'agree' });
  const d = maxAbsDiff(part.learner, part.reference);
  const ok = d <= tolerance;
  return h(
    'p',
    { class: ok ? 'agree ok' : 'agree bad', role: 'status' },
    Number.isNaN(d)
      ? t('Your result has a different shape from the reference.')
      : ok
        ? t('Yours matches the reference (max |difference| {0}).', formatNumber(d))
        : t('Yours differs from the reference by up to {0} (tolerance {1}).', formatNumber(d), formatNumber(tolerance)),
  );
}

const SCHEME_NAMES: Record<string, string> = { sinusoidal: t('sinusoidal'), learned: t('learned'), rope: 'RoPE', alibi: 'ALiBi' };

function draw(host: HTMLElement, d: PositionsViewData, _input: Input, ctx: DrawContext): void {
  const parts: Node[] = [];
  const tol = d.tolerance;

  // 1. Sinusoidal matrix.
  const sin = d.sinusoidal;
  const sinShown = sin.learner ?? sin.reference;
  parts.push(
    section(
      t('Sinusoidal encoding'),
      t('PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(…): rows are positions 0..{0}, columns the {1} dimensions. Low dimensions oscillate fast, high ones slowly.', sinShown.length - 1, sinShown[0]?.length ?? 0),
      ...(sin.learnerError ? [ctx.errorNote(t('The sinusoidal encoding'), sin.learnerError, 'sinusoidalEncoding')] : []),
      agreement(sin, tol),
      h(
        'div',
        { class: 'grid' },
        heatmap({ title: sin.learner ? t('Yours') : t('Reference'), matrix: sinShown, rowLabel: t('position'), colLabel: t('dimension'), diverging: true, range: [-1, 1] }),
        ...(sin.learner ? [heatmap({ title: t('Reference'), matrix: sin.reference, rowLabel: t('position'), colLabel: t('dimension'), diverging: true, range: [-1, 1] })] : []),
      ),
      ...(ctx.showTables ? [dataTable(t('Sinusoidal encoding (yours, or the reference), first 16 positions'), [t('position'), ...sinShown[0].map((_, j) => t('dim {0}', j))], sinShown.slice(0, 16).map((r, i) => [i, ...r]), false)] : []),
    ),
  );

  // 2. Similarity against distance.
  const series: Series[] = [];
  const errs: Node[] = [];
  d.similarity.curves.forEach((c, i) => {
    const color = ['var(--vscode-charts-blue)', 'var(--vscode-charts-orange)', 'var(--vscode-charts-green)', 'var(--vscode-charts-purple)'][i % 4];
    const pts = (ys: number[]) => ys.map((y, k) => [d.similarity.distances[k], y] as [number, number]);
    if (c.learner) series.push({ name: t('{0} (yours)', SCHEME_NAMES[c.scheme]), points: pts(c.learner), color });
    series.push({ name: t('{0} (reference)', SCHEME_NAMES[c.scheme]), points: pts(c.reference), color, dashed: true });
    if (c.learnerError) errs.push(ctx.errorNote(t('The {0} curve', SCHEME_NAMES[c.scheme]), c.learnerError));
  });
  parts.push(
    section(
      t('Similarity against distance'),
      d.similarity.curves.map((c) => `${SCHEME_NAMES[c.scheme]}: ${c.measure}`).join(' · '),
      ...errs,
      lineChart({ title: t('Similarity of positions k apart'), xLabel: t('distance k'), yLabel: t('similarity'), series, width: 560, height: 260 }),
      ...(ctx.showTables
        ? [dataTable(t('Similarity against distance'), ['k', ...d.similarity.curves.flatMap((c) => [t('{0} yours', SCHEME_NAMES[c.scheme]), t('{0} reference', SCHEME_NAMES[c.scheme])])], d.similarity.distances.map((k, i) => [k, ...d.similarity.curves.flatMap((c) => [c.learner ? c.learner[i] : '—', c.reference[i]])]), false)]
        : []),
    ),
  );

  // 3. RoPE rotation.
  const rope = d.ropeRotation;
  const ropeSeries: Series[] = [];
  if (rope.learner) ropeSeries.push({ name: t('yours'), points: rope.learner, markers: true });
  ropeSeries.push({ name: t('reference'), points: rope.reference, dashed: true, color: 'var(--vscode-charts-orange)' });
  parts.push(
    section(
      t('RoPE: pair {0} rotating as the position grows', rope.pair),
      t('The unit vector in dimensions ({0}, {1}) turns by θ = {2} rad per position; its length never changes, and q·k depends only on how far apart the two positions are.', 2 * rope.pair, 2 * rope.pair + 1, formatNumber(rope.theta)),
      ...(rope.learnerError ? [ctx.errorNote(t('The RoPE rotation'), rope.learnerError, 'applyRope')] : []),
      agreement(rope, tol),
      lineChart({ title: t('Rotated pair (x, y) at positions 0, 1, 2, …'), xLabel: 'x', yLabel: 'y', series: ropeSeries, width: 300, height: 300, yDomain: [-1.05, 1.05] }),
      ...(ctx.showTables ? [dataTable(t('RoPE rotation'), [t('position'), t('x (yours)'), t('y (yours)'), t('x (ref)'), t('y (ref)')], rope.reference.map((p, i) => [i, rope.learner?.[i]?.[0] ?? '—', rope.learner?.[i]?.[1] ?? '—', p[0], p[1]]), false)] : []),
    ),
  );

  // 4. ALiBi.
  const a = d.alibi;
  const slopes = a.slopes.learner ?? a.slopes.reference;
  const bias = a.bias.learner ?? a.bias.reference;
  const toNum = (m: (number | null)[][]) => m.map((r) => r.map((v) => (v === null ? NaN : v)));
  const allBias = bias.flat(2).filter((v): v is number => v !== null);
  const range: [number, number] = [Math.min(0, ...allBias), 0];
  parts.push(
    section(
      t('ALiBi: a linear distance penalty per head'),
      t('bias[h][i][j] = −m_h·(i − j) for keys j ≤ i (later keys are masked). Slopes m_h form a geometric sequence; with 8 heads they are 1/2, 1/4, …, 1/256.'),
      ...(a.slopes.learnerError ? [ctx.errorNote(t('The ALiBi slopes'), a.slopes.learnerError, 'alibiSlopes')] : []),
      ...(a.bias.learnerError ? [ctx.errorNote(t('The ALiBi bias'), a.bias.learnerError, 'alibiBias')] : []),
      agreement(a.slopes, tol),
      bars(a.slopes.learner ? t('Slopes per head (yours)') : t('Slopes per head (reference)'), slopes.map((m, i) => ({ label: t('head {0}', i + 1), value: m }))),
      h('div', { class: 'grid' }, ...bias.map((m, i) => heatmap({ title: t('Head {0} (m = {1})', i + 1, formatNumber(slopes[i])), matrix: toNum(m), rowLabel: t('query'), colLabel: t('key'), range, nonFiniteIsMasked: true, cell: 5 }))),
      ...(ctx.showTables ? [dataTable(t('ALiBi slopes'), [t('head'), t('yours'), t('reference')], a.slopes.reference.map((m, i) => [i + 1, a.slopes.learner?.[i] ?? '—', m]), false)] : []),
    ),
  );

  // 5. Extrapolation.
  const ex = d.extrapolation;
  // A learner part stopped by the time limit marks every curve (core/checks/labView.ts).
  const exError = ex.learnerError ?? ex.curves.find((c) => c.learnerError)?.learnerError;
  const exSeries: Series[] = [];
  ex.curves.forEach((c, i) => {
    const color = ['var(--vscode-charts-blue)', 'var(--vscode-charts-orange)', 'var(--vscode-charts-green)', 'var(--vscode-charts-purple)'][i % 4];
    const pts = (ys: (number | null)[]) => ys.map((y, k) => [ex.positions[k], y === null ? NaN : y] as [number, number]);
    if (c.learner) exSeries.push({ name: t('{0} (yours)', SCHEME_NAMES[c.scheme]), points: pts(c.learner), color });
    exSeries.push({ name: t('{0} (reference)', SCHEME_NAMES[c.scheme]), points: pts(c.reference), color, dashed: true });
  });
  const breaks = ex.curves.filter((c) => c.breaksAt.reference !== null).map((c) => t('{0} stops at position {1}', SCHEME_NAMES[c.scheme], c.breaksAt.reference ?? ''));
  parts.push(
    section(
      t('Beyond the training length'),
      t('Positions 0..{0}; the dotted line is the training length {1}. {2}', ex.positions.length - 1, ex.trainLength, breaks.join('; ') || t('Every scheme has a value at every position.')),
      ...(exError ? [ctx.errorNote(t('The extrapolation study'), exError, 'extrapolationStudy')] : []),
      lineChart({ title: t('How position p relates to position 0'), xLabel: t('position p'), yLabel: t('value'), series: exSeries, width: 560, height: 260, vline: { x: ex.trainLength, label: t('training length') } }),
      ...(ctx.showTables ? [dataTable(t('Extrapolation'), [t('position'), ...ex.curves.flatMap((c) => [t('{0} yours', SCHEME_NAMES[c.scheme]), t('{0} reference', SCHEME_NAMES[c.scheme])])], ex.positions.map((p, i) => [p, ...ex.curves.flatMap((c) => [c.learner?.[i] ?? '—', c.reference[i] ?? '—'])]), false)] : []),
    ),
  );

  parts.push(h('p', { class: 'source' }, d.source));
  host.replaceChildren(...parts);
}

startLabView<Input, PositionsViewData>({
  view: 'positions',
  defaults: DEFAULTS,
  normalize,
  controls(input, change) {
    return h(
      'div',
      {},
      numberField(t('Positions'), input.maxPosition, 4, 128, (v) => change({ maxPosition: v })),
      numberField(t('d_model (even)'), input.dModel, 2, 128, (v) => change({ dModel: v })),
      numberField(t('ALiBi heads'), input.heads, 1, 16, (v) => change({ heads: v })),
      numberField(t('Training length'), input.trainLength, 2, 128, (v) => change({ trainLength: v })),
      numberField(t('RoPE pair'), input.ropePair, 0, input.dModel / 2 - 1, (v) => change({ ropePair: v })),
    );
  },
  draw,
});
