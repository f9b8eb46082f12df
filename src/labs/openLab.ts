// "Open Lab…": pick a lab, pick an empty folder, scaffold it, open the code and the instructions.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Lab } from '../../core/labs/manifest';
import { findLabWorkspace, INSTRUCTIONS_FILE, resetLab, scaffoldLab } from '../../core/labs/scaffold';
import type { LabsContext } from '../context';
import type { LabRegistry } from './labRegistry';
import { describeReuse, planReuse, type ReuseDecision } from '../../core/labs/reusePlan';
import { folderFit, foldersForLab } from './labFolders';
import { announceDecision, earlierRoots, type SwitchDeps } from './switchReused';
import { courseRootOf, labFolder, recordOpened } from '../../core/course/courseLayout';
import { layOutEditors } from './editorLayout';
import { instructionPreviews, staleInstructionTabs } from './instructionTabs';

export interface OpenLabArgs {
  /** Skip the pickers (tests, walkthrough links). */
  labId?: string;
  folder?: string;
}

async function pickLab(ctx: LabsContext, registry: LabRegistry): Promise<Lab | undefined> {
  const { labs, errors } = registry.labs;
  type Item = vscode.QuickPickItem & { lab?: Lab };
  const items: Item[] = labs.map((lab) => {
    const m = lab.manifest;
    const p = ctx.progress.get(m.id);
    const score = p?.bestScore !== undefined ? ` · best ${p.bestScore}/${p.maxScore}` : '';
    return { label: `${m.order}. ${m.title}`, description: vscode.l10n.t('~{0} min{1}', m.estimatedMinutes, score), detail: m.summary, lab };
  });
  for (const e of errors) {
    items.push({ label: vscode.l10n.t('$(error) A lab could not be loaded'), detail: e.message });
  }
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Transformer Labs: open a lab'), matchOnDetail: true, ignoreFocusOut: true });
  if (pick && !pick.lab) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: {0}', pick.detail ?? ''));
    return undefined;
  }
  return pick?.lab;
}

/**
 * Where to create the lab: a workspace folder that already holds it, else an empty one; with
 * several that fit, the learner picks (or browses for another); with none, a folder dialog.
 */
export async function pickFolder(lab: Lab): Promise<string | undefined> {
  const open = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const fits = foldersForLab(open, lab.manifest.id);
  const same = fits.filter((f) => f.fit === 'same-lab');
  if (same.length === 1) return same[0].dir;
  if (fits.length === 1) return fits[0].dir;
  if (fits.length > 1) {
    const browse = vscode.l10n.t('Choose another folder…');
    const items = [
      ...fits.map((f) => ({ label: basename(f.dir), description: f.fit === 'same-lab' ? vscode.l10n.t('holds {0}', lab.manifest.title) : vscode.l10n.t('empty'), detail: f.dir })),
      { label: browse },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Transformer Labs: which folder for {0}?', lab.manifest.title), ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.label !== browse) return (pick as { detail: string }).detail;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Create "{0}" here', lab.manifest.title),
    title: vscode.l10n.t('Choose an empty folder for the lab'),
  });
  return chosen?.[0]?.fsPath;
}

export async function openLab(ctx: LabsContext, registry: LabRegistry, args: OpenLabArgs = {}, reuse?: SwitchDeps): Promise<string | undefined> {
  const lab = args.labId ? registry.labs.labs.find((l) => l.manifest.id === args.labId) : await pickLab(ctx, registry);
  if (!lab) {
    if (args.labId) void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: there is no lab "{0}".', args.labId));
    return undefined;
  }
  // In a course the lab's folder is known: no dialog, no new window.
  const course = args.folder ? courseRootOf(args.folder) : registry.course;
  const dir = args.folder ?? (course ? labFolder(course, lab) : await pickFolder(lab));
  if (!dir) return undefined;
  if (course && findLabWorkspace(dir, { quiet: true })?.labId === lab.manifest.id) {
    // Already created: just switch to it (re-scaffolding would re-run the reuse checks).
    recordOpened(course, lab.manifest.id);
    await ctx.progress.update(lab.manifest.id, (p) => ({ ...p, lastOpened: new Date().toISOString(), workspace: dir }));
    registry.refresh();
    await openLabEditors(dir, lab);
    return dir;
  }
  if (existsSync(dir) && folderFit(dir, lab.manifest.id) === 'taken') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: {0} is not empty; choose an empty folder for the lab.', dir));
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Transformer Labs: creating {0}', lab.manifest.title) },
    async (progress) => {
      // A file built on an earlier lab takes the learner's code only if it passes that lab's checks.
      let decisions: ReuseDecision[] = [];
      if (lab.manifest.files.some((f) => f.reuseFrom)) {
        progress.report({ message: vscode.l10n.t('checking your earlier lab') });
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
  if (course) recordOpened(course, lab.manifest.id);
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.fsPath === dir || (course !== undefined && f.uri.fsPath === course));
  if (!inWorkspace) {
    // Not awaited: the notification may stay unanswered, and the lab is already created.
    void vscode.window
      .showInformationMessage(vscode.l10n.t('{0} is ready in {1}. Open the folder to start?', lab.manifest.title, dir), vscode.l10n.t('Open Folder'), vscode.l10n.t('Add to Workspace'))
      .then((choice) => {
        if (choice === vscode.l10n.t('Open Folder')) return vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir));
        if (choice === vscode.l10n.t('Add to Workspace')) {
          const at = vscode.workspace.workspaceFolders?.length ?? 0;
          vscode.workspace.updateWorkspaceFolders(at, 0, { uri: vscode.Uri.file(dir) });
        }
        return undefined;
      });
    return dir;
  }
  registry.refresh();
  await openLabEditors(dir, lab);
  return dir;
}

