// Words the panel shows or speaks: cell labels, captions, the difference summary.
// Pure (no DOM), unit-tested.
import { CellView, formatValue, ViewMode } from './cells';

/** A token as spoken: quoted, with its 1-based position when the same token occurs twice. */
export function tokenName(tokens: string[], i: number): string {
  const t = tokens[i];
  return tokens.indexOf(t) !== tokens.lastIndexOf(t) ? `'${t}' (#${i + 1})` : `'${t}'`;
}

/** e.g. "query 'cat' → key 'sat': 0.310". */
export function cellLabel(mode: ViewMode, tokens: string[], row: number, col: number, cell: CellView, tolerance: number): string {
  const head = `query ${tokenName(tokens, row)} → key ${tokenName(tokens, col)}`;
  if (mode !== 'difference') return `${head}: ${formatValue(cell.value)}`;
  return cell.disagrees
    ? `${head}: differs from the reference by ${formatValue(cell.value)}, more than ${formatValue(tolerance)}`
    : `${head}: matches the reference (difference ${formatValue(cell.value)})`;
}

export function viewName(mode: ViewMode): string {
  return mode === 'learner' ? 'Your attention weights' : mode === 'reference' ? 'Reference attention weights' : 'Difference |yours − reference|';
}

export function captionFor(mode: ViewMode, head: number, heads: number, mask: string, modelLayer?: number): string {
  const layer = modelLayer ? `, mini-GPT layer ${modelLayer}` : '';
  const which = `${layer}${heads > 1 ? `, head ${head + 1} of ${heads}` : ''}`;
  return `${viewName(mode)}${which}, mask: ${mask}. Rows are queries, columns are keys.`;
}

export function differenceSummary(disagreements: number, total: number, tolerance: number): string {
  if (disagreements === 0) return `Your weights match the reference in all ${total} cells (within ${formatValue(tolerance)}).`;
  return `${disagreements} of ${total} cells differ from the reference by more than ${formatValue(tolerance)} (outlined).`;
}
