// The course view's actions: open a lab, continue where the learner left off, go to a function,
// show a check, and run checks / grade / reset / show hints on a lab that may not be the open one
// (it is made the course's current lab first, in this window).
import * as vscode from 'vscode';
import { continueLab, readCourse } from '../../core/course/courseLayout';
import { isDone, nextFunction } from '../../core/course/labStatus';
import type { CheckController } from '../checks/checkController';
import { findFunctionRanges } from '../checks/functionRanges';
import type { LabRegistry } from '../labs/labRegistry';
import type { CourseNode, CourseTree } from './courseTree';

type LabNode = Extract<CourseNode, { kind: 'lab' }>;
type FunctionNode = Extract<CourseNode, { kind: 'function' }>;
type CheckNode = Extract<CourseNode, { kind: 'check' }>;

export interface CourseCommandDeps {
  registry: LabRegistry;
  tree: CourseTree;
  checks: CheckController;
}

function labIdOf(node?: CourseNode): string | undefined {
  return node?.entry.lab.manifest.id;
}

/** Opens (and creates, the first time) a lab of the course; a lab already current is only shown. */
export async function openCourseLab(deps: CourseCommandDeps, labId: string): Promise<string | undefined> {
  return (await vscode.commands.executeCommand<string | undefined>('transformerLabs.openLab', { labId })) ?? undefined;
}

/** Makes the node's lab the open one (creating it if needed); false when that did not happen. */
export async function ensureOpen(deps: CourseCommandDeps, node?: CourseNode): Promise<boolean> {
  const id = labIdOf(node);
  if (!id || deps.registry.current?.lab.manifest.id === id) return !!deps.registry.current;
  await openCourseLab(deps, id);
  return deps.registry.current?.lab.manifest.id === id;
}

export async function goToFunction(deps: CourseCommandDeps, node: FunctionNode): Promise<void> {
  if (!(await ensureOpen(deps, node))) return;
  const a = deps.registry.current!;
  const doc = await vscode.workspace.openTextDocument(`${a.dir}/${node.fn.file}`);
  const r = findFunctionRanges(doc.getText(), [node.fn.name]).get(node.fn.name);
  const pos = new vscode.Position(r?.line ?? 0, r?.start ?? 0);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos), preview: false });
}

export async function showCheck(deps: CourseCommandDeps, node: CheckNode): Promise<void> {
  const c = node.check;
  const live = deps.checks.last?.active.dir === node.entry.dir && deps.checks.last.run.outcomes.some((o) => o.id === c.id);
  if (live && c.status !== 'pass') {
    await vscode.commands.executeCommand('transformerLabs.showCheckDetails', c.id);
    return;
  }
  const what = c.status === 'unknown' ? 'not checked yet (open the lab to run its checks)' : c.status === 'pass' ? 'passes' : c.status;
  void vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1}{2}', c.title, what, c.message ? `\n\n${c.message}` : ''), { modal: c.status !== 'pass' && c.status !== 'unknown' });
}

/** "Continue": the lab to work on (the current one unless done) and its first unfinished function. */
export async function continueCourse(deps: CourseCommandDeps): Promise<void> {
  const course = deps.registry.course;
  if (!course) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: start a course first (Transformer Labs: Start Course).'));
    return;
  }
  deps.tree.refresh();
  const marker = readCourse(course);
  if (!marker) return;
  const entries = deps.tree.labs;
  const lab = continueLab(marker, entries.map((e) => e.lab), (id) => {
    const e = entries.find((x) => x.lab.manifest.id === id);
    return !!e && isDone(e.status);
  });
  if (!lab) return;
  await openCourseLab(deps, lab.manifest.id);
  deps.tree.refresh();
  const entry = deps.tree.labs.find((e) => e.lab.manifest.id === lab.manifest.id);
  const fn = entry ? nextFunction(entry.status) : undefined;
  if (entry && fn) await goToFunction(deps, { kind: 'function', entry, fn });
}

/** Runs `command` on the node's lab, opening it first when it is not the open one. */
export async function onLab(deps: CourseCommandDeps, command: string, node?: LabNode | FunctionNode, ...args: unknown[]): Promise<unknown> {
  if (node && !(await ensureOpen(deps, node))) return undefined;
  return vscode.commands.executeCommand(command, ...args);
}
