// Wires the parts together; nothing heavy loads here (the sidecar starts on first check).
import * as vscode from 'vscode';
import { CheckController } from './checks/checkController';
import { ResultViews } from './checks/resultViews';
import { registerCommands } from './commands';
import { ComputeService } from './compute/computeService';
import { LabsContext } from './context';
import { useTranslator } from './l10n';
import { gradeCommand } from './grading/gradeCommand';
import { LabRegistry } from './labs/labRegistry';
import { openLab, OpenLabArgs, resetLabCommand, showInstructions } from './labs/openLab';
import type { LabViewPanel } from './panels/labViewPanel';
import { registerLabPanels } from './panels/labPanels';
import type { TrainingPanel } from './panels/trainingPanel';
import type { QuizPanel } from './panels/quizPanel';
import { showHint } from './labs/hintCommand';
import { ReusedFileLens, switchReusedCommand, type SwitchArgs, type SwitchDeps } from './labs/switchReused';
import type { ActiveLab } from './labs/labRegistry';
import { answerQuiz } from './quiz/quizCommand';
import { CourseTree, type CourseNode } from './course/courseTree';
import { continueCourse, ensureOpen, goToFunction, onLab, openCourseLab, showCheck, type CourseCommandDeps } from './course/courseCommands';
import { restoreCourseEditors, startCourse, type StartCourseArgs } from './course/startCourse';

export interface TransformerLabsApi {
  registry: LabRegistry;
  checks: CheckController;
  compute: ComputeService;
  labView(id: string): LabViewPanel | undefined;
  training(): TrainingPanel | undefined;
  quiz(labId: string): QuizPanel | undefined;
  course: CourseTree;
}

/** When this bundle was loaded: activation time is measured from here (the e2e suite reads it). */
const loadedAt = performance.now();

export function activate(extension: vscode.ExtensionContext): TransformerLabsApi {
  // Before anything is built: the vscode-free parts translate through it from their first message.
  useTranslator(vscode.l10n.t);
  const ctx = new LabsContext(extension);
  extension.subscriptions.push(ctx);
  const registry = ctx.push(new LabRegistry(ctx));
  const compute = ctx.push(new ComputeService(ctx));
  stopCompute = () => compute.stop();
  const checks = ctx.push(new CheckController(ctx, registry, compute));
  const views = ctx.push(new ResultViews(ctx, registry, checks));

  const courseTree = ctx.push(new CourseTree(ctx, registry, checks));
  const panels = registerLabPanels({ ctx, extensionUri: extension.extensionUri, registry, checks, compute, onQuizAnswered: () => courseTree.refreshSoon() });
  ctx.push(vscode.window.createTreeView('transformerLabs.course', { treeDataProvider: courseTree, showCollapseAll: true }));
  const course: CourseCommandDeps = { registry, tree: courseTree, checks };
  type LabOrFn = Extract<CourseNode, { kind: 'lab' | 'function' }>;

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
      ...panels.commands,
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
      'transformerLabs.answerQuiz': async (arg?: string | Extract<CourseNode, { kind: 'lab' }>) => {
        if (arg && typeof arg === 'object' && !(await ensureOpen(course, arg))) return undefined;
        const a = registry.current;
        if (!a) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
          return undefined;
        }
        return answerQuiz(a, () => courseTree.refreshSoon(), typeof arg === 'string' ? arg : undefined);
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

  const active = registry.refresh();
  views.reset();
  courseTree.refresh();
  if (registry.course) void restoreCourseEditors(registry).catch((err: Error) => ctx.output.warn(`course: could not reopen the lab's editors (${err.message})`));
  if (active) compute.showStatus();
  ctx.output.info(`Transformer Labs ${ctx.version} activated in ${Math.round(performance.now() - loadedAt)} ms`);
  return { registry, checks, compute, labView: panels.labView, training: panels.training, quiz: panels.quiz, course: courseTree };
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
