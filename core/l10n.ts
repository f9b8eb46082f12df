// Translation for the host's messages that do not import `vscode`: src/'s vscode-free files (through
// src/l10n.ts) and core/, the engine shared with the CLI (course rows, quiz verdicts, the Grade Lab
// report, the sidecar client's errors, the lab loader's and scaffold's errors, profiler notes). They
// call t() as the other host files call vscode.l10n.t: scripts/l10n-bundle.ts collects both into
// l10n/bundle.l10n.json. Activation hands vscode.l10n.t in once; until then, and always in the CLI
// and the sidecar, the English message is formatted here.
//
// Left English on purpose: core/checks/ (check and assertion messages run in the sidecar's worker,
// which has no vscode.l10n; like the lab instructions they are lab content), core/protocol/ (types),
// what only the CLI prints (formatGradeReport, profileText, class grading, lab authoring tools),
// the schemas' messages for lab authors, and errors of programming mistakes that cannot reach a learner.

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
