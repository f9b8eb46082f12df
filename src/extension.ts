// Wires the parts together; nothing heavy loads here (the sidecar starts on first check).
import * as vscode from 'vscode';
import { join } from 'node:path';
import { CheckController } from './checks/checkController';
import { ResultViews } from './checks/resultViews';
import { registerCommands } from './commands';
import { ComputeService } from './compute/computeService';
import { LabsContext } from './context';
import { gradeCommand } from './grading/gradeCommand';
import { LabRegistry } from './labs/labRegistry';
import { openLab, OpenLabArgs, resetLabCommand, showInstructions } from './labs/openLab';
import { AttentionPanel } from './panels/attentionPanel';
import type { AttentionSource } from './panels/attentionSource';
import { LabViewPanel, LabViewPanelSource } from './panels/labViewPanel';
import { LAB_VIEWS, pickLabView } from './panels/labViews';
import { TRAINING_VIEW, TrainingPanel } from './panels/trainingPanel';
import { trainingTaskSource } from './panels/trainingSource';
import { findFunctionRanges } from './checks/functionRanges';
import { readSettings } from './config';
import { showHint } from './labs/hintCommand';
import { ReusedFileLens, switchReusedCommand, type SwitchArgs, type SwitchDeps } from './labs/switchReused';
import type { ActiveLab } from './labs/labRegistry';

export interface TransformerLabsApi {
  registry: LabRegistry;
  checks: CheckController;
  compute: ComputeService;
  panel(): AttentionPanel | undefined;
  labView(id: string): LabViewPanel | undefined;
  training(): TrainingPanel | undefined;
}

/** The text selected in the editor (the active one, else a visible one: a focused panel has none active). */
function editorSelection(): string {
  const editors = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  const e = editors.find((x) => x && !x.selection.isEmpty);
  return e ? e.document.getText(e.selection).slice(0, 1000) : '';
}

/** When this bundle was loaded: activation time is measured from here (the e2e suite reads it). */
const loadedAt = performance.now();

