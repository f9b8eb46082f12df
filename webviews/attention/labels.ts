// Words the panel shows or speaks: cell labels, captions, the difference summary.
// Pure (no DOM), unit-tested.
import { CellView, formatValue, ViewMode } from './cells';
import { t } from '../shared/l10n';

/** A token as spoken: quoted, with its 1-based position when the same token occurs twice. */
export function tokenName(tokens: string[], i: number): string {
  const token = tokens[i];
  return tokens.indexOf(token) !== tokens.lastIndexOf(token) ? `'${token}' (#${i + 1})` : `'${token}'`;
}

/** e.g. "query 'cat' → key 'sat': 0.310". */
export function cellLabel(mode: ViewMode, tokens: string[], row: number, col: number, cell: CellView, tolerance: number): string {
  const head = t('query {0} → key {1}', tokenName(tokens, row), tokenName(tokens, col));
  if (mode !== 'difference') return `${head}: ${formatValue(cell.value)}`;
  return cell.disagrees
    ? t('{0}: differs from the reference by {1}, more than {2}', head, formatValue(cell.value), formatValue(tolerance))
    : t('{0}: matches the reference (difference {1})', head, formatValue(cell.value));
}

export function viewName(mode: ViewMode): string {
  return mode === 'learner' ? t('Your attention weights') : mode === 'reference' ? t('Reference attention weights') : t('Difference |yours − reference|');
}

export function captionFor(mode: ViewMode, head: number, heads: number, mask: string, modelLayer?: number): string {
  const view = viewName(mode);
  const which =
    modelLayer && heads > 1
      ? t('{0}, mini-GPT layer {1}, head {2} of {3}', view, modelLayer, head + 1, heads)
      : modelLayer
        ? t('{0}, mini-GPT layer {1}', view, modelLayer)
        : heads > 1
          ? t('{0}, head {1} of {2}', view, head + 1, heads)
          : view;
  return t('{0}, mask: {1}. Rows are queries, columns are keys.', which, mask);
}

export function differenceSummary(disagreements: number, total: number, tolerance: number): string {
  if (disagreements === 0) return t('Your weights match the reference in all {0} cells (within {1}).', total, formatValue(tolerance));
  return t('{0} of {1} cells differ from the reference by more than {2} (outlined).', disagreements, total, formatValue(tolerance));
}
