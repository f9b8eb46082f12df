// The one object that owns the extension's long-lived parts and their disposables
// (rust-analyzer's Ctx pattern). Parts are created lazily where they are heavy.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { findBuildPaths, BuildPaths } from '../core/compute/paths';
import { ProgressStore } from '../core/progress/progressStore';
import { readSettings, SECTION, Settings } from './config';

export interface SettingsChange {
  /** Whether `transformerLabs.<key>` (or a key under it) changed, e.g. `affects('compute')`. */
  affects(key: string): boolean;
  settings: Settings;
}

export class LabsContext implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly paths: BuildPaths;
  readonly progress: ProgressStore;
  readonly version: string;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly settingsChanged = new vscode.EventEmitter<SettingsChange>();
  /** Fires when any `transformerLabs.*` setting changes. */
  readonly onDidChangeSettings = this.settingsChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Transformer Labs Compute', { log: true });
    this.push(this.output);
    this.push(this.settingsChanged);
    this.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        this.settingsChanged.fire({ affects: (key) => e.affectsConfiguration(`${SECTION}.${key}`), settings: readSettings() });
      }),
    );
    this.paths = findBuildPaths(join(extension.extensionPath, 'dist'));
    this.version = String((extension.extension.packageJSON as { version?: string }).version ?? '0.0.0');
    this.progress = new ProgressStore(join(extension.globalStorageUri.fsPath, 'progress.json'));
    this.progress.load();
    const c = this.progress.corruption;
    if (c) {
      this.output.error(`progress file was corrupted (${c.reason}); kept it as ${c.movedTo}`);
      void vscode.window.showWarningMessage(
        `Transformer Labs: your progress file could not be read (${c.reason}). It was kept as ${c.movedTo} and a new one was started; your lab files are untouched.`,
      );
    }
  }

  /** The current settings, read fresh (they can change at any time). */
  get settings(): Settings {
    return readSettings();
  }

  get typesDir(): string {
    return join(this.paths.buildRoot, 'types');
  }

  push<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        console.error(err);
      }
    }
  }
}
