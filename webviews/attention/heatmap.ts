// The heatmap: an ARIA grid, queries down and keys across, token labels on both axes.
// One cell holds the tab stop (roving tabindex); arrow keys, Home/End and Ctrl+Home/End move
// it. Hover and focus both report the cell's label, e.g. "query 'cat' → key 'sat': 0.310".
import { CellView, moveFocus, shortValue, ViewMode } from './cells';
import { accentFor, cellColor, cellTextColor } from './colorScale';
import { h } from '../shared/dom';
import { t } from '../shared/l10n';
import { cellLabel } from './labels';

/** Above this many tokens the numbers no longer fit inside the cells. */
const MAX_TOKENS_WITH_NUMBERS = 14;
const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End']);

export interface HeatmapProps {
  tokens: string[];
  /** cells[query][key], shape [n, n]. */
  cells: CellView[][];
  mode: ViewMode;
  tolerance: number;
  caption: string;
  focus: [number, number];
  onFocusCell(row: number, col: number): void;
  /** A cell was hovered or focused; `text` is its label. */
  onReadout(text: string): void;
}

export function renderHeatmap(host: HTMLElement, p: HeatmapProps): void {
  const n = p.tokens.length;
  const hadFocus = host.contains(document.activeElement);
  const grid = h('div', { class: 'heatmap', role: 'grid', 'aria-label': p.caption, 'aria-rowcount': String(n + 1), 'aria-colcount': String(n + 1) });
  grid.style.gridTemplateColumns = `max-content repeat(${n}, minmax(1.75rem, 2.6rem))`;
  const accent = accentFor(p.mode);
  const numbers = n <= MAX_TOKENS_WITH_NUMBERS;

  const header = h('div', { class: 'grid-row', role: 'row' }, h('div', { class: 'corner', role: 'columnheader' }, t('query ↓ key →')));
  p.tokens.forEach((token, j) => header.append(h('div', { class: 'col-label', role: 'columnheader', title: t('key {0}: {1}', j + 1, token) }, token)));
  grid.append(header);

  const cellEls: HTMLElement[][] = [];
  p.cells.forEach((row, i) => {
    const r = h('div', { class: 'grid-row', role: 'row' }, h('div', { class: 'row-label', role: 'rowheader', title: t('query {0}: {1}', i + 1, p.tokens[i]) }, p.tokens[i]));
    cellEls.push([]);
    row.forEach((cell, j) => {
      const label = cellLabel(p.mode, p.tokens, i, j, cell, p.tolerance);
      const c = h('div', { class: cell.disagrees ? 'cell disagrees' : 'cell', role: 'gridcell', 'aria-label': label, title: label });
      c.dataset.row = String(i);
      c.dataset.col = String(j);
      // CSSOM writes, not style attributes, so the strict CSP (no 'unsafe-inline') allows them.
      c.style.background = cellColor(cell.intensity, accent);
      c.style.color = cellTextColor(cell.intensity);
      c.tabIndex = i === p.focus[0] && j === p.focus[1] ? 0 : -1;
      if (numbers) c.textContent = shortValue(cell.value);
      c.addEventListener('mouseenter', () => p.onReadout(label));
      c.addEventListener('focus', () => {
        // A click focuses a cell too: keep exactly one tab stop, on the focused cell.
        if (c.tabIndex !== 0) {
          for (const other of grid.querySelectorAll<HTMLElement>('.cell[tabindex="0"]')) other.tabIndex = -1;
          c.tabIndex = 0;
        }
        p.onReadout(label);
        p.onFocusCell(i, j);
      });
      cellEls[i].push(c);
      r.append(c);
    });
    grid.append(r);
  });

  grid.addEventListener('keydown', (e) => {
    const from = e.target as HTMLElement;
    if (from.dataset.row === undefined || !NAV_KEYS.has(e.key)) return;
    const [r, c] = moveFocus(Number(from.dataset.row), Number(from.dataset.col), e.key, n, n, e.ctrlKey || e.metaKey);
    const next = cellEls[r]?.[c];
    e.preventDefault();
    if (!next) return;
    if (next === from) return;
    from.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  host.replaceChildren(grid);
  if (hadFocus) cellEls[p.focus[0]]?.[p.focus[1]]?.focus();
}
