// An unexpected failure: written to the compute log with its stack, and shown with a
// "Show Log" button that opens it (the message alone rarely says enough to fix it).
import * as vscode from 'vscode';

export const SHOW_LOG = () => vscode.l10n.t('Show Log');

export function reportError(output: vscode.LogOutputChannel, message: string, err?: unknown): void {
  if (err !== undefined) output.error(`${message}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
  else output.error(message);
  void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: {0}', message), SHOW_LOG()).then((b) => {
    if (b === SHOW_LOG()) output.show(true);
  });
}
