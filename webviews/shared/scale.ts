// Pure chart arithmetic (no DOM), shared by the lab view panels and unit-tested in Node.

/** Maps [d0, d1] linearly onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (!Number.isFinite(d0) || !Number.isFinite(d1) || d0 === d1) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** [min, max] of all finite values; [0, 1] when there are none. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 1] : [lo, hi];
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Short label for a number: 3 significant digits, exponent form for very large or small. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}

/**
 * A colour for a heatmap cell as a CSS color-mix of theme colours: sequential (0 → background,
 * max → accent) or diverging around 0 (negative → second accent).
 */
export function cellColor(v: number, lo: number, hi: number, diverging: boolean): string {
  if (!Number.isFinite(v)) return 'var(--vscode-editorError-foreground, red)';
  if (diverging) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    const t = Math.min(1, Math.abs(v) / m);
    const accent = v < 0 ? 'var(--vscode-charts-red)' : 'var(--vscode-charts-blue)';
    return `color-mix(in srgb, ${accent} ${Math.round(t * 100)}%, var(--vscode-editor-background))`;
  }
  const t = hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0;
  return `color-mix(in srgb, var(--vscode-charts-blue) ${Math.round(t * 100)}%, var(--vscode-editor-background))`;
}

/** Largest |a − b| over two equally shaped number arrays (nested), or NaN when shapes differ. */
export function maxAbsDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return NaN;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = maxAbsDiff(a[i], b[i]);
    if (Number.isNaN(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}
