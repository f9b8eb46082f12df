// The options every panel's webview gets, when created and when restored after a reload.
import * as vscode from 'vscode';

/**
 * Scripts on, resources only from dist/webviews. No retainContextWhenHidden: each page keeps its
 * inputs with vscode.setState, and the host re-sends what it needs when a panel is shown again.
 */
export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')] };
}
