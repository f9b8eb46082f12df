// "Open Lab…": pick a lab, pick an empty folder, scaffold it, open the code and the instructions.
import * as vscode from 'vscode';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../core/labs/manifest';
import { findLabWorkspace, INSTRUCTIONS_FILE, resetLab, scaffoldLab } from '../../core/labs/scaffold';
import type { LabsContext } from '../context';
import type { LabRegistry } from './labRegistry';
import { describeReuse, planReuse, type ReuseDecision } from '../../core/labs/reusePlan';
import { announceDecision, earlierRoots, type SwitchDeps } from './switchReused';

export interface OpenLabArgs {
  /** Skip the pickers (tests, walkthrough links). */
  labId?: string;
  folder?: string;
}

function isEmptyOrSameLab(dir: string, lab: Lab): boolean {
  const visible = readdirSync(dir).filter((n) => !n.startsWith('.'));
  if (visible.length === 0) return true;
  try {
    return findLabWorkspace(dir)?.labId === lab.manifest.id;
  } catch {
    return false;
  }
}

async function pickLab(ctx: LabsContext, registry: LabRegistry): Promise<Lab | undefined> {
  const { labs, errors } = registry.labs;
  type Item = vscode.QuickPickItem & { lab?: Lab };
  const items: Item[] = labs.map((lab) => {
    const m = lab.manifest;
    const p = ctx.progress.get(m.id);
    const score = p?.bestScore !== undefined ? ` · best ${p.bestScore}/${p.maxScore}` : '';
    return { label: `${m.order}. ${m.title}`, description: `~${m.estimatedMinutes} min${score}`, detail: m.summary, lab };
  });
  for (const e of errors) {
    items.push({ label: '$(error) A lab could not be loaded', detail: e.message });
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'Transformer Labs: open a lab', matchOnDetail: true, ignoreFocusOut: true });
  if (pick && !pick.lab) {
    void vscode.window.showErrorMessage(`Transformer Labs: ${pick.detail}`);
    return undefined;
  }
  return pick?.lab;
}

async function pickFolder(lab: Lab): Promise<string | undefined> {
  const open = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (open && isEmptyOrSameLab(open, lab)) return open;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: `Create "${lab.manifest.title}" here`,
    title: 'Choose an empty folder for the lab',
  });
  return chosen?.[0]?.fsPath;
}

export async function openLab(ctx: LabsContext, registry: LabRegistry, args: OpenLabArgs = {}, reuse?: SwitchDeps): Promise<string | undefined> {
  const lab = args.labId ? registry.labs.labs.find((l) => l.manifest.id === args.labId) : await pickLab(ctx, registry);
  if (!lab) {
    if (args.labId) void vscode.window.showErrorMessage(`Transformer Labs: there is no lab "${args.labId}".`);
    return undefined;
  }
  const dir = args.folder ?? (await pickFolder(lab));
  if (!dir) return undefined;
  if (existsSync(dir) && !isEmptyOrSameLab(dir, lab)) {
    void vscode.window.showErrorMessage(`Transformer Labs: ${dir} is not empty; choose an empty folder for the lab.`);
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Transformer Labs: creating ${lab.manifest.title}` },
    async (progress) => {
      // A file built on an earlier lab takes the learner's code only if it passes that lab's checks.
      let decisions: ReuseDecision[] = [];
      if (lab.manifest.files.some((f) => f.reuseFrom)) {
        progress.report({ message: 'checking your earlier lab' });
        decisions = await planReuse(lab, {
          labs: registry.labs.labs,
          roots: earlierRoots(ctx, lab, dir),
          checks: reuse?.checks,
          trusted: vscode.workspace.isTrusted,
        });
      }
      return { decisions, scaffold: scaffoldLab(lab, dir, { typesDir: ctx.typesDir, reuse: decisions }) };
    },
  );
  for (const d of result.decisions) {
    if (!result.scaffold.kept.includes(d.path)) {
      if (reuse) announceDecision(reuse, dir, d);
      ctx.output.info(describeReuse(d));
    }
  }
  await ctx.progress.update(lab.manifest.id, (p) => ({ ...p, lastOpened: new Date().toISOString(), workspace: dir }));
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.fsPath === dir);
  if (!inWorkspace) {
    // Not awaited: the notification may stay unanswered, and the lab is already created.
    void vscode.window
      .showInformationMessage(`${lab.manifest.title} is ready in ${dir}. Open the folder to start?`, 'Open Folder', 'Add to Workspace')
      .then((choice) => {
        if (choice === 'Open Folder') return vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir));
        if (choice === 'Add to Workspace') {
          const at = vscode.workspace.workspaceFolders?.length ?? 0;
          vscode.workspace.updateWorkspaceFolders(at, 0, { uri: vscode.Uri.file(dir) });
        }
        return undefined;
      });
    return dir;
  }
  registry.refresh();
  const doc = await vscode.workspace.openTextDocument(result.scaffold.exerciseFiles[0]);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  await showInstructions(dir);
  return dir;
}

export async function showInstructions(dir: string): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreviewToSide', vscode.Uri.file(join(dir, INSTRUCTIONS_FILE)));
}

export async function resetLabCommand(registry: LabRegistry): Promise<void> {
  const a = registry.current;
  if (!a) {
    void vscode.window.showInformationMessage('Transformer Labs: open a lab folder first (Open Lab…).');
    return;
  }
  const files = a.lab.manifest.files.map((f) => f.path).join(', ');
  const ok = await vscode.window.showWarningMessage(
    `Reset ${a.lab.manifest.title}? ${files} go back to the starter code. Your current files are backed up first.`,
    { modal: true },
    'Reset',
  );
  if (ok !== 'Reset') return;
  // Save open editors first so the backup holds what the learner sees.
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && registry.exerciseFileOf(doc.uri)) await doc.save();
  }
  const r = resetLab(a.lab, a.dir);
  void vscode.window.showInformationMessage(`Transformer Labs: lab reset. Your previous files are in ${r.backupDir}.`);
}
