// "Show Hint": the progressive hints of one exercise function, opened one at a time from the
// CodeLens above it (the idea, then the API, then the formula). What was opened is recorded in the
// lab folder, and the grade report says how many.
import * as vscode from 'vscode';
import { hintsOf, readHintsOpened, recordHintOpened } from '../../core/labs/hintsOpened';
import type { ActiveLab } from './labRegistry';

/** The CodeLens title for `fn`'s hints, or undefined when it has none. */
export function hintLensTitle(active: ActiveLab, fn: string, opened: Record<string, number>): string | undefined {
  const { shown, next } = hintsOf(active.lab.manifest, opened, fn);
  if (next) return `$(lightbulb) Hint ${next.index} of ${next.total}`;
  return shown.length > 0 ? `$(lightbulb) Hints (${shown.length} of ${shown.length} open)` : undefined;
}

export function openedHints(active: ActiveLab): Record<string, number> {
  return readHintsOpened(active.dir);
}

/** Opens the next hint of `fn` (or, when all are open, lists them). Resolves to the hint shown. */
export async function showHint(active: ActiveLab, fn: string, onRecorded: () => void): Promise<string | undefined> {
  const { shown, next } = hintsOf(active.lab.manifest, readHintsOpened(active.dir), fn);
  if (!next) {
    if (shown.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: {0}() has no hints.', fn));
      return undefined;
    }
    await pickHint(fn, shown);
    return undefined;
  }
  recordHintOpened(active.dir, fn, next.index);
  onRecorded();
  const more = next.index < next.total ? vscode.l10n.t('Hint {0} of {1}', next.index + 1, next.total) : undefined;
  const all = next.index > 1 ? vscode.l10n.t('All hints') : undefined;
  void vscode.window
    .showInformationMessage(vscode.l10n.t('{0}() — hint {1} of {2}: {3}', fn, next.index, next.total, next.text), ...[more, all].filter((x): x is string => !!x))
    .then((choice) => {
      if (choice === more) void showHint(active, fn, onRecorded);
      else if (choice === all) void pickHint(fn, hintsOf(active.lab.manifest, readHintsOpened(active.dir), fn).shown);
    });
  return next.text;
}

async function pickHint(fn: string, shown: { index: number; total: number; text: string }[]): Promise<void> {
  await vscode.window.showQuickPick(
    shown.map((h) => ({ label: `Hint ${h.index} of ${h.total}`, detail: h.text })),
    { title: vscode.l10n.t('{0}(): the hints you opened', fn), matchOnDetail: true },
  );
}
