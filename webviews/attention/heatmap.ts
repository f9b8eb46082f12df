// The heatmap: a grid of cells (queries down, keys across) with token labels on both axes,
// hover and keyboard focus that read out the value, and a roving tabindex.
import { cellColor, cellLabel, CellView, formatValue, moveFocus, ViewMode } from '../../core/panels/heatmapLogic';

export function renderHeatmap(
  host: HTMLElement,
  tokens: string[],
  cells: CellView[][],
  mode: ViewMode,
  onFocusCell: (text: string) => void,
): void {
  const n = tokens.length;
  const grid = document.createElement('div');
  grid.className = 'heatmap';
  grid.setAttribute('role', 'grid');
  grid.setAttribute('aria-label', `attention weights, ${n} queries by ${n} keys`);
  grid.style.gridTemplateColumns = `max-content repeat(${n}, minmax(1.6rem, 2.4rem))`;

  const corner = document.createElement('div');
  corner.className = 'corner';
  corner.textContent = 'query ↓ key →';
  grid.append(corner);
  tokens.forEach((t) => {
    const h = document.createElement('div');
    h.className = 'col-label';
    h.setAttribute('role', 'columnheader');
    h.textContent = t;
    h.title = t;
    grid.append(h);
  });
  const buttons: HTMLElement[][] = [];
  cells.forEach((row, i) => {
    const label = document.createElement('div');
    label.className = 'row-label';
    label.setAttribute('role', 'rowheader');
    label.textContent = tokens[i];
    grid.append(label);
    buttons.push([]);
    row.forEach((cell, j) => {
      const c = document.createElement('div');
      c.className = 'cell' + (cell.disagrees ? ' disagrees' : '');
      c.setAttribute('role', 'gridcell');
      c.dataset.row = String(i);
      c.dataset.col = String(j);
      c.style.background = cellColor(cell.intensity, mode === 'difference' ? '--vscode-charts-red' : '--vscode-charts-blue');
      c.tabIndex = i === 0 && j === 0 ? 0 : -1;
      const text = cellLabel(mode, tokens[i], tokens[j], cell);
      c.setAttribute('aria-label', text);
      c.title = text;
      if (n <= 12) c.textContent = formatValue(cell.value).replace(/^0\./, '.');
      c.addEventListener('mouseenter', () => onFocusCell(text));
      c.addEventListener('focus', () => onFocusCell(text));
      buttons[i].push(c);
      grid.append(c);
    });
  });
  grid.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (!t.dataset.row) return;
    const [r, c] = moveFocus(Number(t.dataset.row), Number(t.dataset.col), e.key, n, n);
    const next = buttons[r]?.[c];
    if (next && next !== t) {
      e.preventDefault();
      t.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
  host.replaceChildren(grid);
}

/** The same numbers as a real table, for screen readers and for copying. */
export function renderTable(host: HTMLElement, tokens: string[], cells: CellView[][], caption: string): void {
  const table = document.createElement('table');
  const cap = document.createElement('caption');
  cap.textContent = caption;
  table.append(cap);
  const head = document.createElement('tr');
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = 'query \\ key';
  head.append(corner);
  for (const t of tokens) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t;
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  cells.forEach((row, i) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = tokens[i];
    tr.append(th);
    for (const cell of row) {
      const td = document.createElement('td');
      td.textContent = formatValue(cell.value) + (cell.disagrees ? ' ≠' : '');
      tr.append(td);
    }
    tbody.append(tr);
  });
  table.append(thead, tbody);
  host.replaceChildren(table);
}
