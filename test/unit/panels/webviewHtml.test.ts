// The panel's HTML shell: strict CSP with a nonce, local resources only.
import assert from 'node:assert/strict';
import { panelHtml, contentSecurityPolicy, makeNonce } from '../../../src/panels/webviewHtml';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

describe('attention panel: HTML and CSP', () => {
  const html = panelHtml({
    cspSource: CSP_SOURCE,
    scriptUri: `${CSP_SOURCE}/ext/dist/webviews/attention.js`,
    styleUri: `${CSP_SOURCE}/ext/dist/webviews/attention.css`,
    nonce: 'abc123',
    title: 'Attention',
  });

  it('allows scripts only by nonce, styles only from the extension or by nonce, nothing by default', () => {
    assert.equal(
      contentSecurityPolicy(CSP_SOURCE, 'abc123'),
      `default-src 'none'; img-src ${CSP_SOURCE} data:; style-src ${CSP_SOURCE} 'nonce-abc123'; script-src 'nonce-abc123'; font-src ${CSP_SOURCE}`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('carries the nonce on its one script and one stylesheet, and loads nothing remote', () => {
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;|<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="abc123" src="${CSP_SOURCE}/ext/dist/webviews/attention.js">`]);
    assert.ok(html.includes('<meta property="csp-nonce" content="abc123">'), 'the toolkit finds the nonce for its own <style>');
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${CSP_SOURCE.replace(/[+.]/g, '\\$&')}/ext/dist/webviews/attention.css" nonce="abc123">`));
    const urls = html.match(/https?:\/\/[^\s"';]+/g) ?? [];
    assert.ok(urls.every((u) => u.startsWith(CSP_SOURCE)), `only webview resources: ${urls.join(', ')}`);
  });

  it('escapes what it puts in attributes', () => {
    const h = panelHtml({ cspSource: CSP_SOURCE, scriptUri: 'x"><script>', styleUri: 's', nonce: 'n', title: '<b>' });
    assert.ok(h.includes('src="x&quot;&gt;&lt;script&gt;"'));
    assert.ok(h.includes('<title>&lt;b&gt;</title>'));
  });

  it('makes a fresh base64 nonce each time and refuses one that would break the policy', () => {
    const nonces = Array.from({ length: 2000 }, makeNonce);
    for (const a of nonces) assert.match(a, /^[A-Za-z0-9+/]{24}$/);
    assert.equal(new Set(nonces).size, nonces.length);
    for (const a of nonces.slice(0, 50)) assert.doesNotThrow(() => contentSecurityPolicy(CSP_SOURCE, a));
    assert.throws(() => contentSecurityPolicy(CSP_SOURCE, "x' 'unsafe-inline"), /nonce must be base64/);
    assert.throws(() => contentSecurityPolicy("a; script-src *", 'n'), /cspSource must be a list of CSP source expressions/);
    assert.throws(() => contentSecurityPolicy("'self' 'unsafe-inline' x'", 'n'), /cspSource must be a list/);
  });

  it('accepts the source list code-server gives (\'self\' and a CDN host)', () => {
    const csp = contentSecurityPolicy("'self' https://*.vscode-cdn.net", 'n');
    assert.match(csp, /style-src 'self' https:\/\/\*\.vscode-cdn\.net 'nonce-n'/);
  });
});
