// The same numbers as a real <table>, always in the page for assistive technology; the
// runtime's "Show tables" button only makes it visible.
import { CellView, formatValue } from './cells';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';

export function renderTable(host: HTMLElement, tokens: string[], cells: CellView[][], caption: string, difference: boolean): void {
  const head = h('tr', {}, h('th', { scope: 'col' }, t('query \\ key')), ...tokens.map((token) => h('th', { scope: 'col' }, token)));
  const body = cells.map((row, i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, tokens[i]),
      ...row.map((cell) => h('td', difference && cell.disagrees ? { class: 'disagrees' } : {}, difference && cell.disagrees ? t('{0} (differs)', formatValue(cell.value)) : formatValue(cell.value))),
    ),
  );
  host.replaceChildren(h('table', {}, h('caption', {}, caption), h('thead', {}, head), h('tbody', {}, ...body)));
}
