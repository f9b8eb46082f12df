// Host side of the quiz panel: one WebviewPanel per lab's mastery questions, bound to that lab's
// folder (another lab may be opened meanwhile), re-sent to the page when the answers file changes
// (an answer given in the quick pick, a reset). The behaviour lives in QuizController (no vscode).
import * as vscode from 'vscode';
import type { QuizToHostMessage } from '../../core/protocol/quizPanel';
import { watchAnswers } from '../quiz/answersWatcher';
import { QuizController, type QuizLab } from './quizController';
import { panelWebviewOptions, setPanelPage } from './webviewOptions';

export interface QuizPanelSource {
  /** `labId`'s folder in this workspace with its questions, or why there is none. */
  load(labId: string): QuizLab | { unavailable: string };
  onAnswered(labId: string): void;
  revealFunction(labId: string, name: string): void;
}

/** What the page keeps with vscode.setState; the host reads labId back when VS Code restores the panel. */
export interface QuizPageState {
  labId?: unknown;
}

export class QuizPanel implements vscode.Disposable {
  static readonly viewType = 'transformerLabs.quiz';
  static readonly open = new Map<string, QuizPanel>();
  private readonly controller: QuizController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static createOrShow(extensionUri: vscode.Uri, labId: string, source: QuizPanelSource): QuizPanel {
    const existing = QuizPanel.open.get(labId);
    if (existing) {
      existing.panel.reveal(undefined, false);
      existing.controller.refresh();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(QuizPanel.viewType, QuizPanel.title(labId, source), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, panelWebviewOptions(extensionUri));
    return QuizPanel.adopt(panel, extensionUri, labId, source);
  }

  /** A panel VS Code restored after a reload; without a lab id in its page state it cannot be told which lab it was. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: QuizPageState | undefined, source: QuizPanelSource): QuizPanel | undefined {
    const labId = state?.labId;
    if (typeof labId !== 'string' || labId === '') {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = panelWebviewOptions(extensionUri);
    return QuizPanel.adopt(panel, extensionUri, labId, source);
  }

  static disposeAll(): void {
    for (const p of [...QuizPanel.open.values()]) p.dispose();
  }

  private static title(labId: string, source: QuizPanelSource): string {
    const lab = source.load(labId);
    return 'unavailable' in lab ? 'Mastery Questions' : `Quiz: ${lab.labTitle}`;
  }

  private static adopt(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, labId: string, source: QuizPanelSource): QuizPanel {
    QuizPanel.open.get(labId)?.dispose();
    const p = new QuizPanel(panel, extensionUri, labId, source);
    QuizPanel.open.set(labId, p);
    return p;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly labId: string,
    private readonly source: QuizPanelSource,
  ) {
    panel.title = QuizPanel.title(labId, source);
    this.controller = new QuizController({
      source: { load: () => source.load(labId), onAnswered: (id) => source.onAnswered(id) },
      post: (m) => void this.panel.webview.postMessage(m),
    });
    setPanelPage(panel, extensionUri, 'quiz', panel.title, vscode.l10n.t('Loading the mastery questions…'));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: QuizToHostMessage) => this.onMessage(m)),
    );
    const lab = source.load(labId);
    if (!('unavailable' in lab)) {
      // Answers given in the quick pick (or a reset) land in the same file: the page follows.
      this.disposables.push(watchAnswers(lab.dir, () => this.controller.refresh()));
    }
  }

  private onMessage(m: QuizToHostMessage): void {
    switch (m?.type) {
      case 'ready':
        this.controller.onReady();
        break;
      case 'answer': {
        const refused = this.controller.onAnswer(m.body);
        if (refused) console.warn(`[transformer-labs] quiz panel: answer refused: ${refused}`);
        break;
      }
      case 'revealFunction':
        if (typeof m.body?.name === 'string') this.source.revealFunction(this.labId, m.body.name);
        break;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (QuizPanel.open.get(this.labId) === this) QuizPanel.open.delete(this.labId);
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
