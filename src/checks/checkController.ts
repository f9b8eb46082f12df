// Runs the lab's visible checks on save and after typing (on the editor's text, saved or
// not). A newer edit aborts the older run; results are shown only for the text they checked.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { CheckEngine, CheckRun } from '../../core/checks/engine';
import type { SourceFile } from '../../core/protocol/sidecar';
import { readSettings } from '../config';
import type { LabsContext } from '../context';
import type { ActiveLab, LabRegistry } from '../labs/labRegistry';
import type { ComputeService } from '../compute/computeService';
import { CheckScheduler, textsChanged } from './runScheduler';
import { epochMs, RunTrace } from './runTrace';

/**
 * A trace line: debug, or, with transformerLabs.trace.timing on, info and also appended to
 * timing.log in the extension's log folder (the output channel's own file is written lazily;
 * the e2e timing table reads this one).
 */
export function logTrace(ctx: LabsContext, line: string): void {
  if (!readSettings().traceTiming) return ctx.output.debug(line);
  ctx.output.info(line);
  try {
    mkdirSync(ctx.extension.logUri.fsPath, { recursive: true });
    appendFileSync(join(ctx.extension.logUri.fsPath, 'timing.log'), `${new Date().toISOString()} ${line}\n`);
  } catch {
    // The channel has the line; the file is a convenience.
  }
}

export interface PublishedRun {
  active: ActiveLab;
  run: CheckRun;
  /** The text each exercise file had when checked. */
  texts: Map<string, string>;
  /** Timestamps for the compute log (debug level). */
  trace: RunTrace;
}

export class CheckController implements vscode.Disposable {
  private readonly scheduler = new CheckScheduler<PublishedRun>(() => (this.last ? [...this.last.texts].map(([path, text]) => ({ path, text })) : undefined));
  /** When an exercise file last changed (for the trace: the learner's last keystroke). */
  private lastEditAt: number | undefined;
  private runs = 0;
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
      { runChecks: async (p, s) => (await this.compute.client()).runChecks(p, s) },
      () => readSettings().limits,
    );
    ctx.push(vscode.Disposable.from(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !this.registry.exerciseFileOf(e.document.uri)) return;
        this.lastEditAt = epochMs();
        const { debounceMs } = readSettings();
        if (debounceMs > 0) this.scheduler.schedule(debounceMs, () => void this.run('typing'));
      }),
      // A file changed outside the editor (another editor, git, a paste into the folder): checked
      // as the disk now has it, unless the editor holds unsaved text of its own for it.
      ...(() => {
        const watcher = vscode.workspace.createFileSystemWatcher('**/*.ts');
        const onDisk = (uri: vscode.Uri) => {
          if (!this.registry.exerciseFileOf(uri) || openDocument(uri.fsPath)?.isDirty) return;
          this.scheduler.schedule(Math.max(readSettings().debounceMs, 100), () => void this.run('disk'));
        };
        return [watcher, watcher.onDidChange(onDisk), watcher.onDidCreate(onDisk)];
      })(),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.registry.exerciseFileOf(doc.uri)) {
          this.scheduler.cancelScheduled();
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


  /** A check is scheduled or running: results for the current text are on their way. */
  get busy(): boolean {
    return this.scheduler.busy;
  }

  /** Resolves when no check is scheduled or running (or after `maxMs`). */
  whenIdle(maxMs: number): Promise<void> {
    return this.scheduler.whenIdle(maxMs);
  }

  /**
   * Runs the visible checks on the current text. A newer text aborts the run in flight; the same
   * text joins it (a save right after typing does not restart the check); a save of text already
   * checked runs nothing. Resolves to the published run.
   */
  run(reason: string): Promise<PublishedRun | undefined> {
    const active = this.registry.current;
    if (!active) return Promise.resolve(undefined);
    if (!vscode.workspace.isTrusted) {
      // Asked for explicitly: always say why nothing happens; automatic runs say it once.
      if (reason === 'command' || !this.restrictedNoticeShown) {
        this.restrictedNoticeShown = true;
        void vscode.window.showInformationMessage(
          'Transformer Labs: checks run your code, so they run only in a trusted workspace. Trust this folder to check and grade your lab.',
          'Manage Workspace Trust',
        ).then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
      }
      return Promise.resolve(undefined);
    }
    let snapshot: ReturnType<CheckController['currentFiles']>;
    try {
      snapshot = this.currentFiles(active);
    } catch (err) {
      this.failed.fire({ message: (err as Error).message });
      return Promise.resolve(undefined);
    }
    return this.scheduler.run(snapshot.files, (signal) => this.check(active, snapshot.files, reason, signal), {
      join: reason !== 'limits changed',
      // A save or a disk event for text already checked runs nothing.
      skipIfChecked: reason === 'save' || reason === 'disk',
    });
  }

  private async check(active: ActiveLab, files: SourceFile[], reason: string, signal: AbortSignal): Promise<PublishedRun | undefined> {
    const trace = new RunTrace(++this.runs, reason, reason === 'typing' || reason === 'save' ? this.lastEditAt : undefined);
    trace.mark('start');
    try {
      const run = await this.engine.run(active.lab, files, { includeHidden: false, signal });
      trace.mark('answer');
      if (run.timing) trace.markSidecar(run.timing);
      if (!this.scheduler.isLatest(signal) || this.registry.current !== active || this.changedSince(active, files)) {
        return undefined;
      }
      const published: PublishedRun = { active, run, texts: new Map(files.map((f) => [f.path, f.text])), trace };
      this.last = published;
      trace.mark('published');
      this.published.fire(published);
      this.ctx.output.debug(`checks (${reason}): ${run.outcomes.filter((o) => o.status === 'pass').length}/${run.outcomes.length} in ${run.durationMs} ms on ${run.backend}`);
      logTrace(this.ctx, trace.format('status'));
      return published;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return undefined;
      this.ctx.output.error(`checks failed: ${(err as Error).message}`);
      this.failed.fire({ message: (err as Error).message });
      return undefined;
    }
  }

  dispose(): void {
    this.scheduler.dispose();
    this.published.dispose();
    this.failed.dispose();
  }
}

function openDocument(fsPath: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === fsPath);
}
