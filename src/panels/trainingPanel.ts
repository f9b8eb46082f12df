// Host side of Lab 5's training panel: one WebviewPanel, a cancellable progress notification
// per fine-tuning run, and the page's Start / Cancel. The behaviour lives in
// TrainingController (no vscode).
import * as vscode from 'vscode';
import { panelWebviewOptions, setPanelPage } from './webviewOptions';
import type { PanelPlacement } from './panelPlacement';
import type { TrainingToHostMessage } from '../../core/protocol/trainingPanel';
import { RunHandle, TrainingController, TrainingSource } from './trainingController';
export { TRAINING_VIEW } from './trainingData';

export interface TrainingPanelSource extends TrainingSource {
  revealFunction(name: string): void;
}

export class TrainingPanel implements vscode.Disposable {
  static current: TrainingPanel | undefined;
  static readonly viewType = 'transformerLabs.view.training';
  readonly controller: TrainingController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static createOrShow(extensionUri: vscode.Uri, source: TrainingPanelSource, placement: PanelPlacement): TrainingPanel {
    const existing = TrainingPanel.current;
    if (existing) {
      // Where the learner put it: no column argument, so an open panel does not move.
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      TrainingPanel.viewType,
      'Fine-tuning',
      placement,
      panelWebviewOptions(extensionUri),
    );
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, source);
    return TrainingPanel.current;
  }

  /** A panel VS Code restored after a reload: the page again, with no run (runs do not survive a reload). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: TrainingPanelSource): TrainingPanel {
    TrainingPanel.current?.dispose();
    panel.webview.options = panelWebviewOptions(extensionUri);
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, source);
    return TrainingPanel.current;
  }


  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: TrainingPanelSource,
  ) {
    this.controller = new TrainingController({
      source,
      post: (m) => void this.panel.webview.postMessage(m),
      onRunStarted: (run) => this.notify(run),
    });
    setPanelPage(panel, extensionUri, 'training', vscode.l10n.t('Fine-tuning'), vscode.l10n.t('Loading the fine-tuning panel…'));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => this.controller.setVisible(e.webviewPanel.visible)),
      panel.webview.onDidReceiveMessage((m: TrainingToHostMessage) => this.onMessage(m)),
    );
  }

  /** The run as a notification with Cancel; it closes when the run ends, however it ends. */
  private notify(run: RunHandle): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Transformer Labs: fine-tuning'), cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => run.cancel());
        let reported = 0;
        run.onProgress(({ fraction, message }) => {
          const increment = fraction === undefined ? undefined : Math.max(0, fraction * 100 - reported);
          if (increment) reported += increment;
          progress.report({ message, increment });
        });
        return run.done;
      },
    );
  }

  private onMessage(m: TrainingToHostMessage): void {
    switch (m?.type) {
      case 'ready':
        this.controller.onReady();
        break;
      case 'start': {
        const refused = this.controller.onStart(m.body);
        if (refused) console.warn(`[transformer-labs] training panel: start refused: ${refused}`);
        break;
      }
      case 'cancel':
        this.controller.cancel();
        break;
      case 'revealFunction':
        if (typeof m.body?.name === 'string') this.source.revealFunction(m.body.name);
        break;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
