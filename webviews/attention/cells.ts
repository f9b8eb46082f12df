// The numbers behind each heatmap cell for the three views. Pure (no DOM): the root tsconfig
// compiles this file too, for the unit tests in test/unit/panels.

export type ViewMode = 'learner' | 'reference' | 'difference';

export interface CellView {
  /** The number shown for the cell: a weight, or |learner − reference| in the difference view. */
  value: number;
  /** 0..1 position on the colour scale. */
  intensity: number;
  /** Difference view only: |learner − reference| exceeds the tolerance (NaN/±Infinity always do). */
  disagrees: boolean;
}

/** A matrix is usable when it is n×n like the reference. */
export function sameShape(a: number[][] | null, reference: number[][]): a is number[][] {
  return !!a && a.length === reference.length && a.every((r, i) => Array.isArray(r) && r.length === reference[i].length);
}

/**
 * Cells for one head, weights[query][key] (shape [n, n]). Null when the view needs the
 * learner's matrix and it is missing or mis-shaped.
 */
export function cellsFor(mode: ViewMode, learner: number[][] | null, reference: number[][], tolerance: number): CellView[][] | null {
  if (mode === 'reference') return weightCells(reference);
  if (!sameShape(learner, reference)) return null;
  if (mode === 'learner') return weightCells(learner);
  const diffs = learner.map((row, i) => row.map((v, j) => (Number.isFinite(v) ? Math.abs(v - reference[i][j]) : Infinity)));
  let max = 0;
  for (const row of diffs) for (const d of row) if (Number.isFinite(d)) max = Math.max(max, d);
  // Scaled to the largest finite difference so small disagreements are still visible.
  return diffs.map((row) =>
    row.map((d) => ({ value: d, intensity: d === Infinity ? 1 : max > 0 ? d / max : 0, disagrees: !(d <= tolerance) })),
  );
}

function weightCells(m: number[][]): CellView[][] {
  return m.map((row) => row.map((v) => ({ value: v, intensity: clamp01(v), disagrees: false })));
}

export function countDisagreements(cells: CellView[][]): number {
  return cells.reduce((n, row) => n + row.filter((c) => c.disagrees).length, 0);
}

/** Weights live in [0, 1]; anything else (a bug in the learner's code) is pinned to an end. */
export function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(1);
  return v.toFixed(3);
}

/** The short form printed inside a cell: ".310", "1.00", "2e-4". */
export function shortValue(v: number): string {
  if (!Number.isFinite(v)) return formatValue(v);
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(3).replace(/^(-?)0\./, '$1.');
}

/** Arrow keys, Home/End and Ctrl+Home/End inside a rows×cols grid, clamped at the edges. */
export function moveFocus(row: number, col: number, key: string, rows: number, cols: number, ctrl = false): [number, number] {
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
      return ctrl ? [0, 0] : [row, 0];
    case 'End':
      return ctrl ? [rows - 1, cols - 1] : [row, cols - 1];
    default:
      return [row, col];
  }
}
