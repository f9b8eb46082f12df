// The panel of a view that has no page of its own: the views of labs outside the build
// (transformerLabs.labPaths). Draws any JSON the lab's visualize function returns — the
// learner's numbers beside the reference with their difference, matrices as heatmaps, the rest as
// values — and lets the learner edit the view's input as JSON (bundled to dist/webviews/lab-data.js).
import { dataTable, heatmap } from '../shared/charts';
import { h } from '../shared/dom';
import { DrawContext, startLabView } from '../shared/labViewApp';
import { formatNumber } from '../shared/scale';
import { tags } from '../shared/toolkit';
import { layOut } from './layout';

type Input = Record<string, unknown>;

function draw(host: HTMLElement, data: unknown, _input: Input, ctx: DrawContext): void {
  const l = layOut(data);
  const parts: Node[] = [];
  if (l.learnerError) parts.push(ctx.errorNote('Your function', { message: l.learnerError }));
  if (l.comparison) {
    const c = l.comparison;
    const verdict =
      c.maxAbsDiff === null ? 'Your function gave no result: the reference is shown.' : `Largest difference from the reference: ${formatNumber(c.maxAbsDiff)}.`;
    parts.push(h('section', { class: 'section' }, h('h2', {}, 'Yours beside the reference'), h('p', { class: 'note verdict' }, verdict), dataTable('Yours beside the reference', c.columns, c.rows, false)));
  }
  if (l.matrices) {
    const m = l.matrices;
    parts.push(
      h(
        'section',
        { class: 'section' },
        h('h2', {}, 'Yours beside the reference'),
        h('div', { class: 'grid' }, ...(m.learner ? [heatmap({ title: 'Yours', matrix: m.learner, rowLabel: 'row', colLabel: 'column' })] : []), heatmap({ title: 'Reference', matrix: m.reference, rowLabel: 'row', colLabel: 'column' })),
        ...(ctx.showTables ? [...(m.learner ? [dataTable('Yours', ['row', ...m.learner[0].map((_, j) => String(j))], m.learner.map((r, i) => [i, ...r]), false)] : []), dataTable('Reference', ['row', ...m.reference[0].map((_, j) => String(j))], m.reference.map((r, i) => [i, ...r]), false)] : []),
      ),
    );
  }
  if (l.scalars.length > 0) parts.push(h('dl', { class: 'values' }, ...l.scalars.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  for (const [k, v] of l.rest) parts.push(h('section', { class: 'section' }, h('h2', {}, k), h('pre', { class: 'json' }, v)));
  host.replaceChildren(...parts);
}

startLabView<Input, unknown>({
  // This page draws whichever view the extension opened it for.
  view: '*',
  defaults: {},
  normalize: (i) => (i && typeof i === 'object' && !Array.isArray(i) ? { ...i } : {}),
  controls(input, change) {
    const box = h('textarea', { id: 'input-json', rows: '2', cols: '60', spellcheck: 'false', 'aria-describedby': 'input-json-help' }) as HTMLTextAreaElement;
    box.value = JSON.stringify(input);
    const help = h('span', { id: 'input-json-help', class: 'note' }, 'The input the lab\'s view gets, as a JSON object; Ctrl+Enter applies it ({} for the default).');
    const problem = h('span', { class: 'input-problem', role: 'status' });
    const apply = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(box.value || '{}');
      } catch (err) {
        problem.textContent = `Not JSON: ${(err as Error).message}`;
        return;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problem.textContent = 'The input must be a JSON object, like {"scores": [1, 2, 3]}.';
        return;
      }
      problem.textContent = '';
      // Keys left out go back to the view's defaults.
      change(Object.fromEntries(Object.keys({ ...input, ...parsed }).map((k) => [k, (parsed as Input)[k]])));
    };
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        apply();
      }
    });
    const button = h(tags.button, { appearance: 'primary', class: 'apply' }, 'Apply');
    button.addEventListener('click', apply);
    return h('div', { class: 'json-input' }, h('label', { for: 'input-json' }, 'Input (JSON)'), box, button, help, problem);
  },
  draw,
});
