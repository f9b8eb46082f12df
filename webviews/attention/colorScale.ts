// The heatmap's colour scale, built only from VS Code theme variables so it follows light,
// dark and high-contrast themes: editor background at 0, a chart colour at 1, mixed with
// color-mix() (Chromium ≥ 111, every VS Code since 1.78). Pure, unit-tested.

export type ScaleAccent = '--vscode-charts-blue' | '--vscode-charts-red';

export const BACKGROUND_VAR = '--vscode-editor-background';

export function accentFor(mode: 'learner' | 'reference' | 'difference'): ScaleAccent {
  return mode === 'difference' ? '--vscode-charts-red' : '--vscode-charts-blue';
}

function pct(intensity: number): number {
  return Number.isFinite(intensity) ? Math.round(Math.min(1, Math.max(0, intensity)) * 100) : 100;
}

/** CSS background of a cell. */
export function cellColor(intensity: number, accent: ScaleAccent = '--vscode-charts-blue'): string {
  return `color-mix(in srgb, var(${accent}) ${pct(intensity)}%, var(${BACKGROUND_VAR}))`;
}

/**
 * Text colour on a cell: the editor foreground on the light half of the scale, the editor
 * background on the saturated half (in light themes foreground-on-blue is unreadable).
 */
export function cellTextColor(intensity: number): string {
  return pct(intensity) >= 55 ? `var(${BACKGROUND_VAR})` : 'var(--vscode-editor-foreground)';
}

/** CSS gradient for the legend bar: the same mix at 0 %, 50 % and 100 %. */
export function legendGradient(accent: ScaleAccent): string {
  return `linear-gradient(to right, ${cellColor(0, accent)}, ${cellColor(0.5, accent)}, ${cellColor(1, accent)})`;
}
