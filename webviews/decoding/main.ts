// Lab 6's decoding panel: the next-token distribution before and after the learner's
// temperature / top-k / top-p, the text their strategy generates beside the reference on the
// same seed, and beam search as a tree (bundled to dist/webviews/decoding.js).
import type { BeamTreeView, DecodingViewData, DecodingViewInput, GeneratedText, TokenBar } from '../../core/protocol/views/decodingView';
import { bars, dataTable } from '../shared/charts';
import { h, svg } from '../shared/dom';
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

const show = (t: string) => (t === ' ' ? '␠' : t === '\n' ? '⏎' : t);

function barItems(list: TokenBar[]): { label: string; value: number; kept: boolean }[] {
  return list.map((b) => ({ label: show(b.token), value: b.probability, kept: b.kept }));
}

function generatedText(title: string, g: GeneratedText, promptLength: number, other?: GeneratedText): HTMLElement {
  const prompt = g.text.slice(0, promptLength);
  const spans = g.steps.map((s, i) => {
    const differs = other && other.steps[i] && other.steps[i].id !== s.id;
    return h('span', { class: differs ? 'gen differs' : 'gen', title: `step ${i + 1}: ${JSON.stringify(s.token)} p = ${formatNumber(s.probability)}` }, s.token);
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
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart beam-tree', role: 'img', 'aria-label': `${title}: ${tree.nodes.length} nodes over ${cols} steps; best ${JSON.stringify(tree.best.text)}` });
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
      svg('title', {}, `${p.parent === -1 ? 'prompt' : JSON.stringify(p.token)} · step ${p.step} · log p = ${formatNumber(p.logProb)} · ${p.status}`),
    );
    root.append(g);
  }
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, title),
    h('div', { class: 'scroll' }, root),
    h('p', { class: 'note' }, `Best: ${JSON.stringify(tree.best.text)} — log p ${formatNumber(tree.best.logProb)}, score ${formatNumber(tree.best.score)}. Filled: kept; hollow: pruned; ringed: finished.`),
  );
}

function section(title: string, note: string, ...children: Node[]): HTMLElement {
  return h('section', { class: 'section' }, h('h2', {}, title), h('p', { class: 'note' }, note), ...children);
}

