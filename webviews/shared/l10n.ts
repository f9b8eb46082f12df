// The panels' words in the learner's language. The host puts vscode.l10n.bundle into the page as
// a JSON data block (src/panels/webviewHtml.ts: no code runs from it, so the CSP stays as it is);
// `t` looks a message up there and fills its {0}-style placeholders as vscode.l10n.t does, so one
// translation file per language (l10n/bundle.l10n.<language>.json) serves the host and the pages.
// scripts/l10n-webviews.ts collects the messages: each must be ONE string literal (a whole
// sentence for the translator), never concatenated or a template.
//
// No DOM types at import time: the pure modules that call `t` (labels, state, errorText…) are
// compiled by the root tsconfig and unit-tested in Node, where there is no page and no bundle
// (English).

export type L10nArg = string | number | boolean;
export type L10nBundle = Record<string, string>;

/** The id of the data block; the host writes it (webviewHtml.ts), a unit test keeps the two equal. */
export const L10N_BUNDLE_ID = 'l10n-bundle';

/** Fills {0}, {1}… with the arguments, as vscode.l10n.t: no arguments, no formatting; a missing one stays as written. */
export function format(template: string, args: readonly L10nArg[]): string {
  if (args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const v = args[Number(index)];
    return v === undefined ? match : String(v);
  });
}

/** The translation of `message` in `bundle` (the message itself when there is none), formatted. */
export function translate(bundle: L10nBundle | undefined, message: string, args: readonly L10nArg[] = []): string {
  // Own keys only: a message such as "constructor" must not find Object.prototype's.
  const translated = bundle && Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message] : undefined;
  return format(typeof translated === 'string' ? translated : message, args);
}

/** The bundle from the data block's text; undefined (English) when it is absent or not an object of strings. */
export function parseBundle(text: string | null | undefined): L10nBundle | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: L10nBundle = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

interface PageDocument {
  getElementById(id: string): { textContent: string | null } | null;
}

// null: not read yet. Read on the first call rather than at import, so a module that only
// imports `t` costs nothing where there is no page.
let pageBundle: L10nBundle | undefined | null = null;

function bundle(): L10nBundle | undefined {
  if (pageBundle === null) {
    const doc = (globalThis as { document?: PageDocument }).document;
    pageBundle = parseBundle(doc?.getElementById(L10N_BUNDLE_ID)?.textContent);
  }
  return pageBundle;
}

/** `message` in the page's language, its {0}-style placeholders filled with `args`. */
export function t(message: string, ...args: L10nArg[]): string {
  return translate(bundle(), message, args);
}
