// "Start Course": one folder for the whole course. In an empty (or course) folder that is already
// open it needs no dialog and no new window; otherwise the learner picks a folder once, and that
// one window is the course from then on (trusted once: its lab subfolders share the trust).
import * as vscode from 'vscode';
import { canHoldCourse, createCourse, readCourse } from '../../core/course/courseLayout';
import type { LabsContext } from '../context';
import type { LabRegistry } from '../labs/labRegistry';
import { openLabEditors } from '../labs/openLab';

export interface StartCourseArgs {
  /** Skip the folder dialog (tests). */
  folder?: string;
}

async function pickCourseFolder(): Promise<string | undefined> {
  const open = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (open && canHoldCourse(open).ok) return open;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Start the course here'),
    title: vscode.l10n.t('Choose an empty folder for the Transformer Labs course'),
  });
  return chosen?.[0]?.fsPath;
}

export async function startCourse(ctx: LabsContext, registry: LabRegistry, args: StartCourseArgs = {}): Promise<string | undefined> {
  const dir = args.folder ?? (await pickCourseFolder());
  if (!dir) return undefined;
  const ok = canHoldCourse(dir);
  if (!ok.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: {0}; a course needs an empty folder (or an existing course).', ok.why));
    return undefined;
  }
  createCourse(dir);
  ctx.output.info(`course folder: ${dir}`);
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.fsPath === dir);
  if (!inWorkspace) {
    // The one time a window opens: the course becomes this folder's workspace.
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir));
    return dir;
  }
  registry.refresh();
  await vscode.commands.executeCommand('transformerLabs.course.focus');
  return dir;
}

/**
 * After a window (re)load in a course: show the current lab's exercise file and instructions
 * beside each other unless one of its exercise files is already open in an editor.
 */
export async function restoreCourseEditors(registry: LabRegistry): Promise<void> {
  const course = registry.course;
  const a = registry.current;
  if (!course || !a || !readCourse(course, { quiet: true })) return;
  const own = new Set(a.lab.manifest.files.map((f) => vscode.Uri.file(`${a.dir}/${f.path}`).toString()));
  const shown = vscode.window.visibleTextEditors.some((e) => own.has(e.document.uri.toString()));
  if (shown) return;
  await openLabEditors(a.dir, a.lab);
}