/** The lab's first exercise file on the left and its instructions beside it, on the right. */
export function openLabEditors(dir: string, lab: Lab): Promise<void> {
  return layOutEditors(async () => {
    const doc = await vscode.workspace.openTextDocument(join(dir, lab.manifest.files[0].path));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    await previewInstructions(dir);
  });
}

export function showInstructions(dir: string): Promise<void> {
  return layOutEditors(() => previewInstructions(dir));
}

/** How long Open Lab waits for the instructions' tab to come to the front (tests shorten it). */
export const previewTiming = { maxWaitMs: 3_000 };

/** The preview Open Lab last brought to the front, and whose instructions it shows. */
let lastShown: { dir: string; tab: vscode.Tab } | undefined;

/**
 * A locked preview, each keeping its own lab; the other labs' are closed. The Markdown extension's
 * unlocked preview, reused for the next lab, keeps the first lab's file in its saved state (its
 * page updates `resource` only when first drawn), so a window reload brought back another lab's
 * instructions beside the code (course e2e, CI of 2026-12-04).
 */
async function previewInstructions(dir: string): Promise<void> {
  const uri = vscode.Uri.file(join(dir, INSTRUCTIONS_FILE));
  const previews = () => instructionPreviews(vscode.window.tabGroups.all, INSTRUCTIONS_FILE);
  // This lab's preview already in front: showing it again changes no tab, so nothing to wait for.
  if (lastShown?.dir === dir && lastShown.tab.isActive && previews().includes(lastShown.tab)) {
    await vscode.commands.executeCommand('markdown.showLockedPreviewToSide', uri);
    return;
  }
  // The new tab reaches the extension host after the command returns (0.4–0.6 s later in
  // code-server): read at once, the other lab's preview was still the one in front.
  const inFront = new Set(previews().filter((t) => t.isActive));
  const shown = tabUntil(() => previews().find((t) => t.isActive && !inFront.has(t)), previewTiming.maxWaitMs);
  await vscode.commands.executeCommand('markdown.showLockedPreviewToSide', uri);
  const tab = await shown;
  // Nothing came to the front in time: which tab is this lab's is unknown, so none is closed.
  if (!tab) return;
  lastShown = { dir, tab };
  const stale = staleInstructionTabs(vscode.window.tabGroups.all, INSTRUCTIONS_FILE);
  if (stale.length > 0) await vscode.window.tabGroups.close(stale, true);
}

/** The first tab `find` returns as the tabs change, or undefined after `maxMs`. */
function tabUntil(find: () => vscode.Tab | undefined, maxMs: number): Promise<vscode.Tab | undefined> {
  return new Promise((resolve) => {
    const done = (tab: vscode.Tab | undefined) => {
      clearTimeout(cap);
      changes.dispose();
      resolve(tab);
    };
    const cap = setTimeout(() => done(undefined), maxMs);
    const changes = vscode.window.tabGroups.onDidChangeTabs(() => {
      const tab = find();
      if (tab) done(tab);
    });
  });
}

export async function resetLabCommand(registry: LabRegistry): Promise<void> {
  const a = registry.current;
  if (!a) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
    return;
  }
  const files = a.lab.manifest.files.map((f) => f.path).join(', ');
  const ok = await vscode.window.showWarningMessage(
    vscode.l10n.t('Reset {0}? {1} go back to the starter code. Your current files are backed up first.', a.lab.manifest.title, files),
    { modal: true },
    vscode.l10n.t('Reset'),
  );
  if (ok !== vscode.l10n.t('Reset')) return;
  // Save open editors first so the backup holds what the learner sees.
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && registry.exerciseFileOf(doc.uri)) await doc.save();
  }
  const r = resetLab(a.lab, a.dir);
  void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: lab reset. Your previous files are in {0}.', r.backupDir));
}
