// Host side of the attention panel: one WebviewPanel, re-computed when the learner edits its
// inputs or when checks re-run. The behaviour lives in AttentionController (no vscode).
import * as vscode from 'vscode';
import { panelWebviewOptions } from './webviewOptions';
import type { PanelPlacement } from './panelPlacement';
import type { AttentionViewData } from '../../core/protocol/sidecar';
import type { HostToPanelMessage, PanelToHostMessage } from '../../core/protocol/webview';
import { AttentionController } from './attentionController';
import type { AttentionSource } from './attentionSource';
import { attentionPanelHtml } from './webviewHtml';

export class AttentionPanel implements vscode.Disposable {
  static current: AttentionPanel | undefined;
  static readonly viewType = 'transformerLabs.attention';
  private readonly controller: AttentionController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static createOrShow(extensionUri: vscode.Uri, source: AttentionSource, placement: PanelPlacement): AttentionPanel {
    if (AttentionPanel.current) {
      // In its own group: "Beside" would move it next to whichever group has focus now.
      AttentionPanel.current.panel.reveal(undefined, true);
      AttentionPanel.current.refresh();
      return AttentionPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      AttentionPanel.viewType,
      'Attention',
      placement,
      panelWebviewOptions(extensionUri),
    );
    AttentionPanel.current = new AttentionPanel(panel, extensionUri, source);
    return AttentionPanel.current;
  }

  /** A panel VS Code restored after a reload (its page state comes back with vscode.getState). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: AttentionSource): AttentionPanel {
    AttentionPanel.current?.dispose();
    panel.webview.options = panelWebviewOptions(extensionUri);
    AttentionPanel.current = new AttentionPanel(panel, extensionUri, source);
    return AttentionPanel.current;
  }


  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: AttentionSource,
  ) {
    const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.controller = new AttentionController({ source, post: (m) => this.post(m) });
    panel.webview.html = attentionPanelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(base, 'attention.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(base, 'attention.css')).toString(),
      title: 'Attention',
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: PanelToHostMessage) => this.onMessage(m)),
    );
  }

  /** The numbers last drawn (the integration and e2e suites read them). */
  get lastData(): AttentionViewData | undefined {
    return this.controller.lastData;
  }

  private post(message: HostToPanelMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(m: PanelToHostMessage): void {
    switch (m?.type) {
      case 'ready':
        this.controller.onReady();
        break;
      case 'request': {
        const refused = this.controller.onRequest(m.body);
        if (refused) console.warn(`[transformer-labs] attention panel request refused: ${refused}`);
        break;
      }
      case 'revealFunction':
        if (typeof m.body?.name === 'string') this.source.revealFunction(m.body.name);
        break;
    }
  }

  /** Re-runs the learner's function with the panel's current inputs; aborts the previous run. */
  refresh(): void {
    this.controller.refresh();
  }

  /**
   * After a check run: only a panel the learner can see re-runs its view. A hidden one reloads
   * its page, and so asks for fresh numbers, when it is shown again; meanwhile the worker stays
   * free for the next check.
   */
  refreshIfVisible(): void {
    if (this.panel.visible) this.refresh();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (AttentionPanel.current === this) AttentionPanel.current = undefined;
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
