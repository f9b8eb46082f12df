// Host side of the lab view panels (Lab 1's attention, Lab 2's block stack, Lab 3's positional
// encodings, Lab 6's decoding…): one WebviewPanel per view id, re-computed when the learner edits the panel's inputs
// or when checks re-run. The behaviour lives in LabViewController (no vscode).
import * as vscode from 'vscode';
import { panelWebviewOptions } from './webviewOptions';
import type { PanelPlacement } from './panelPlacement';
import type { HostToLabViewMessage, LabViewToHostMessage } from '../../core/protocol/labView';
import { LabViewController, LabViewSource } from './labViewController';
import { panelHtml } from './webviewHtml';

export interface LabViewKind {
  /** The lab's VisualizationSpec.id, also the bundle name unless `page` says otherwise. */
  id: string;
  /** The page that draws it: dist/webviews/<page>.js and <page>.css (default: the id). */
  page?: string;
  title: string;
  busyReason: string;
  validate?(data: unknown): string | undefined;
  /** An input field that, when empty, takes the text selected in the editor (Lab 4's text box). */
  selectionInput?: string;
  /** Recomputed only when the learner asks (the profiler's run takes many seconds), not after every check run. */
  manualRefresh?: boolean;
  /** The view's own check of the panel's inputs (beyond plain JSON of bounded size). */
  parseInput?(input: Record<string, unknown>): Record<string, unknown> | string;
}

export interface LabViewPanelSource extends LabViewSource {
  revealFunction(name: string): void;
}

export class LabViewPanel implements vscode.Disposable {
  static readonly open = new Map<string, LabViewPanel>();
  static readonly viewTypePrefix = 'transformerLabs.view.';
  private readonly controller: LabViewController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static createOrShow(extensionUri: vscode.Uri, kind: LabViewKind, source: LabViewPanelSource, placement: PanelPlacement): LabViewPanel {
    const existing = LabViewPanel.open.get(kind.id);
    if (existing) {
      existing.panel.reveal(undefined, true);
      existing.refresh();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      LabViewPanel.viewTypePrefix + (kind.page ?? kind.id),
      kind.title,
      placement,
      panelWebviewOptions(extensionUri),
    );
    const p = new LabViewPanel(panel, extensionUri, kind, source);
    LabViewPanel.open.set(kind.id, p);
    return p;
  }

  /** A panel VS Code restored after a reload (its page state comes back with vscode.getState). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, kind: LabViewKind, source: LabViewPanelSource): LabViewPanel {
    LabViewPanel.open.get(kind.id)?.dispose();
    panel.webview.options = panelWebviewOptions(extensionUri);
    const p = new LabViewPanel(panel, extensionUri, kind, source);
    LabViewPanel.open.set(kind.id, p);
    return p;
  }


  /**
   * Re-computes every open lab view the learner can see (after a check run). A hidden one reloads
   * its page, and so asks for fresh numbers, when it is shown again; meanwhile the worker stays
   * free for the next check.
   */
  static refreshVisible(): void {
    for (const p of LabViewPanel.open.values()) if (p.panel.visible && !p.kind.manualRefresh) p.refresh();
  }

  static disposeAll(): void {
    for (const p of [...LabViewPanel.open.values()]) p.dispose();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly kind: LabViewKind,
    private readonly source: LabViewPanelSource,
  ) {
    const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
    const uri = (f: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(base, f)).toString();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.controller = new LabViewController({
      view: kind.id,
      source,
      post: (m) => this.post(m),
      busyReason: kind.busyReason,
      validate: kind.validate,
      parseInput: kind.parseInput,
    });
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: uri(`${kind.page ?? kind.id}.js`),
      styleUri: uri(`${kind.page ?? kind.id}.css`),
      extraStyleUris: [uri('panel.css')],
      title: kind.title,
      l10nBundle: vscode.l10n.bundle,
      language: vscode.env.language,
      loadingText: vscode.l10n.t('Loading the {0} panel…', kind.title),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: LabViewToHostMessage) => this.onMessage(m)),
    );
  }

  /** The numbers last drawn (the integration suite reads them). */
  get lastData(): unknown {
    return this.controller.lastData;
  }

  idle(): Promise<void> {
    return this.controller.idle();
  }

  private post(message: HostToLabViewMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(m: LabViewToHostMessage): void {
    switch (m?.type) {
      case 'ready':
        this.controller.onReady();
        break;
      case 'request': {
        const refused = this.controller.onRequest(m.body);
        if (refused) console.warn(`[transformer-labs] ${this.kind.id} panel request refused: ${refused}`);
        break;
      }
      case 'revealFunction':
        if (typeof m.body?.name === 'string') this.source.revealFunction(m.body.name);
        break;
    }
  }

  refresh(): void {
    this.controller.refresh();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (LabViewPanel.open.get(this.kind.id) === this) LabViewPanel.open.delete(this.kind.id);
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
