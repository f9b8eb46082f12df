// The attention panel's HTML shell: strict CSP with a nonce, local resources only.
import { randomBytes } from 'node:crypto';

export interface HtmlParts {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
  title: string;
}

export function makeNonce(): string {
  return randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function attentionPanelHtml(p: HtmlParts): string {
  const nonce = p.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(p.styleUri)}" nonce="${nonce}">
<title>${escapeAttr(p.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="status">Loading the attention panel…</p></main>
<script nonce="${nonce}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>`;
}
