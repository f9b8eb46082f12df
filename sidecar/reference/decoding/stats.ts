// Pearson's chi-square goodness-of-fit test, for Lab 6's "do your samples follow the filtered
// distribution?" check. p-values come from the regularised upper incomplete gamma function
// Q(df/2, x/2) (series for x < a + 1, Lentz's continued fraction otherwise).

/** log Γ(z) for z > 0 (Lanczos, g = 7, 9 coefficients; about 15 significant digits). */
export function logGamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < 9; i++) x += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPre = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // P(a, x) by its series; Q = 1 - P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(lnPre);
  }
  // Continued fraction for Q (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(lnPre) * h;
}

/** P(χ²_df ≥ x). */
export function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
  /** How many cells were compared after pooling the small ones. */
  cells: number;
}

/**
 * Pearson's X² = Σ (observed − expected)² / expected over the tokens with probability > 0.
 * Cells whose expected count is below 5 are pooled into one (the usual validity rule for the
 * χ² approximation); df = cells − 1.
 */
export function chiSquareTest(counts: number[], probs: number[], n: number): ChiSquareResult {
  const cells: { o: number; e: number }[] = [];
  const pooled = { o: 0, e: 0 };
  probs.forEach((p, i) => {
    if (p <= 0) return;
    const e = p * n;
    if (e < 5) {
      pooled.o += counts[i];
      pooled.e += e;
    } else cells.push({ o: counts[i], e });
  });
  if (pooled.e > 0) cells.push(pooled);
  const statistic = cells.reduce((s, c) => s + ((c.o - c.e) * (c.o - c.e)) / c.e, 0);
  const df = Math.max(1, cells.length - 1);
  return { statistic, df, pValue: chiSquareSurvival(statistic, df), cells: cells.length };
}
