// What the panel previews share (scripts/panel-preview.ts, scripts/training-preview.ts): a page
// with VS Code-like theme variables and a stand-in for acquireVsCodeApi that forwards the page's
// messages to the preview process (window.__toHost, provided with page.exposeFunction).
import { Browser, chromium } from 'playwright-core';
import { panelHtml } from '../src/panels/webviewHtml';

export type PreviewTheme = 'dark' | 'light' | 'hc';

// A subset of the variables VS Code injects into webviews, with its default themes' values.
export const THEMES: Record<PreviewTheme, Record<string, string>> = {
  dark: {
    'editor-background': '#1f1f1f', foreground: '#cccccc', 'editor-foreground': '#cccccc', 'charts-blue': '#3794ff', 'charts-red': '#f14c4c',
    focusBorder: '#0078d4', errorForeground: '#f85149', 'editorError-foreground': '#f14c4c', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b',
    'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c',
    'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc',
    'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c', 'progressBar-background': '#0078d4',
    'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700', 'charts-lines': 'rgba(204, 204, 204, 0.5)',
  },
  light: {
    'editor-background': '#ffffff', foreground: '#3b3b3b', 'editor-foreground': '#3b3b3b', 'charts-blue': '#1a85ff', 'charts-red': '#e51400',
    focusBorder: '#005fb8', errorForeground: '#f85149', 'editorError-foreground': '#e51400', descriptionForeground: '#3b3b3b', 'panel-border': '#e5e5e5',
    'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'dropdown-background': '#ffffff', 'dropdown-border': '#cecece',
    'dropdown-foreground': '#3b3b3b', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b', 'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece', 'checkbox-foreground': '#3b3b3b', 'progressBar-background': '#005fb8',
    'charts-green': '#388a34', 'charts-orange': '#d18616', 'charts-purple': '#652d90', 'charts-yellow': '#bf8803', 'charts-lines': 'rgba(97, 97, 97, 0.5)',
  },
  hc: {
    'editor-background': '#000000', foreground: '#ffffff', 'editor-foreground': '#ffffff', 'charts-blue': '#3794ff', 'charts-red': '#f14c4c',
    focusBorder: '#f38518', contrastBorder: '#6fc3df', errorForeground: '#f48771', 'editorError-foreground': '#f48771', descriptionForeground: '#ffffff',
    'panel-border': '#6fc3df', 'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'dropdown-background': '#000000',
    'dropdown-border': '#6fc3df', 'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryBackground': '#000000',
    'button-secondaryForeground': '#ffffff', 'checkbox-background': '#000000', 'checkbox-border': '#6fc3df', 'progressBar-background': '#6fc3df',
    'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-yellow': '#ffff00', 'charts-lines': 'rgba(255, 255, 255, 0.5)',
  },
};

export function previewHtml(theme: PreviewTheme, nonce: string, p: { scriptUri: string; styleUri: string; title: string; extraStyleUris?: string[] }): string {
  const vars = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  const page = panelHtml({ cspSource: 'file:', nonce, ...p });
  const themeStyle = `<style nonce="${nonce}">html { ${vars} --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; }</style>`;
  // Stands in for the VS Code webview API; exposeFunction provides __toHost.
  const api = `<script nonce="${nonce}">
document.addEventListener('securitypolicyviolation', (e) => console.warn('CSP ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber + ' sample=' + JSON.stringify(e.sample) + ' target=' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : String(e.target))));
let saved; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(m), getState: () => saved, setState: (s) => { saved = s; } });
</script>`;
  return page.replace('</head>', `${themeStyle}\n</head>`).replace(`<script nonce="${nonce}" src=`, `${api}\n<script nonce="${nonce}" src=`);
}

export function launchPreviewBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
}

/** Runs a preview to its end: a failure prints and sets the exit code. */
export function runPreview(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
