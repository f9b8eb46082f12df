// Translation for the host files that stay free of `vscode` so plain Node can unit-test them
// (panels' controllers, hovers, summaries, GPU setup). They call t() as the other host files call
// vscode.l10n.t: scripts/l10n-bundle.ts collects both into l10n/bundle.l10n.json. Activation hands
// vscode.l10n.t in once; until then (unit tests, the CLI) the English message is formatted here.

export type Translator = (message: string, ...args: Array<string | number | boolean>) => string;

/** `{0}`, `{1}`… as vscode.l10n.t reads them: a placeholder without an argument stays as written. */
export function formatMessage(message: string, args: ReadonlyArray<string | number | boolean>): string {
  return message.replace(/\{(0|[1-9]\d*)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

const english: Translator = (message, ...args) => formatMessage(message, args);
let translator: Translator = english;

/**
 * Sets who translates (vscode.l10n.t, at activation). Undefined puts the English formatting back,
 * so a test that injected a fake leaves nothing behind for the next.
 */
export function useTranslator(next: Translator | undefined): void {
  translator = next ?? english;
}

/** The message in the learner's language; it must be one string literal, or the bundle misses it. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return translator(message, ...args);
}
