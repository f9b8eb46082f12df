// The attention panel's arithmetic, kept free of the DOM so plain mocha can test it.

export type ViewMode = 'learner' | 'reference' | 'difference';

export interface CellView {
  /** The number shown for the cell. */
  value: number;
  /** 0..1 intensity for the colour scale. */
  intensity: number;
  /** In difference mode: |learner − reference| exceeds the tolerance. */
  disagrees: boolean;
}

/** Per-cell values for a mode; null when the learner matrix is missing or mis-shaped. */
export function cellsFor(
  mode: ViewMode,
  learner: number[][] | null,
  reference: number[][],
  tolerance: number,
): CellView[][] | null {
  if (mode === 'reference') return reference.map((row) => row.map((v) => ({ value: v, intensity: clamp01(v), disagrees: false })));
  if (!learner || learner.length !== reference.length || learner.some((r, i) => r.length !== reference[i].length)) return null;
  if (mode === 'learner') return learner.map((row) => row.map((v) => ({ value: v, intensity: clamp01(v), disagrees: false })));
  let max = 0;
  const diffs = learner.map((row, i) => row.map((v, j) => (Number.isFinite(v) ? Math.abs(v - reference[i][j]) : Infinity)));
  for (const row of diffs) for (const d of row) if (Number.isFinite(d)) max = Math.max(max, d);
  return diffs.map((row) =>
    row.map((d) => ({ value: d, intensity: d === Infinity ? 1 : max > 0 ? d / max : 0, disagrees: !(d <= tolerance) })),
  );
}

export function countDisagreements(cells: CellView[][]): number {
  return cells.reduce((n, row) => n + row.filter((c) => c.disagrees).length, 0);
}

export function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1;
}

/** CSS colour for an intensity: theme background mixed towards a theme accent. */
export function cellColor(intensity: number, accentVar = '--vscode-charts-blue'): string {
  const pct = Math.round(clamp01(intensity) * 100);
  return `color-mix(in srgb, var(${accentVar}) ${pct}%, var(--vscode-editor-background))`;
}

/** What a screen reader says for a cell. */
export function cellLabel(mode: ViewMode, query: string, key: string, cell: CellView): string {
  const v = formatValue(cell.value);
  if (mode === 'difference') {
    return `query "${query}", key "${key}": differs from the reference by ${v}${cell.disagrees ? ', disagrees' : ''}`;
  }
  return `query "${query}" attends to key "${key}" with weight ${v}`;
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(1);
  return v.toFixed(3);
}

/** Arrow-key movement inside an n×m grid, clamped at the edges. */
export function moveFocus(row: number, col: number, key: string, rows: number, cols: number): [number, number] {
  switch (key) {
    case 'ArrowUp':
      return [Math.max(0, row - 1), col];
    case 'ArrowDown':
      return [Math.min(rows - 1, row + 1), col];
    case 'ArrowLeft':
      return [row, Math.max(0, col - 1)];
    case 'ArrowRight':
      return [row, Math.min(cols - 1, col + 1)];
    case 'Home':
      return [row, 0];
    case 'End':
      return [row, cols - 1];
    default:
      return [row, col];
  }
}
