// Lab 6's decoding panel: the next-token distribution before and after the learner's
// temperature / top-k / top-p, the text their strategy generates beside the reference on the
// same seed, and beam search as a tree (bundled to dist/webviews/decoding.js).
import type { BeamTreeView, DecodingViewData, DecodingViewInput, GeneratedText, TokenBar } from '../../core/protocol/views/decodingView';
import { bars, dataTable } from '../shared/charts';
import { h, svg } from '../shared/dom';
import { t } from '../shared/l10n';
import { DrawContext, numberField, selectField, sliderField, startLabView, textField } from '../shared/labViewApp';
import { tags } from '../shared/toolkit';
import { formatNumber } from '../shared/scale';
import { layoutBeamTree, pathTo } from './beamLayout';

const DEFAULTS: DecodingViewInput = { prompt: 'Call me Ishmael. Some years ago', strategy: 'sample', temperature: 0.8, topK: 0, topP: 0.9, seed: 42, steps: 32, beamWidth: 4 };

function num(v: unknown, lo: number, hi: number, dflt: number, int = false): number {
  const n = Number(v);
  if (!Number.isFinite(n)) return dflt;
  const c = Math.min(hi, Math.max(lo, n));
  return int ? Math.round(c) : c;
}

function normalize(i: Partial<DecodingViewInput>): DecodingViewInput {
  const strategy = i.strategy === 'greedy' || i.strategy === 'beam' || i.strategy === 'sample' ? i.strategy : DEFAULTS.strategy;
  return {
    prompt: typeof i.prompt === 'string' ? i.prompt.slice(0, 200) : DEFAULTS.prompt,
    strategy,
    temperature: num(i.temperature, 0.05, 3, DEFAULTS.temperature),
    topK: num(i.topK, 0, 100, DEFAULTS.topK, true),
    topP: num(i.topP, 0.01, 1, DEFAULTS.topP),
    seed: num(i.seed, 0, 2 ** 31 - 1, DEFAULTS.seed, true),
    steps: num(i.steps, 1, 64, DEFAULTS.steps, true),
    beamWidth: num(i.beamWidth, 1, 8, DEFAULTS.beamWidth, true),
  };
}

const show = (token: string) => (token === ' ' ? '␠' : token === '\n' ? '⏎' : token);

function barItems(list: TokenBar[]): { label: string; value: number; kept: boolean }[] {
  return list.map((b) => ({ label: show(b.token), value: b.probability, kept: b.kept }));
}

function generatedText(title: string, g: GeneratedText, promptLength: number, other?: GeneratedText): HTMLElement {
  const prompt = g.text.slice(0, promptLength);
  const spans = g.steps.map((s, i) => {
    const differs = other && other.steps[i] && other.steps[i].id !== s.id;
    return h('span', { class: differs ? 'gen differs' : 'gen', title: t('step {0}: {1} p = {2}', i + 1, JSON.stringify(s.token), formatNumber(s.probability)) }, s.token);
  });
  return h('figure', { class: 'chart-figure text-figure' }, h('figcaption', {}, title), h('pre', { class: 'generated' }, h('span', { class: 'prompt' }, prompt), ...spans));
}

