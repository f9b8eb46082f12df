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
import { registerPanelSerializers } from './panels/panelSerializers';
import { findFunctionRanges } from './checks/functionRanges';
import { readSettings } from './config';
import { showHint } from './labs/hintCommand';
import { ReusedFileLens, switchReusedCommand, type SwitchArgs, type SwitchDeps } from './labs/switchReused';
import type { ActiveLab } from './labs/labRegistry';
import { runProfile } from '../core/profiler/profileRun';
import { answerQuiz } from './quiz/quizCommand';
import { QuizPanel } from './panels/quizPanel';
import { quizPanelSource } from './quiz/quizPanelSource';
import { PROFILE_VIEW, sidecarMeasure, timingBudget } from '../core/profiler/sidecarMeasure';
import { DEFAULT_PROFILE_SETTINGS } from '../core/protocol/views/profileView';
import { CourseTree, type CourseNode } from './course/courseTree';
import { continueCourse, ensureOpen, goToFunction, onLab, openCourseLab, showCheck, type CourseCommandDeps } from './course/courseCommands';
import { restoreCourseEditors, startCourse, type StartCourseArgs } from './course/startCourse';

export interface TransformerLabsApi {
  registry: LabRegistry;
  checks: CheckController;
  compute: ComputeService;
  panel(): AttentionPanel | undefined;
  labView(id: string): LabViewPanel | undefined;
  training(): TrainingPanel | undefined;
  quiz(labId: string): QuizPanel | undefined;
  course: CourseTree;
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

  const courseTree = ctx.push(new CourseTree(ctx, registry, checks));
  ctx.push(vscode.window.createTreeView('transformerLabs.course', { treeDataProvider: courseTree, showCollapseAll: true }));
  const course: CourseCommandDeps = { registry, tree: courseTree, checks };
  type LabOrFn = Extract<CourseNode, { kind: 'lab' | 'function' }>;

  /** The walkthrough's "See your attention" step completes on this key, set only with a lab open. */
  const markAttentionShown = () => {
    if (registry.current) void vscode.commands.executeCommand('setContext', 'transformerLabs.attentionPanelShown', true);
  };

  const quizSource = quizPanelSource(registry, () => courseTree.refreshSoon(), (name) => attentionSource.revealFunction(name));
  for (const d of registerPanelSerializers(extension.extensionUri, { attention: attentionSource, labView: labViewSource, training: trainingSource, quiz: quizSource })) ctx.push(d);

