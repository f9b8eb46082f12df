// The labs this extension ships, and which one the open workspace holds.
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import { findLab, loadLabs, LoadedLabs, withLabPaths } from '../../core/labs/labLoader';
import type { Lab } from '../../core/labs/manifest';
import { findLabWorkspace, LabMarker } from '../../core/labs/scaffold';
import { readCourse } from '../../core/course/courseLayout';
import type { LabsContext } from '../context';
import { chooseActiveLab } from './labFolders';

/** workspaceState key: the lab folder the learner chose in a workspace with several. */
const CHOSEN_FOLDER_KEY = 'transformerLabs.chosenLabFolder';
const CHOOSE_FOLDER = () => vscode.l10n.t('Choose Lab Folder');

export interface ActiveLab {
  lab: Lab;
  marker: LabMarker;
  folder: vscode.WorkspaceFolder;
  dir: string;
}

export class LabRegistry implements vscode.Disposable {
  private loaded?: LoadedLabs;
  private active?: ActiveLab;
  private courseDir?: string;
  private all: ActiveLab[] = [];
  /** The set of lab folders the learner was last told about (told once per set). */
  private announced?: string;
  private readonly changed = new vscode.EventEmitter<ActiveLab | undefined>();
  readonly onDidChangeActive = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor(private readonly ctx: LabsContext) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/.transformer-labs/{lab,course}.json');
    const refresh = () => this.refresh();
    this.watcher.onDidCreate(refresh);
    this.watcher.onDidChange(refresh);
    this.watcher.onDidDelete(refresh);
    ctx.push(vscode.workspace.onDidChangeWorkspaceFolders(refresh));
    // Extra labs come and go with the setting and with trust (their checks are code).
    const reload = () => {
      this.loaded = undefined;
      this.refresh();
    };
    ctx.push(ctx.onDidChangeSettings((e) => (e.affects('labPaths') ? reload() : undefined)));
    ctx.push(vscode.workspace.onDidGrantWorkspaceTrust(reload));
  }

  get labs(): LoadedLabs {
    if (!this.loaded) {
      const builtIn = loadLabs(this.ctx.paths.labsRoot, { compiledChecksDir: this.ctx.paths.labsDist });
      const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const extra = vscode.workspace.isTrusted ? this.ctx.settings.labPaths.map((p) => (isAbsolute(p) || !base ? p : join(base, p))) : [];
      this.loaded = withLabPaths(builtIn, extra);
      for (const e of this.loaded.errors) this.ctx.output.error(`lab not loaded: ${e.message}`);
      // An author's mistake in transformerLabs.labPaths is shown, with the path, file and field.
      for (const e of this.loaded.errors.slice(builtIn.errors.length)) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Transformer Labs (transformerLabs.labPaths): {0}', e.message));
      }
      if (!vscode.workspace.isTrusted && this.ctx.settings.labPaths.length > 0) {
        this.ctx.output.info('transformerLabs.labPaths is not used in Restricted Mode: extra labs load only in a trusted workspace');
      }
    }
    return this.loaded;
  }

  get current(): ActiveLab | undefined {
    return this.active;
  }

  /** The course folder open in the workspace (Start Course), if any. */
  get course(): string | undefined {
    return this.courseDir;
  }

  /**
   * Looks for a lab marker in every workspace folder; reports a corrupt marker. In a course folder
   * the lab is the course's current lab (the one opened last), in its subfolder. With several lab
   * folders the one the learner chose (remembered per workspace) is checked; until they choose,
   * the first is, and they are told which and offered the choice once per set of folders.
   */
  refresh(): ActiveLab | undefined {
    const all: ActiveLab[] = [];
    let course: string | undefined;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      try {
        let dir = folder.uri.fsPath;
        const courseMarker = readCourse(dir);
        if (courseMarker) {
          course ??= dir;
          if (!courseMarker.current) continue;
          dir = join(dir, courseMarker.current);
        }
        const marker = findLabWorkspace(dir);
        if (!marker) continue;
        const lab = findLab(this.labs.labs, marker.labId);
        if (!lab) {
          void vscode.window.showWarningMessage(
            vscode.l10n.t('Transformer Labs: {0} holds lab "{1}", which this version of the extension does not have.', folder.name, marker.labId),
          );
          continue;
        }
        all.push({ lab, marker, folder, dir });
      } catch (err) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Labs: {0}', (err as Error).message));
      }
    }
    this.all = all;
    const choice = chooseActiveLab(all, this.ctx.extension.workspaceState.get<string>(CHOSEN_FOLDER_KEY));
    let found = choice.active;
    if (choice.ambiguous) this.announceSeveral(all, found!);
    const before = this.active?.dir + '|' + this.active?.lab.manifest.id;
    // Same lab in the same folder: keep the object, so runs in flight for it stay current.
    if (found && before === found.dir + '|' + found.lab.manifest.id) found = this.active;
    this.active = found;
    this.courseDir = course;
    void vscode.commands.executeCommand('setContext', 'transformerLabs.courseOpen', !!course);
    void vscode.commands.executeCommand('setContext', 'transformerLabs.labOpen', !!found);
    void vscode.commands.executeCommand('setContext', 'transformerLabs.activeLabOrder', found?.lab.manifest.order ?? 0);
    void vscode.commands.executeCommand('setContext', 'transformerLabs.severalLabFolders', all.length > 1);
    void vscode.commands.executeCommand('setContext', 'transformerLabs.activeLabReuses', !!found?.lab.manifest.files.some((f) => f.reuseFrom));
    if (before !== found?.dir + '|' + found?.lab.manifest.id) this.changed.fire(found);
    return found;
  }

  /** Every lab folder in the workspace (several in a multi-root workspace). */
  get labFolders(): readonly ActiveLab[] {
    return this.all;
  }

  /** Asks which lab folder to check, remembers it for this workspace, and switches to it. */
  async chooseLabFolder(): Promise<ActiveLab | undefined> {
    const items = this.all.map((a) => ({ label: a.folder.name, description: vscode.l10n.t('{0}. {1}', a.lab.manifest.order, a.lab.manifest.title), detail: a.dir, a }));
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Transformer Labs: which lab folder should be checked?') });
    if (!pick) return this.active;
    await this.ctx.extension.workspaceState.update(CHOSEN_FOLDER_KEY, pick.a.dir);
    return this.refresh();
  }

  private announceSeveral(all: ActiveLab[], checked: ActiveLab): void {
    const key = all.map((a) => a.dir).join('|');
    if (key === this.announced) return;
    this.announced = key;
    const names = all.map((a) => `${a.folder.name} (${a.lab.manifest.title})`).join(', ');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Transformer Labs: this workspace has {0} lab folders: {1}. Checking {2}.', all.length, names, checked.folder.name), CHOOSE_FOLDER())
      .then((b) => (b === CHOOSE_FOLDER() ? this.chooseLabFolder() : undefined));
  }

  /** Whether a document is one of the active lab's exercise files, and which. */
  exerciseFileOf(uri: vscode.Uri): string | undefined {
    const a = this.active;
    if (!a || uri.scheme !== 'file') return undefined;
    return a.lab.manifest.files.find((f) => join(a.dir, f.path) === uri.fsPath)?.path;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
