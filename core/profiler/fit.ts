// Fits y ≈ c · N^k on a log-log scale (ordinary least squares of log y on log N), so the profiler
// can say how a function's time and memory grow with the sequence length: k ≈ 2 is quadratic.
// Small sizes measure fixed overheads, not growth, so the fit uses the largest sizes only.
import type { PowerFit } from '../protocol/views/profileView';

export interface XY {
  n: number;
  y: number;
}

/** How many of the largest usable points the fit takes (at least 3 when there are 3). */
export const FIT_POINTS = 4;

/**
 * The power law through the largest `FIT_POINTS` points with y > `floor` (timer resolution, or
 * bytes that round to nothing); null with fewer than two such points.
 */
export function fitPowerLaw(points: readonly XY[], opts: { floor?: number; maxPoints?: number } = {}): PowerFit | null {
  const floor = opts.floor ?? 0;
  const usable = points.filter((p) => p.n > 0 && p.y > floor && Number.isFinite(p.y)).sort((a, b) => a.n - b.n);
  const chosen = usable.slice(-(opts.maxPoints ?? FIT_POINTS));
  if (chosen.length < 2 || new Set(chosen.map((p) => p.n)).size < 2) return null;
  const xs = chosen.map((p) => Math.log(p.n));
  const ys = chosen.map((p) => Math.log(p.y));
  const m = chosen.length;
  const mx = xs.reduce((a, b) => a + b, 0) / m;
  const my = ys.reduce((a, b) => a + b, 0) / m;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < m; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  const sse = ys.reduce((s, y, i) => s + (y - (intercept + exponent * xs[i])) ** 2, 0);
  return {
    exponent,
    coefficient: Math.exp(intercept),
    stderr: m > 2 ? Math.sqrt(sse / (m - 2) / sxx) : 0,
    r2: syy === 0 ? 1 : 1 - sse / syy,
    used: chosen.map((p) => p.n),
  };
}

/** The fitted curve's value at `n`. */
export function extrapolate(fit: PowerFit, n: number): number {
  return fit.coefficient * n ** fit.exponent;
}

/**
 * The next size's value predicted from the last two points' local exponent (at least 1: nothing
 * here grows slower than linearly once overheads fade), so a series stops before a call that
 * would blow the cap.
 */
export function predictNext(points: readonly XY[], nextN: number): number | undefined {
  const usable = points.filter((p) => p.y > 0);
  if (usable.length === 0) return undefined;
  const last = usable[usable.length - 1];
  const prev = usable[usable.length - 2];
  const k = prev && prev.n !== last.n ? Math.max(1, Math.log(last.y / prev.y) / Math.log(last.n / prev.n)) : 2;
  return last.y * (nextN / last.n) ** Math.min(k, 3);
}