  const reuse: SwitchDeps = { ctx, registry, checks: checks.engine, recheck: () => void checks.run('file switched') };
  ctx.push(vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'typescript' }, new ReusedFileLens(registry)));

  ctx.push(
    registerCommands({
      'transformerLabs.openLab': (args?: OpenLabArgs) => openLab(ctx, registry, args, reuse),
      'transformerLabs.chooseLabFolder': () => registry.chooseLabFolder(),
      'transformerLabs.switchReusedFile': (args?: SwitchArgs) => switchReusedCommand(reuse, args),
      'transformerLabs.runChecks': async () => {
        if (!registry.current) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
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
        markAttentionShown();
      },
      'transformerLabs.showLabPanel': async (viewId?: string) => {
        const kind = await pickLabView(registry, viewId);
        if (kind === 'attention') {
          AttentionPanel.createOrShow(extension.extensionUri, attentionSource);
          markAttentionShown();
        }
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
      'transformerLabs.showProfiler': () => {
        const a = registry.current;
        if (!a?.lab.manifest.visualizations.some((v) => v.id === PROFILE_VIEW)) {
          void vscode.window.showInformationMessage(vscode.l10n.t("Transformer Labs: the complexity profiler measures Lab 1's attention: open Lab 1 (Attention from scratch) first."));
          return;
        }
        LabViewPanel.createOrShow(extension.extensionUri, LAB_VIEWS.profile, labViewSource);
      },
      'transformerLabs.answerQuiz': async (arg?: string | Extract<CourseNode, { kind: 'lab' }>) => {
        if (arg && typeof arg === 'object' && !(await ensureOpen(course, arg))) return undefined;
        const a = registry.current;
        if (!a) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
          return undefined;
        }
        return answerQuiz(a, () => courseTree.refreshSoon(), typeof arg === 'string' ? arg : undefined);
      },
      'transformerLabs.showQuizPanel': (arg?: string | Extract<CourseNode, { kind: 'lab' }>) => {
        // From the course view: that lab's questions, whichever lab is open; from the palette: the open lab's.
        const labId = typeof arg === 'string' ? arg : arg && typeof arg === 'object' ? arg.entry.lab.manifest.id : registry.current?.lab.manifest.id;
        if (!labId) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
          return undefined;
        }
        QuizPanel.createOrShow(extension.extensionUri, labId, quizSource);
        return undefined;
      },
      'transformerLabs.startCourse': (args?: StartCourseArgs) => startCourse(ctx, registry, args),
      'transformerLabs.course.continue': () => continueCourse(course),
      'transformerLabs.course.refresh': () => courseTree.refresh(),
      'transformerLabs.course.openLab': (node?: LabOrFn) => (node ? openCourseLab(course, node.entry.lab.manifest.id) : undefined),
      'transformerLabs.course.runChecks': (node?: LabOrFn) => onLab(course, 'transformerLabs.runChecks', node),
      'transformerLabs.course.grade': (node?: LabOrFn) => onLab(course, 'transformerLabs.gradeLab', node),
      'transformerLabs.course.reset': (node?: LabOrFn) => onLab(course, 'transformerLabs.resetLab', node),
      'transformerLabs.course.showHint': (node?: Extract<CourseNode, { kind: 'function' }>) =>
        onLab(course, 'transformerLabs.showHint', node, node?.fn.name),
      'transformerLabs.course.goToFunction': (node: Extract<CourseNode, { kind: 'function' }>) => goToFunction(course, node),
      'transformerLabs.course.showCheck': (node: Extract<CourseNode, { kind: 'check' }>) => showCheck(course, node),
    }, ctx.output),
  );
  ctx.push(new vscode.Disposable(() => AttentionPanel.current?.dispose()));
  ctx.push(new vscode.Disposable(() => LabViewPanel.disposeAll()));
  ctx.push(new vscode.Disposable(() => TrainingPanel.current?.dispose()));
  ctx.push(new vscode.Disposable(() => QuizPanel.disposeAll()));

  const active = registry.refresh();
  views.reset();
  courseTree.refresh();
  if (registry.course) void restoreCourseEditors(registry).catch((err: Error) => ctx.output.warn(`course: could not reopen the lab's editors (${err.message})`));
  if (active) compute.showStatus();
  ctx.output.info(`Transformer Labs ${ctx.version} activated in ${Math.round(performance.now() - loadedAt)} ms`);
  return { registry, checks, compute, panel: () => AttentionPanel.current, labView: (id) => LabViewPanel.open.get(id), training: () => TrainingPanel.current, quiz: (labId) => QuizPanel.open.get(labId), course: courseTree };
}

/** Asks which exercise function (Show Hint from the palette). */
async function pickFunction(a: ActiveLab): Promise<string | undefined> {
  const fns = a.lab.manifest.files.flatMap((f) => f.functions.map((fn) => ({ label: fn, description: f.path })));
  return (await vscode.window.showQuickPick(fns, { title: vscode.l10n.t('Show the next hint for which function?') }))?.label;
}

/** Set while active: stops the compute sidecar. */
let stopCompute: (() => Promise<void>) | undefined;

/** VS Code waits for the returned promise: the sidecar is stopped, not left to die with the host. */
export function deactivate(): Promise<void> | undefined {
  const stop = stopCompute;
  stopCompute = undefined;
  return stop?.();
}