function beamTree(title: string, tree: BeamTreeView): HTMLElement {
  const { placed, cols, rows } = layoutBeamTree(tree.nodes);
  const best = tree.nodes.filter((n) => n.status === 'finished' || n.status === 'kept').sort((a, b) => b.step - a.step || b.logProb - a.logProb)[0];
  const onBest = best ? pathTo(tree.nodes, best.id) : new Set<number>();
  const CW = 46;
  const RH = 22;
  const W = cols * CW + 60;
  const H = Math.max(1, rows) * RH + 20;
  const pos = new Map(placed.map((p) => [p.id, { x: 20 + p.col * CW, y: 14 + p.row * RH }]));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart beam-tree', role: 'img', 'aria-label': t('{0}: {1} nodes over {2} steps; best {3}', title, tree.nodes.length, cols, JSON.stringify(tree.best.text)) });
  for (const p of placed) {
    const from = pos.get(p.parent);
    const to = pos.get(p.id)!;
    if (from) root.append(svg('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, class: `edge ${p.status}${onBest.has(p.id) ? ' best' : ''}` }));
  }
  for (const p of placed) {
    const { x, y } = pos.get(p.id)!;
    const g = svg('g', { class: `node ${p.status}${onBest.has(p.id) ? ' best' : ''}` });
    g.append(
      svg('circle', { cx: x, cy: y, r: 7 }),
      svg('text', { x, y: y + 3.5, 'text-anchor': 'middle' }, p.parent === -1 ? '▸' : show(p.token)),
      svg('title', {}, t('{0} · step {1} · log p = {2} · {3}', p.parent === -1 ? t('prompt') : JSON.stringify(p.token), p.step, formatNumber(p.logProb), p.status)),
    );
    root.append(g);
  }
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, title),
    h('div', { class: 'scroll' }, root),
    h('p', { class: 'note' }, t('Best: {0} — log p {1}, score {2}. Filled: kept; hollow: pruned; ringed: finished.', JSON.stringify(tree.best.text), formatNumber(tree.best.logProb), formatNumber(tree.best.score))),
  );
}

function section(title: string, note: string, ...children: Node[]): HTMLElement {
  return h('section', { class: 'section' }, h('h2', {}, title), h('p', { class: 'note' }, note), ...children);
}

function draw(host: HTMLElement, d: DecodingViewData, _input: DecodingViewInput, ctx: DrawContext): void {
  const s = d.settings;
  const parts: Node[] = [];
  if (d.dropped.length > 0) parts.push(h('p', { class: 'message' }, t("Left out of the prompt (not in the model's vocabulary): {0}", d.dropped.map((c) => JSON.stringify(c)).join(' '))));

  const dist = d.distribution;
  const shown = dist.learner ?? dist.reference;
  const max = Math.max(1e-9, ...shown.before.map((b) => b.probability), ...shown.after.map((b) => b.probability), ...dist.reference.after.map((b) => b.probability));
  parts.push(
    section(
      t('Next character'),
      t('softmax(logits) for the prompt, top 20, then after temperature {0}, top-k {1}, top-p {2}. Struck-through bars are cut by the filters.', s.temperature, s.topK || t('off'), s.topP >= 1 ? t('off') : s.topP),
      ...(dist.learnerError ? [ctx.errorNote(t('The filtered distribution'), dist.learnerError, 'applyTemperature')] : []),
      h(
        'div',
        { class: 'grid' },
        bars(t('Before the filters'), barItems(shown.before), max),
        bars(dist.learner ? t('After your filters') : t('After the filters (reference)'), barItems(shown.after), max),
        ...(dist.learner ? [bars(t('After the reference filters'), barItems(dist.reference.after), max)] : []),
      ),
      ...(ctx.showTables
        ? [dataTable(t('Next-character distribution'), [t('token'), t('p before'), t('kept'), t('p after (yours)'), t('p after (reference)')], shown.before.map((b) => [show(b.token), b.probability, b.kept ? t('yes') : t('no'), shown.after.find((a) => a.id === b.id)?.probability ?? 0, dist.reference.after.find((a) => a.id === b.id)?.probability ?? 0]), false)]
        : []),
    ),
  );

  const gen = d.generation;
  const promptLength = d.promptTokens.join('').length;
  parts.push(
    section(
      s.strategy === 'beam' ? t('Generated with beam search (width {0})', s.beamWidth) : s.strategy === 'greedy' ? t('Generated with greedy decoding') : t('Generated with sampling (seed {0})', s.seed),
      t('{0} new characters after the prompt; the same seed for yours and the reference. Characters where yours differs from the reference are marked.', s.steps),
      ...(gen.learnerError ? [ctx.errorNote(t('Your generation'), gen.learnerError, s.strategy === 'beam' ? 'beamSearch' : 'generate')] : []),
      h('div', { class: 'grid' }, ...(gen.learner ? [generatedText(t('Yours'), gen.learner, promptLength, gen.reference)] : []), generatedText(t('Reference'), gen.reference, promptLength)),
      ...(ctx.showTables ? [dataTable(t('Generated characters'), [t('step'), t('yours'), 'p', t('reference'), 'p'], gen.reference.steps.map((r, i) => [i + 1, gen.learner?.steps[i] ? show(gen.learner.steps[i].token) : '—', gen.learner?.steps[i]?.probability ?? '—', show(r.token), r.probability]), false)] : []),
    ),
  );

  if (d.beam) {
    const b = d.beam;
    parts.push(
      section(
        t('Beam search tree'),
        t('Each column is a step; every surviving beam is extended by its best candidates, the best width are kept and the rest pruned. Hover a node for its character and cumulative log-probability.'),
        ...(b.learnerError ? [ctx.errorNote(t('Your beam search'), b.learnerError, 'beamSearch')] : []),
        h('div', { class: 'beams' }, ...(b.learner ? [beamTree(t('Yours'), b.learner)] : []), beamTree(t('Reference'), b.reference)),
        ...(ctx.showTables ? [dataTable(t('Beam tree (reference)'), [t('node'), t('parent'), t('step'), t('token'), 'log p', t('status')], b.reference.nodes.map((n) => [n.id, n.parent, n.step, show(n.token), n.logProb, n.status]), false)] : []),
      ),
    );
  }
  parts.push(h('p', { class: 'source' }, d.source));
  host.replaceChildren(...parts);
}