function draw(host: HTMLElement, d: DecodingViewData, _input: DecodingViewInput, ctx: DrawContext): void {
  const s = d.settings;
  const parts: Node[] = [];
  if (d.dropped.length > 0) parts.push(h('p', { class: 'message' }, `Left out of the prompt (not in the model's vocabulary): ${d.dropped.map((c) => JSON.stringify(c)).join(' ')}`));

  const dist = d.distribution;
  const shown = dist.learner ?? dist.reference;
  const max = Math.max(1e-9, ...shown.before.map((b) => b.probability), ...shown.after.map((b) => b.probability), ...dist.reference.after.map((b) => b.probability));
  parts.push(
    section(
      'Next character',
      `softmax(logits) for the prompt, top 20, then after temperature ${s.temperature}, top-k ${s.topK || 'off'}, top-p ${s.topP >= 1 ? 'off' : s.topP}. Struck-through bars are cut by the filters.`,
      ...(dist.learnerError ? [ctx.errorNote('The filtered distribution', dist.learnerError, 'applyTemperature')] : []),
      h(
        'div',
        { class: 'grid' },
        bars('Before the filters', barItems(shown.before), max),
        bars(dist.learner ? 'After your filters' : 'After the filters (reference)', barItems(shown.after), max),
        ...(dist.learner ? [bars('After the reference filters', barItems(dist.reference.after), max)] : []),
      ),
      ...(ctx.showTables
        ? [dataTable('Next-character distribution', ['token', 'p before', 'kept', 'p after (yours)', 'p after (reference)'], shown.before.map((b) => [show(b.token), b.probability, b.kept ? 'yes' : 'no', shown.after.find((a) => a.id === b.id)?.probability ?? 0, dist.reference.after.find((a) => a.id === b.id)?.probability ?? 0]), false)]
        : []),
    ),
  );

  const gen = d.generation;
  const promptLength = d.promptTokens.join('').length;
  parts.push(
    section(
      `Generated with ${s.strategy === 'beam' ? `beam search (width ${s.beamWidth})` : s.strategy === 'greedy' ? 'greedy decoding' : `sampling (seed ${s.seed})`}`,
      `${s.steps} new characters after the prompt; the same seed for yours and the reference. Characters where yours differs from the reference are marked.`,
      ...(gen.learnerError ? [ctx.errorNote('Your generation', gen.learnerError, s.strategy === 'beam' ? 'beamSearch' : 'generate')] : []),
      h('div', { class: 'grid' }, ...(gen.learner ? [generatedText('Yours', gen.learner, promptLength, gen.reference)] : []), generatedText('Reference', gen.reference, promptLength)),
      ...(ctx.showTables ? [dataTable('Generated characters', ['step', 'yours', 'p', 'reference', 'p'], gen.reference.steps.map((r, i) => [i + 1, gen.learner?.steps[i] ? show(gen.learner.steps[i].token) : '—', gen.learner?.steps[i]?.probability ?? '—', show(r.token), r.probability]), false)] : []),
    ),
  );

  if (d.beam) {
    const b = d.beam;
    parts.push(
      section(
        'Beam search tree',
        'Each column is a step; every surviving beam is extended by its best candidates, the best width are kept and the rest pruned. Hover a node for its character and cumulative log-probability.',
        ...(b.learnerError ? [ctx.errorNote('Your beam search', b.learnerError, 'beamSearch')] : []),
        h('div', { class: 'beams' }, ...(b.learner ? [beamTree('Yours', b.learner)] : []), beamTree('Reference', b.reference)),
        ...(ctx.showTables ? [dataTable('Beam tree (reference)', ['node', 'parent', 'step', 'token', 'log p', 'status'], b.reference.nodes.map((n) => [n.id, n.parent, n.step, show(n.token), n.logProb, n.status]), false)] : []),
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
    const step = h(tags.button, { appearance: 'secondary' }, 'Step +1');
    step.addEventListener('click', () => change({ steps: Math.min(64, input.steps + 1) }));
    const play = h(tags.button, { appearance: 'secondary', 'aria-pressed': String(!!playing) }, playing ? 'Stop' : 'Play');
    play.addEventListener('click', () => {
      if (playing) {
        clearInterval(playing);
        playing = undefined;
        play.textContent = 'Play';
        play.setAttribute('aria-pressed', 'false');
        return;
      }
      let n = 1;
      change({ steps: n });
      play.textContent = 'Stop';
      play.setAttribute('aria-pressed', 'true');
      playing = setInterval(() => {
        n += 1;
        if (n > 64) {
          clearInterval(playing);
          playing = undefined;
          play.textContent = 'Play';
          return;
        }
        change({ steps: n });
      }, 700);
    });
    return h(
      'div',
      {},
      textField('Prompt', input.prompt, (v) => change({ prompt: v })),
      selectField('Strategy', input.strategy, [['greedy', 'greedy'], ['sample', 'sampling'], ['beam', 'beam search']], (v) => change({ strategy: v as DecodingViewInput['strategy'] })),
      sliderField('Temperature', input.temperature, 0.05, 2, 0.05, (v) => change({ temperature: v })),
      sliderField('Top-k (0 = off)', input.topK, 0, 40, 1, (v) => change({ topK: v })),
      sliderField('Top-p (1 = off)', input.topP, 0.05, 1, 0.05, (v) => change({ topP: v })),
      numberField('Seed', input.seed, 0, 2 ** 31 - 1, (v) => change({ seed: v })),
      numberField('Steps', input.steps, 1, 64, (v) => change({ steps: v })),
      numberField('Beam width', input.beamWidth, 1, 8, (v) => change({ beamWidth: v })),
      h('div', { class: 'field' }, h('label', {}, 'Generate'), h('div', { class: 'slider-row' }, step, play)),
    );
  },
  draw,
});
