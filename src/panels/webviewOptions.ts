// The options every panel's webview gets, when created and when restored after a reload.
import * as vscode from 'vscode';
import { panelHtml } from './webviewHtml';

/**
 * Scripts on, resources only from dist/webviews. No retainContextWhenHidden: each page keeps its
 * inputs with vscode.setState, and the host re-sends what it needs when a panel is shown again.
 */
export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')] };
}

/** Gives `panel` its page: dist/webviews/<bundle>.js and .css after the shared panel.css, and the extension's icon. */
export function setPanelPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, bundle: string, title: string, loadingText: string): void {
  const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
  const uri = (f: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(base, f)).toString();
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  panel.webview.html = panelHtml({
    cspSource: panel.webview.cspSource,
    scriptUri: uri(`${bundle}.js`),
    styleUri: uri(`${bundle}.css`),
    extraStyleUris: [uri('panel.css')],
    title,
    l10nBundle: vscode.l10n.bundle,
    language: vscode.env.language,
    loadingText,
  });
}
