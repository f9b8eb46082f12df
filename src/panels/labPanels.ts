// Every webview panel of the extension, wired once: how a lab view is computed (the learner's
// current text through the sidecar), which panel each command opens in which lab, where it
// opens, refresh after checks, restore after a reload. extension.ts only calls this.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { CheckController } from '../checks/checkController';
import { findFunctionRanges } from '../checks/functionRanges';
import type { ComputeService } from '../compute/computeService';
import { readSettings } from '../config';
import type { LabsContext } from '../context';
import type { LabRegistry } from '../labs/labRegistry';
import { runProfile } from '../../core/profiler/profileRun';
import { PROFILE_VIEW, sidecarMeasure, timingBudget } from '../../core/profiler/sidecarMeasure';
import { DEFAULT_PROFILE_SETTINGS } from '../../core/protocol/views/profileView';
import { LabViewPanel, type LabViewKind, type LabViewPanelSource } from './labViewPanel';
import { LAB_VIEWS, pickLabView } from './labViews';
import { panelPlacement } from './panelPlacement';
import { registerPanelSerializers } from './panelSerializers';
import { QuizPanel } from './quizPanel';
import { TRAINING_VIEW, TrainingPanel } from './trainingPanel';
import { quizPanelSource } from '../quiz/quizPanelSource';
import type { CourseNode } from '../course/courseTree';
import { trainingTaskSource } from './trainingSource';

export interface LabPanelParts {
  ctx: LabsContext;
  extensionUri: vscode.Uri;
  registry: LabRegistry;
  checks: CheckController;
  compute: ComputeService;
  /** A quiz answer was recorded in the panel (the course view shows the score). */
  onQuizAnswered: () => void;
}

/** The text selected in the editor (the active one, else a visible one: a focused panel has none active). */
function editorSelection(): string {
  const editors = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  const e = editors.find((x) => x && !x.selection.isEmpty);
  return e ? e.document.getText(e.selection).slice(0, 1000) : '';
}

/** Opens the learner's exercise function (a panel's "Go to name()") in the first column. */
function revealFunction(registry: LabRegistry, name: string): void {
  const a = registry.current;
  const file = a?.lab.manifest.files.find((f) => f.functions.includes(name));
  if (!a || !file) return;
  void vscode.workspace.openTextDocument(join(a.dir, file.path)).then((doc) => {
    const r = findFunctionRanges(doc.getText(), [name]).get(name);
    const pos = new vscode.Position(r?.line ?? 0, r?.start ?? 0);
    void vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
  });
}

export function registerLabPanels({ ctx, extensionUri, registry, checks, compute, onQuizAnswered }: LabPanelParts) {
  /** Runs the current lab's visualize function `view` on the learner's current text. */
  const computeView: LabViewPanelSource['compute'] = async (view, input, signal) => {
    const a = registry.current;
    if (!a) return { unavailable: vscode.l10n.t('Open a lab folder first (Transformer Labs: Open Lab…).') };
    if (!vscode.workspace.isTrusted) return { unavailable: vscode.l10n.t('The panel runs your code, so it works only in a trusted workspace.') };
    if (!a.lab.manifest.visualizations.some((v) => v.id === view)) {
      return { unavailable: vscode.l10n.t('{0} has no "{1}" view: open the lab it belongs to.', a.lab.manifest.title, view) };
    }
    const { files } = checks.currentFiles(a);
    if (view === PROFILE_VIEW) {
      // Many bounded sidecar calls, one per function and N: the learner's code never runs here.
      const limits = readSettings().limits;
      const maxN = Number(input.maxN) || DEFAULT_PROFILE_SETTINGS.maxN;
      const data = await runProfile(sidecarMeasure(() => compute.client(), a.lab.manifest.id, () => files, limits), { ...DEFAULT_PROFILE_SETTINGS, maxN }, { signal, budgetMs: timingBudget(limits) });
      return 'unavailable' in data ? data : { ok: true, data };
    }
    const field = LAB_VIEWS[view]?.selectionInput;
    if (field && !input[field]) input = { ...input, [field]: editorSelection() };
    return (await compute.client()).visualize({ labId: a.lab.manifest.id, labChecks: a.lab.checksSource, files, view, input, limits: readSettings().limits }, signal);
  };
  const reveal = (name: string) => revealFunction(registry, name);
  const labViewSource: LabViewPanelSource = { compute: computeView, labTitle: () => registry.current?.lab.manifest.title, revealFunction: reveal };
  const trainingSource = trainingTaskSource(registry, checks, compute, reveal);
  const quizSource = quizPanelSource(registry, onQuizAnswered, reveal);

  for (const d of registerPanelSerializers(extensionUri, { labView: labViewSource, training: trainingSource, quiz: quizSource })) ctx.push(d);
  ctx.push(checks.onDidPublish(() => LabViewPanel.refreshVisible()));
  ctx.push(new vscode.Disposable(() => LabViewPanel.disposeAll()));
  ctx.push(new vscode.Disposable(() => TrainingPanel.current?.dispose()));
  ctx.push(new vscode.Disposable(() => QuizPanel.disposeAll()));

  /** The walkthrough's "See your attention" step completes on this key, set only with a lab open. */
  const markAttentionShown = () => {
    if (registry.current) void vscode.commands.executeCommand('setContext', 'transformerLabs.attentionPanelShown', true);
  };
  const showLabView = async (id: string | LabViewKind) => LabViewPanel.createOrShow(extensionUri, typeof id === 'string' ? LAB_VIEWS[id] : id, labViewSource, await panelPlacement(registry));

  const commands = {
    'transformerLabs.showAttentionPanel': async () => {
      // In Lab 6 the attention panel is its model mode: the learner's attention inside the mini-GPT.
      const views = registry.current?.lab.manifest.visualizations ?? [];
      const modelOnly = !views.some((v) => v.id === 'attention') && views.some((v) => v.id === 'model-attention');
      await showLabView(modelOnly ? 'model-attention' : 'attention');
      markAttentionShown();
    },
    'transformerLabs.showLabPanel': async (viewId?: string) => {
      const kind = await pickLabView(registry, viewId);
      if (!kind) return;
      if (kind === TRAINING_VIEW) {
        TrainingPanel.createOrShow(extensionUri, trainingSource, await panelPlacement(registry));
        return;
      }
      await showLabView(kind);
      if (kind.id === 'attention') markAttentionShown();
    },
    'transformerLabs.showProfiler': async () => {
      if (!registry.current?.lab.manifest.visualizations.some((v) => v.id === PROFILE_VIEW)) {
        void vscode.window.showInformationMessage(vscode.l10n.t("Transformer Labs: the complexity profiler measures Lab 1's attention: open Lab 1 (Attention from scratch) first."));
        return;
      }
      await showLabView(PROFILE_VIEW);
    },
    'transformerLabs.showQuizPanel': (arg?: string | Extract<CourseNode, { kind: 'lab' }>) => {
      // From the course view: that lab's questions, whichever lab is open; from the palette: the open lab's.
      const labId = typeof arg === 'string' ? arg : arg && typeof arg === 'object' ? arg.entry.lab.manifest.id : registry.current?.lab.manifest.id;
      if (!labId) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
        return;
      }
      QuizPanel.createOrShow(extensionUri, labId, quizSource);
    },
  };
  return { commands, labView: (id: string) => LabViewPanel.open.get(id), training: () => TrainingPanel.current, quiz: (labId: string) => QuizPanel.open.get(labId) };
}
