// Host side of the attention panel: one panel, re-computed when the learner edits its inputs
// or when checks re-run; a newer request supersedes an older one.
import * as vscode from 'vscode';
import type { AttentionViewData, AttentionViewInput } from '../../core/protocol/sidecar';
import type { HostToPanelMessage, PanelToHostMessage } from '../../core/protocol/webview';
import type { AttentionSource } from './attentionSource';
import { attentionPanelHtml } from './webviewHtml';

const DEFAULT_INPUT: AttentionViewInput = { sentence: 'The cat sat on the mat because it was tired', mask: 'none', heads: 1, padTokens: 2 };

export class AttentionPanel implements vscode.Disposable {
  static current: AttentionPanel | undefined;
  static readonly viewType = 'transformerLabs.attention';
  private input: AttentionViewInput = { ...DEFAULT_INPUT };
  private inFlight?: AbortController;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves each time data reaches the panel (tests and the e2e suite wait on it). */
  lastData?: AttentionViewData;

  static createOrShow(extensionUri: vscode.Uri, source: AttentionSource): AttentionPanel {
    if (AttentionPanel.current) {
      AttentionPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      AttentionPanel.current.refresh();
      return AttentionPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      AttentionPanel.viewType,
      'Attention',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')] },
    );
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

  private post(message: HostToPanelMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private onMessage(m: PanelToHostMessage): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.refresh();
        break;
      case 'request':
        this.input = { sentence: m.body.sentence, mask: m.body.mask, heads: m.body.heads, padTokens: m.body.padTokens };
        this.refresh();
        break;
      case 'revealFunction':
        this.source.revealFunction(m.body.name);
        break;
    }
  }

  refresh(): void {
    if (!this.ready) return;
    this.inFlight?.abort();
    const ac = new AbortController();
    this.inFlight = ac;
    this.post({ type: 'busy', body: { reason: 'Running your attention function…' } });
    this.source.compute({ ...this.input }, ac.signal).then(
      (result) => {
        if (ac.signal.aborted) return;
        if ('unavailable' in result) {
          this.post({ type: 'unavailable', body: { message: result.unavailable } });
        } else if (result.ok) {
          const data = result.data as AttentionViewData;
          this.lastData = data;
          this.post({ type: 'attention', body: { data, labTitle: this.source.labTitle() ?? '', updatedAt: new Date().toISOString() } });
        } else {
          const where = result.error.location ? ` (${result.error.location.file}:${result.error.location.line})` : '';
          this.post({ type: 'unavailable', body: { message: `Your code could not be run: ${result.error.message}${where}` } });
        }
      },
      (err: Error) => {
        if (err.name === 'AbortError' || ac.signal.aborted) return;
        this.post({ type: 'unavailable', body: { message: 'The compute process could not run your code.', detail: err.message } });
      },
    );
  }

  dispose(): void {
    if (AttentionPanel.current === this) AttentionPanel.current = undefined;
    this.inFlight?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