let playing: ReturnType<typeof setInterval> | undefined;

startLabView<DecodingViewInput, DecodingViewData>({
  view: 'decoding',
  defaults: DEFAULTS,
  normalize,
  controls(input, change) {
    const step = h(tags.button, { appearance: 'secondary' }, t('Step +1'));
    step.addEventListener('click', () => change({ steps: Math.min(64, input.steps + 1) }));
    const play = h(tags.button, { appearance: 'secondary', 'aria-pressed': String(!!playing) }, playing ? t('Stop') : t('Play'));
    play.addEventListener('click', () => {
      if (playing) {
        clearInterval(playing);
        playing = undefined;
        play.textContent = t('Play');
        play.setAttribute('aria-pressed', 'false');
        return;
      }
      let n = 1;
      change({ steps: n });
      play.textContent = t('Stop');
      play.setAttribute('aria-pressed', 'true');
      playing = setInterval(() => {
        n += 1;
        if (n > 64) {
          clearInterval(playing);
          playing = undefined;
          play.textContent = t('Play');
          return;
        }
        change({ steps: n });
      }, 700);
    });
    return h(
      'div',
      {},
      textField(t('Prompt'), input.prompt, (v) => change({ prompt: v })),
      selectField(t('Strategy'), input.strategy, [['greedy', t('greedy')], ['sample', t('sampling')], ['beam', t('beam search')]], (v) => change({ strategy: v as DecodingViewInput['strategy'] })),
      sliderField(t('Temperature'), input.temperature, 0.05, 2, 0.05, (v) => change({ temperature: v })),
      sliderField(t('Top-k (0 = off)'), input.topK, 0, 40, 1, (v) => change({ topK: v })),
      sliderField(t('Top-p (1 = off)'), input.topP, 0.05, 1, 0.05, (v) => change({ topP: v })),
      numberField(t('Seed'), input.seed, 0, 2 ** 31 - 1, (v) => change({ seed: v })),
      numberField(t('Steps'), input.steps, 1, 64, (v) => change({ steps: v })),
      numberField(t('Beam width'), input.beamWidth, 1, 8, (v) => change({ beamWidth: v })),
      h('div', { class: 'field' }, h('label', {}, t('Generate')), h('div', { class: 'slider-row' }, step, play)),
    );
  },
  draw,
});
