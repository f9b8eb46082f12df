// Panels come back after a window reload: VS Code keeps each open panel's place and page state
// and, for a registered view type, hands the restored panel to the extension (activating it by
// the view type's onWebviewPanel event in package.json).
import * as vscode from 'vscode';
import { LabViewPanel, type LabViewPanelSource } from './labViewPanel';
import { LAB_VIEWS } from './labViews';
import { QuizPanel, type QuizPageState, type QuizPanelSource } from './quizPanel';
import { TrainingPanel, type TrainingPanelSource } from './trainingPanel';

export interface PanelSources {
  labView: LabViewPanelSource;
  training: TrainingPanelSource;
  quiz: QuizPanelSource;
}

/**
 * The attention panel's view type before it became one lab view among the others: a panel left
 * open in a window of an older build comes back as the attention view.
 */
export const LEGACY_ATTENTION_VIEW_TYPE = 'transformerLabs.attention';

/** Every webview panel view type the extension creates, or restores from an older build. */
export function panelViewTypes(): string[] {
  return [...Object.keys(LAB_VIEWS).map((id) => LabViewPanel.viewTypePrefix + id), TrainingPanel.viewType, QuizPanel.viewType, LEGACY_ATTENTION_VIEW_TYPE];
}

export function registerPanelSerializers(extensionUri: vscode.Uri, sources: PanelSources): vscode.Disposable[] {
  const serializer = (revive: (panel: vscode.WebviewPanel, state: unknown) => unknown): vscode.WebviewPanelSerializer => ({
    async deserializeWebviewPanel(panel, state) {
      revive(panel, state);
    },
  });
  return [
    ...Object.values(LAB_VIEWS).map((kind) =>
      vscode.window.registerWebviewPanelSerializer(LabViewPanel.viewTypePrefix + kind.id, serializer((p) => LabViewPanel.revive(p, extensionUri, kind, sources.labView))),
    ),
    vscode.window.registerWebviewPanelSerializer(LEGACY_ATTENTION_VIEW_TYPE, serializer((p) => LabViewPanel.revive(p, extensionUri, LAB_VIEWS.attention, sources.labView))),
    vscode.window.registerWebviewPanelSerializer(TrainingPanel.viewType, serializer((p) => TrainingPanel.revive(p, extensionUri, sources.training))),
    // The quiz page keeps its lab's id in its state: the one panel per lab comes back bound to it.
    vscode.window.registerWebviewPanelSerializer(QuizPanel.viewType, serializer((p, state) => QuizPanel.revive(p, extensionUri, state as QuizPageState | undefined, sources.quiz))),
  ];
}
