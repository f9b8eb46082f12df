// The attention panel's HTML shell: strict CSP with a nonce, local resources only.
// No vscode import, so the unit tests check the CSP directly.
import { randomBytes } from 'node:crypto';
import { t } from '../l10n';

export interface HtmlParts {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(dist/webviews/attention.js) */
  scriptUri: string;
  /** webview.asWebviewUri(dist/webviews/attention.css) */
  styleUri: string;
  /** Fixed only in tests; otherwise a fresh random nonce per page. */
  nonce?: string;
  title: string;
  /** More stylesheets before styleUri (webviews/shared/panel.css for the lab views). */
  extraStyleUris?: string[];
  /** Shown until the script draws (screen readers hear it too). */
  loadingText?: string;
  /** vscode.l10n.bundle: the page's translations (webviews/shared/l10n.ts); undefined in English. */
  l10nBundle?: Record<string, string>;
  /** vscode.env.language, for <html lang> (screen readers pick their voice from it). */
  language?: string;
}

// 18 bytes make 24 base64 characters without padding, always: stripping + and / once made
// the length depend on the draw (CI saw 19).
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  if (!/^[A-Za-z0-9+/=]+$/.test(nonce)) throw new Error(`A CSP nonce must be base64 characters only, got ${JSON.stringify(nonce)}`);
  // VS Code gives a list of sources, e.g. "'self' https://*.vscode-cdn.net" (code-server).
  const sources = cspSource.trim().split(/\s+/);
  if (cspSource.trim() === '' || sources.some((s) => /[;,"]/.test(s) || (s.includes("'") && !/^'[a-z-]+'$/.test(s)))) {
    throw new Error(`cspSource must be a list of CSP source expressions, got ${JSON.stringify(cspSource)}`);
  }
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Must equal L10N_BUNDLE_ID in webviews/shared/l10n.ts (a unit test keeps them equal). */
export const L10N_BUNDLE_ID = 'l10n-bundle';

/**
 * The translations as a JSON data block: a script of type application/json is never run, so the
 * CSP needs no change. Inside <script> the text ends at the first "</script", and "<!--" changes
 * how it is read: no "<" is written at all (\u003c is the same string to JSON.parse).
 */
export function l10nBundleScript(bundle: Record<string, string> | undefined): string {
  if (!bundle || Object.keys(bundle).length === 0) return '';
  const json = JSON.stringify(bundle).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${L10N_BUNDLE_ID}">${json}</script>\n`;
}

/** A BCP 47 tag such as "en", "de" or "zh-cn"; anything else falls back to English. */
function htmlLang(language: string | undefined): string {
  return language && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language) ? language : 'en';
}

/**
 * The page. The toolkit (FAST) probes :focus-visible support with a <style> element that it
 * tags with the nonce from <meta property="csp-nonce">; without that meta the CSP blocks it.
 */
export function panelHtml(p: HtmlParts): string {
  const nonce = p.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="${htmlLang(p.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
${(p.extraStyleUris ?? []).map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}" nonce="${nonce}">\n`).join('')}<link rel="stylesheet" href="${escapeAttr(p.styleUri)}" nonce="${nonce}">
<title>${escapeAttr(p.title)}</title>
</head>
<body>
<main id="app"><p class="status">${escapeAttr(p.loadingText ?? t('Loading the panel…'))}</p></main>
${l10nBundleScript(p.l10nBundle)}<script nonce="${nonce}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>`;
}