export function activate(extension: vscode.ExtensionContext): TransformerLabsApi {
  const ctx = new LabsContext(extension);
  extension.subscriptions.push(ctx);
  const registry = ctx.push(new LabRegistry(ctx));
  const compute = ctx.push(new ComputeService(ctx));
  stopCompute = () => compute.stop();
  const checks = ctx.push(new CheckController(ctx, registry, compute));
  const views = ctx.push(new ResultViews(ctx, registry, checks));

  /** Runs the current lab's visualize function `view` on the learner's current text. */
  const computeView: LabViewPanelSource['compute'] = async (view, input, signal) => {
    const a = registry.current;
    if (!a) return { unavailable: 'Open a lab folder first (Transformer Labs: Open Lab…).' };
    if (!vscode.workspace.isTrusted) return { unavailable: 'The panel runs your code, so it works only in a trusted workspace.' };
    if (!a.lab.manifest.visualizations.some((v) => v.id === view)) {
      return { unavailable: `${a.lab.manifest.title} has no "${view}" view: open the lab it belongs to.` };
    }
    const { files } = checks.currentFiles(a);
    const field = LAB_VIEWS[view]?.selectionInput;
    if (field && !input[field]) input = { ...input, [field]: editorSelection() };
    return (await compute.client()).visualize({ labId: a.lab.manifest.id, files, view, input, limits: readSettings().limits }, signal);
  };
  const attentionSource: AttentionSource = {
    compute: (input, signal) => computeView('attention', input as unknown as Record<string, unknown>, signal),
    labTitle: () => registry.current?.lab.manifest.title,
    revealFunction(name) {
      const a = registry.current;
      if (!a) return;
      const file = a.lab.manifest.files.find((f) => f.functions.includes(name));
      if (!file) return;
      void vscode.workspace.openTextDocument(join(a.dir, file.path)).then((doc) => {
        const r = findFunctionRanges(doc.getText(), [name]).get(name);
        const pos = new vscode.Position(r?.line ?? 0, r?.start ?? 0);
        void vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
      });
    },
  };
  const labViewSource: LabViewPanelSource = {
    compute: computeView,
    labTitle: attentionSource.labTitle,
    revealFunction: (name) => attentionSource.revealFunction(name),
  };
  const trainingSource = trainingTaskSource(registry, checks, compute, attentionSource.revealFunction);
  ctx.push(
    checks.onDidPublish(() => {
      AttentionPanel.current?.refreshIfVisible();
      LabViewPanel.refreshVisible();
    }),
  );

  const reuse: SwitchDeps = { ctx, registry, checks: checks.engine, recheck: () => void checks.run('file switched') };
  ctx.push(vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'typescript' }, new ReusedFileLens(registry)));

  ctx.push(
    registerCommands({
      'transformerLabs.openLab': (args?: OpenLabArgs) => openLab(ctx, registry, args, reuse),
      'transformerLabs.switchReusedFile': (args?: SwitchArgs) => switchReusedCommand(reuse, args),
      'transformerLabs.runChecks': async () => {
        if (!registry.current) {
          void vscode.window.showInformationMessage('Transformer Labs: open a lab folder first (Open Lab…).');
          return undefined;
        }
        return checks.run('command');
      },
      'transformerLabs.gradeLab': () => gradeCommand(ctx, registry, checks, compute),
      'transformerLabs.showAttentionPanel': () => {
        // In Lab 6 the attention panel is its model mode: the learner's attention inside the mini-GPT.
        const views = registry.current?.lab.manifest.visualizations ?? [];
        if (!views.some((v) => v.id === 'attention') && views.some((v) => v.id === 'model-attention')) {
          LabViewPanel.createOrShow(extension.extensionUri, LAB_VIEWS['model-attention'], labViewSource);
        } else {
          AttentionPanel.createOrShow(extension.extensionUri, attentionSource);
        }
      },
      'transformerLabs.showLabPanel': async (viewId?: string) => {
        const kind = await pickLabView(registry, viewId);
        if (kind === 'attention') AttentionPanel.createOrShow(extension.extensionUri, attentionSource);
        else if (kind === TRAINING_VIEW) TrainingPanel.createOrShow(extension.extensionUri, trainingSource);
        else if (kind) LabViewPanel.createOrShow(extension.extensionUri, kind, labViewSource);
      },
      'transformerLabs.resetLab': () => resetLabCommand(registry),
      'transformerLabs.selectBackend': () => compute.selectBackend(),
      'transformerLabs.setupGpu': () => compute.setupGpu(),
      'transformerLabs.showComputeLog': () => ctx.output.show(),
      'transformerLabs.showInstructions': () => registry.current && showInstructions(registry.current.dir),
      'transformerLabs.showCheckDetails': (id: string) => views.showDetails(id),
      'transformerLabs.showHint': async (fn?: string) => {
        const a = registry.current;
        if (!a) return undefined;
        const name = fn ?? (await pickFunction(a));
        return name ? showHint(a, name, () => views.refreshHints()) : undefined;
      },
    }),
  );
  ctx.push(new vscode.Disposable(() => AttentionPanel.current?.dispose()));
  ctx.push(new vscode.Disposable(() => LabViewPanel.disposeAll()));
  ctx.push(new vscode.Disposable(() => TrainingPanel.current?.dispose()));

  const active = registry.refresh();
  views.reset();
  if (active) compute.showStatus();
  ctx.output.info(`Transformer Labs ${ctx.version} activated in ${Math.round(performance.now() - loadedAt)} ms`);
  return { registry, checks, compute, panel: () => AttentionPanel.current, labView: (id) => LabViewPanel.open.get(id), training: () => TrainingPanel.current };
}

/** Asks which exercise function (Show Hint from the palette). */
async function pickFunction(a: ActiveLab): Promise<string | undefined> {
  const fns = a.lab.manifest.files.flatMap((f) => f.functions.map((fn) => ({ label: fn, description: f.path })));
  return (await vscode.window.showQuickPick(fns, { title: 'Show the next hint for which function?' }))?.label;
}

/** Set while active: stops the compute sidecar. */
let stopCompute: (() => Promise<void>) | undefined;

/** VS Code waits for the returned promise: the sidecar is stopped, not left to die with the host. */
export function deactivate(): Promise<void> | undefined {
  const stop = stopCompute;
  stopCompute = undefined;
  return stop?.();
}
