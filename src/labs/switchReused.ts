// "Switch Between My Lab Code and the Reference": puts the learner's own earlier code (Lab 1's
// attention.ts) into a lab that builds on it, or the course's reference back, at any time. What
// the file held is backed up first; the learner's code is checked with the earlier lab's checks
// and the learner is told which functions do not pass yet before it is used.
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import type { Lab } from '../../core/labs/manifest';
import { findLabWorkspaceFor, reusedFileKind, switchReusedFile } from '../../core/labs/reuse';
import { decideReuse, describeReuse, notPassing, type EarlierChecks, type ReuseDecision } from '../../core/labs/reusePlan';
import { findLab } from '../../core/labs/labLoader';
import { findLabWorkspace } from '../../core/labs/scaffold';
import type { LabsContext } from '../context';
import type { LabRegistry } from './labRegistry';

export const SWITCH_COMMAND = 'transformerLabs.switchReusedFile';

export interface SwitchArgs {
  /** The lab folder (default: the open lab). */
  dir?: string;
  /** The reused file (default: the lab's first file with reuseFrom). */
  path?: string;
  /** Default: the other one. */
  to?: 'own' | 'reference';
}

export interface SwitchDeps {
  ctx: LabsContext;
  registry: LabRegistry;
  checks: EarlierChecks;
  /** Re-check the open lab after the file changed. */
  recheck(): void;
}

/** Button titles, the same everywhere (notification, CodeLens, palette). */
export function switchTitle(to: 'own' | 'reference', fromTitle: string): string {
  return to === 'own' ? `Use My ${fromTitle} Code` : 'Use the Reference Instead';
}

/** Where the learner's earlier labs may be: the recorded folder, beside `dir`, the open folders. */
export function earlierRoots(ctx: LabsContext, lab: Lab, dir: string): string[] {
  const roots: string[] = [];
  for (const f of lab.manifest.files) {
    const recorded = f.reuseFrom ? ctx.progress.get(f.reuseFrom.lab)?.workspace : undefined;
    if (recorded) roots.push(recorded);
  }
  roots.push(dirname(dir));
  for (const w of vscode.workspace.workspaceFolders ?? []) roots.push(w.uri.fsPath);
  return roots;
}

function openDocument(fsPath: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === fsPath);
}

/** The notification Open Lab shows for one decision, with the button that switches. */
export function announceDecision(deps: SwitchDeps, dir: string, d: ReuseDecision): void {
  const to = d.use === 'own' ? 'reference' : 'own';
  const buttons = d.use === 'own' || d.from ? [switchTitle(to, d.fromTitle)] : [];
  void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: {0}', describeReuse(d)), ...buttons).then((pick) => {
    if (pick) return vscode.commands.executeCommand(SWITCH_COMMAND, { dir, path: d.path, to } satisfies SwitchArgs);
    return undefined;
  });
}

