// Runs the lab's visible checks on save and after typing (on the editor's text, saved or
// not). A newer edit aborts the older run; results are shown only for the text they checked.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { CheckEngine, CheckRun } from '../../core/checks/engine';
import type { SourceFile } from '../../core/protocol/sidecar';
import { readSettings } from '../config';
import type { LabsContext } from '../context';
import type { ActiveLab, LabRegistry } from '../labs/labRegistry';
import type { ComputeService } from '../compute/computeService';
import { Debouncer, LatestOnly, textsChanged } from './runScheduler';

export interface PublishedRun {
  active: ActiveLab;
  run: CheckRun;
  /** The text each exercise file had when checked. */
  texts: Map<string, string>;
}

export class CheckController implements vscode.Disposable {
  private readonly debouncer = new Debouncer();
  private readonly latest = new LatestOnly();
  private readonly published = new vscode.EventEmitter<PublishedRun>();
  readonly onDidPublish = this.published.event;
  private readonly failed = new vscode.EventEmitter<{ message: string }>();
  readonly onDidFail = this.failed.event;
  last?: PublishedRun;
  readonly engine: CheckEngine;
  private restrictedNoticeShown = false;

  constructor(
    private readonly ctx: LabsContext,
    private readonly registry: LabRegistry,
    private readonly compute: ComputeService,
  ) {
    this.engine = new CheckEngine(
      { runChecks: (p, s) => this.compute.sidecar.runChecks(p, s) },
      () => readSettings().limits,
    );
    ctx.push(vscode.Disposable.from(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !this.registry.exerciseFileOf(e.document.uri)) return;
        const { debounceMs } = readSettings();
        if (debounceMs > 0) this.debouncer.schedule(debounceMs, () => void this.run('typing'));
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.registry.exerciseFileOf(doc.uri)) {
          this.debouncer.cancel();
          void this.run('save');
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.run('trust')),
      ctx.onDidChangeSettings((e) => {
        if (e.affects('checks')) void this.run('limits changed');
      }),
      registry.onDidChangeActive((a) => {
        if (a) void this.run('lab opened');
      }),
    ));
  }

  /** The exercise files as the learner sees them: open editors' text, else the file on disk. */
  currentFiles(active: ActiveLab): { files: SourceFile[] } {
    const files = active.lab.manifest.files.map((f) => {
      const doc = openDocument(join(active.dir, f.path));
      return { path: f.path, text: doc ? doc.getText() : readFileSync(join(active.dir, f.path), 'utf8') };
    });
    return { files };
  }

  /** True when an exercise file's text is no longer what was checked: its results would mislead. */
  private changedSince(active: ActiveLab, checked: SourceFile[]): boolean {
    try {
      return textsChanged(checked, this.currentFiles(active).files);
    } catch {
      return true;
    }
  }


  /** Runs the visible checks now (cancelling any run in flight). Resolves to the published run. */
  async run(reason: string): Promise<PublishedRun | undefined> {
    const active = this.registry.current;
    if (!active) return undefined;
    if (!vscode.workspace.isTrusted) {
      // Asked for explicitly: always say why nothing happens; automatic runs say it once.
      if (reason === 'command' || !this.restrictedNoticeShown) {
        this.restrictedNoticeShown = true;
        void vscode.window.showInformationMessage(
          'Transformer Labs: checks run your code, so they run only in a trusted workspace. Trust this folder to check and grade your lab.',
          'Manage Workspace Trust',
        ).then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
      }
      return undefined;
    }
    const signal = this.latest.begin();
    let snapshot: ReturnType<CheckController['currentFiles']>;
    try {
      snapshot = this.currentFiles(active);
    } catch (err) {
      this.latest.end(signal);
      this.failed.fire({ message: (err as Error).message });
      return undefined;
    }
    const started = Date.now();
    try {
      const run = await this.engine.run(active.lab, snapshot.files, { includeHidden: false, signal });
      if (!this.latest.isLatest(signal) || this.registry.current !== active || this.changedSince(active, snapshot.files)) {
        return undefined;
      }
      this.ctx.output.debug(`checks (${reason}): ${run.outcomes.filter((o) => o.status === 'pass').length}/${run.outcomes.length} in ${Date.now() - started} ms`);
      const published: PublishedRun = { active, run, texts: new Map(snapshot.files.map((f) => [f.path, f.text])) };
      this.last = published;
      this.published.fire(published);
      return published;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return undefined;
      this.ctx.output.error(`checks failed: ${(err as Error).message}`);
      this.failed.fire({ message: (err as Error).message });
      return undefined;
    } finally {
      this.latest.end(signal);
    }
  }

  dispose(): void {
    this.debouncer.cancel();
    this.latest.abortAll();
    this.published.dispose();
    this.failed.dispose();
  }
}

function openDocument(fsPath: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === fsPath);
}
