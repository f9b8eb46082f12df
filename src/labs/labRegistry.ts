// The labs this extension ships, and which one the open workspace holds.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { findLab, loadLabs, LoadedLabs } from '../../core/labs/labLoader';
import type { Lab } from '../../core/labs/manifest';
import { findLabWorkspace, LabMarker } from '../../core/labs/scaffold';
import type { LabsContext } from '../context';

export interface ActiveLab {
  lab: Lab;
  marker: LabMarker;
  folder: vscode.WorkspaceFolder;
  dir: string;
}

export class LabRegistry implements vscode.Disposable {
  private loaded?: LoadedLabs;
  private active?: ActiveLab;
  private readonly changed = new vscode.EventEmitter<ActiveLab | undefined>();
  readonly onDidChangeActive = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor(private readonly ctx: LabsContext) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/.transformer-labs/lab.json');
    const refresh = () => this.refresh();
    this.watcher.onDidCreate(refresh);
    this.watcher.onDidChange(refresh);
    this.watcher.onDidDelete(refresh);
    ctx.push(vscode.workspace.onDidChangeWorkspaceFolders(refresh));
  }

  get labs(): LoadedLabs {
    if (!this.loaded) {
      this.loaded = loadLabs(this.ctx.paths.labsRoot, { compiledChecksDir: this.ctx.paths.labsDist });
      for (const e of this.loaded.errors) this.ctx.output.error(`lab not loaded: ${e.message}`);
    }
    return this.loaded;
  }

  get current(): ActiveLab | undefined {
    return this.active;
  }

  /** Looks for a lab marker in the workspace folders; reports a corrupt marker. */
  refresh(): ActiveLab | undefined {
    let found: ActiveLab | undefined;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      try {
        const marker = findLabWorkspace(folder.uri.fsPath);
        if (!marker) continue;
        const lab = findLab(this.labs.labs, marker.labId);
        if (!lab) {
          void vscode.window.showWarningMessage(
            `Transformer Labs: ${folder.name} holds lab "${marker.labId}", which this version of the extension does not have.`,
          );
          continue;
        }
        found = { lab, marker, folder, dir: folder.uri.fsPath };
        break;
      } catch (err) {
        void vscode.window.showErrorMessage(`Transformer Labs: ${(err as Error).message}`);
      }
    }
    const before = this.active?.dir + '|' + this.active?.lab.manifest.id;
    // Same lab in the same folder: keep the object, so runs in flight for it stay current.
    if (found && before === found.dir + '|' + found.lab.manifest.id) found = this.active;
    this.active = found;
    void vscode.commands.executeCommand('setContext', 'transformerLabs.labOpen', !!found);
    void vscode.commands.executeCommand('setContext', 'transformerLabs.activeLabOrder', found?.lab.manifest.order ?? 0);
    void vscode.commands.executeCommand('setContext', 'transformerLabs.activeLabReuses', !!found?.lab.manifest.files.some((f) => f.reuseFrom));
    if (before !== found?.dir + '|' + found?.lab.manifest.id) this.changed.fire(found);
    return found;
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
