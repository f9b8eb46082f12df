// The panel of a view that has no page of its own: the views of labs outside the build
// (transformerLabs.labPaths). Draws any JSON the lab's visualize function returns — the
// learner's numbers beside the reference with their difference, matrices as heatmaps, the rest as
// values — and lets the learner edit the view's input as JSON (bundled to dist/webviews/lab-data.js).
import { dataTable, heatmap } from '../shared/charts';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { DrawContext, startLabView } from '../shared/labViewApp';
import { formatNumber } from '../shared/scale';
import { tags } from '../shared/toolkit';
import { layOut } from './layout';

type Input = Record<string, unknown>;

function draw(host: HTMLElement, data: unknown, _input: Input, ctx: DrawContext): void {
  const l = layOut(data);
  const parts: Node[] = [];
  if (l.learnerError) parts.push(ctx.errorNote(t('Your function'), { message: l.learnerError }));
  if (l.comparison) {
    const c = l.comparison;
    const verdict =
      c.maxAbsDiff === null ? t('Your function gave no result: the reference is shown.') : t('Largest difference from the reference: {0}.', formatNumber(c.maxAbsDiff));
    parts.push(h('section', { class: 'section' }, h('h2', {}, t('Yours beside the reference')), h('p', { class: 'note verdict' }, verdict), dataTable(t('Yours beside the reference'), c.columns, c.rows, false)));
  }
  if (l.matrices) {
    const m = l.matrices;
    parts.push(
      h(
        'section',
        { class: 'section' },
        h('h2', {}, t('Yours beside the reference')),
        h('div', { class: 'grid' }, ...(m.learner ? [heatmap({ title: t('Yours'), matrix: m.learner, rowLabel: t('row'), colLabel: t('column') })] : []), heatmap({ title: t('Reference'), matrix: m.reference, rowLabel: t('row'), colLabel: t('column') })),
        ...(ctx.showTables ? [...(m.learner ? [dataTable(t('Yours'), [t('row'), ...m.learner[0].map((_, j) => String(j))], m.learner.map((r, i) => [i, ...r]), false)] : []), dataTable(t('Reference'), [t('row'), ...m.reference[0].map((_, j) => String(j))], m.reference.map((r, i) => [i, ...r]), false)] : []),
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
    const help = h('span', { id: 'input-json-help', class: 'note' }, t("The input the lab's view gets, as a JSON object; Ctrl+Enter applies it ({} for the default)."));
    const problem = h('span', { class: 'input-problem', role: 'status' });
    const apply = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(box.value || '{}');
      } catch (err) {
        problem.textContent = t('Not JSON: {0}', (err as Error).message);
        return;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problem.textContent = t('The input must be a JSON object, like {"scores": [1, 2, 3]}.');
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
    const button = h(tags.button, { appearance: 'primary', class: 'apply' }, t('Apply'));
    button.addEventListener('click', apply);
    return h('div', { class: 'json-input' }, h('label', { for: 'input-json' }, t('Input (JSON)')), box, button, help, problem);
  },
  draw,
});