export async function switchReusedCommand(deps: SwitchDeps, args: SwitchArgs = {}): Promise<'own' | 'reference' | undefined> {
  const { ctx, registry } = deps;
  const dir = args.dir ?? registry.current?.dir;
  if (!dir) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
    return undefined;
  }
  const marker = findLabWorkspace(dir);
  const lab = marker && findLab(registry.labs.labs, marker.labId);
  if (!lab) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: {0} is not a lab folder of this version of Transformer Labs.', dir));
    return undefined;
  }
  const file = lab.manifest.files.find((f) => f.reuseFrom && (!args.path || f.path === args.path));
  if (!file?.reuseFrom) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: {0} does not build on code from an earlier lab.', lab.manifest.title));
    return undefined;
  }
  const target = join(dir, file.path);
  const doc = openDocument(target);
  const now = reusedFileKind(doc ? doc.getText() : await readText(target));
  const earlier = findLab(registry.labs.labs, file.reuseFrom.lab);
  const fromTitle = earlier ? `Lab ${earlier.manifest.order}` : `lab "${file.reuseFrom.lab}"`;
  let to = args.to;
  if (!to) {
    const items = (['own', 'reference'] as const).map((k) => ({
      label: k === 'own' ? vscode.l10n.t('Your own {0} code', fromTitle) : vscode.l10n.t("The course's reference"),
      description: k === now ? vscode.l10n.t('(in the file now)') : undefined,
      to: k,
    }));
    to = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('{0}: which code should {1} run?', file.path, lab.manifest.title) }))?.to;
    if (!to) return undefined;
  }

  let from: string | undefined;
  if (to === 'own') {
    let roots = earlierRoots(ctx, lab, dir);
    if (!findLabWorkspaceFor(file.reuseFrom.lab, roots)) {
      const pick = await vscode.window.showWarningMessage(
        vscode.l10n.t('Transformer Labs: your {0} folder was not found beside {1} or among the open folders.', fromTitle, dir),
        'Choose Folder…',
      );
      if (!pick) return undefined;
      const chosen = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: vscode.l10n.t('Your {0} folder', fromTitle) }))?.[0]?.fsPath;
      if (!chosen) return undefined;
      if (findLabWorkspace(chosen)?.labId !== file.reuseFrom.lab) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: {0} is not a {1} folder (its .transformer-labs/lab.json says otherwise).', chosen, fromTitle));
        return undefined;
      }
      roots = [chosen];
    }
    const decision = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Transformer Labs: checking your {0} code', fromTitle) },
      () => decideReuse(lab, file.path, { labs: registry.labs.labs, roots, checks: deps.checks, trusted: vscode.workspace.isTrusted }),
    );
    from = decision.from;
    if (decision.use === 'reference') {
      const which = decision.why === 'not-passing' ? notPassing(decision.verdicts) || decision.detail : decision.detail;
      const useMine = vscode.l10n.t('Use My Code');
      const ok = await vscode.window.showWarningMessage(
        vscode.l10n.t('Use your {0} code in {1} anyway?', fromTitle, file.path),
        {
          modal: true,
          detail:
            `${describeReuse(decision)}\n\n` +
            (which
              ? vscode.l10n.t("{0}'s checks that call these functions will fail until they pass.", lab.manifest.title)
              : vscode.l10n.t("{0}'s checks that call it will fail until they pass.", lab.manifest.title)) +
            ' ' +
            vscode.l10n.t('What {0} holds now is backed up first, and you can switch back at any time.', file.path),
        },
        useMine,
      );
      if (ok !== useMine) return undefined;
    }
  }

  // Save first, so the backup holds what the learner sees.
  if (doc?.isDirty) await doc.save();
  const r = switchReusedFile(lab, dir, file.path, to, from);
  ctx.output.info(`${file.path}: switched to ${to === 'own' ? `your ${fromTitle} code (${from})` : "the course's reference"}; the previous text is in ${r.backup}`);
  deps.recheck();
  const back = to === 'own' ? 'reference' : 'own';
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Transformer Labs: {0} now holds {1}. What it held is in {2}.', file.path, to === 'own' ? vscode.l10n.t('your own {0} code', fromTitle) : vscode.l10n.t("the course's reference"), r.backup),
      switchTitle(back, fromTitle),
    )
    .then((pick) => (pick ? vscode.commands.executeCommand(SWITCH_COMMAND, { dir, path: file.path, to: back } satisfies SwitchArgs) : undefined));
  return to;
}

async function readText(path: string): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
  } catch {
    return '';
  }
}

/** A CodeLens at the top of a reused file: which code it holds, and the switch. */
export class ReusedFileLens implements vscode.CodeLensProvider {
  constructor(private readonly registry: LabRegistry) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const a = this.registry.current;
    const path = this.registry.exerciseFileOf(doc.uri);
    const file = a && path ? a.lab.manifest.files.find((f) => f.path === path) : undefined;
    if (!a || !file?.reuseFrom) return [];
    const earlier = findLab(this.registry.labs.labs, file.reuseFrom.lab);
    const fromTitle = earlier ? `Lab ${earlier.manifest.order}` : `lab "${file.reuseFrom.lab}"`;
    const now = reusedFileKind(doc.getText());
    const to = now === 'own' ? 'reference' : 'own';
    const range = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(range, {
        title: vscode.l10n.t('$(arrow-swap) {0} — {1}', now === 'own' ? vscode.l10n.t('Your own {0} code', fromTitle) : vscode.l10n.t("The course's reference"), switchTitle(to, fromTitle)),
        command: SWITCH_COMMAND,
        arguments: [{ dir: a.dir, path: file.path, to } satisfies SwitchArgs],
        tooltip: vscode.l10n.t('{0} is built on {1}. Switching backs up what the file holds now (.transformer-labs/backups/).', file.path, fromTitle),
      }),
    ];
  }
}
