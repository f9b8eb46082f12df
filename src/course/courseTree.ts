// The "Course" tree in the Transformer Labs activity-bar container: the labs in order with their
// state, under each its exercise functions and their visible checks. It re-reads the lab folders
// when a check run is published or a record/grade/answers file changes; the open lab's checks
// come live from the last run and are written to its check record for after a reload.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { writeCheckRecord } from '../../core/course/checkRecord';
import { checkRow, functionRow, labRow, quizRow, type RowText } from '../../core/course/courseRows';
import { courseStatus, type CourseEntry, type LiveResults } from '../../core/course/courseStatus';
import type { CheckState, FunctionState } from '../../core/course/labStatus';
import type { CheckController, PublishedRun } from '../checks/checkController';
import type { LabsContext } from '../context';
import type { LabRegistry } from '../labs/labRegistry';

export type CourseNode =
  | { kind: 'lab'; entry: CourseEntry }
  | { kind: 'function'; entry: CourseEntry; fn: FunctionState }
  | { kind: 'check'; entry: CourseEntry; fn: FunctionState; check: CheckState }
  | { kind: 'quiz'; entry: CourseEntry };

/** The results a published run leaves for the course view: visible checks only. */
export function liveResults(p: PublishedRun): LiveResults {
  return {
    labId: p.active.lab.manifest.id,
    results: p.run.outcomes.filter((o) => !o.spec.hidden).map((o) => ({ id: o.id, status: o.status, message: o.message })),
    compileError: p.run.compileErrors[0] ? `${p.run.compileErrors[0].file}:${p.run.compileErrors[0].line}: ${p.run.compileErrors[0].message}` : undefined,
  };
}

export class CourseTree implements vscode.TreeDataProvider<CourseNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CourseNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private entries: CourseEntry[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ctx: LabsContext,
    private readonly registry: LabRegistry,
    private readonly checks: CheckController,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{.transformer-labs/*.json,grade-report.json}');
    const soon = () => this.refreshSoon();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(soon),
      watcher.onDidChange(soon),
      watcher.onDidDelete(soon),
      registry.onDidChangeActive(soon),
      checks.onDidPublish((p) => {
        const live = liveResults(p);
        try {
          writeCheckRecord(p.active.dir, live.labId, live.results, live.compileError);
        } catch (err) {
          this.ctx.output.warn(`course view: could not keep the check results (${(err as Error).message})`);
        }
        this.refresh();
      }),
      this.changed,
    );
  }

  /** The course's labs as last read (tests and commands). */
  get labs(): readonly CourseEntry[] {
    return this.entries;
  }

  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 150);
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.entries = this.read();
    this.changed.fire(undefined);
  }

  private read(): CourseEntry[] {
    const course = this.registry.course;
    if (!course) return [];
    const last = this.checks.last;
    const live = last && last.active === this.registry.current ? liveResults(last) : undefined;
    try {
      return courseStatus(course, this.registry.labs.labs, live);
    } catch (err) {
      this.ctx.output.error(`course view: ${(err as Error).message}`);
      return [];
    }
  }

  getChildren(node?: CourseNode): CourseNode[] {
    if (!node) {
      if (this.entries.length === 0 && this.registry.course) this.entries = this.read();
      return this.registry.course ? this.entries.map((entry) => ({ kind: 'lab', entry })) : [];
    }
    if (node.kind === 'lab') {
      const fns: CourseNode[] = node.entry.status.functions.map((fn) => ({ kind: 'function', entry: node.entry, fn }));
      return node.entry.status.quiz ? [...fns, { kind: 'quiz', entry: node.entry }] : fns;
    }
    if (node.kind === 'function') return node.fn.checks.map((check) => ({ kind: 'check', entry: node.entry, fn: node.fn, check }));
    return [];
  }

  getTreeItem(node: CourseNode): vscode.TreeItem {
    const current = this.registry.current?.dir === node.entry.dir;
    if (node.kind === 'lab') {
      const item = treeItem(labRow(node.entry.lab, node.entry.status, { current }), vscode.TreeItemCollapsibleState.Collapsed);
      // VS Code keeps a row's expansion by its id, and applies collapsibleState only to an id it has
      // not seen: the open lab's row has an id of its own, so the lab just opened comes up expanded
      // (and the one left folds), while expanding or folding the open lab by hand still sticks.
      item.id = `lab:${node.entry.lab.manifest.id}${current ? ':open' : ''}`;
      item.contextValue = `lab.${node.entry.created ? 'created' : 'new'}${current ? '.current' : ''}`;
      item.command = { command: 'transformerLabs.course.openLab', title: vscode.l10n.t('Open Lab'), arguments: [node] };
      if (current) item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
      return item;
    }
    if (node.kind === 'function') {
      const item = treeItem(functionRow(node.fn), node.fn.checks.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `fn:${node.entry.lab.manifest.id}:${node.fn.name}`;
      item.contextValue = `function${node.entry.created ? '.created' : ''}`;
      if (node.entry.created) item.command = { command: 'transformerLabs.course.goToFunction', title: vscode.l10n.t('Go to Function'), arguments: [node] };
      return item;
    }
    if (node.kind === 'quiz') {
      const item = treeItem(quizRow(node.entry.status.quiz!), vscode.TreeItemCollapsibleState.None);
      item.id = `quiz:${node.entry.lab.manifest.id}`;
      item.contextValue = 'quiz';
      item.command = { command: 'transformerLabs.showQuizPanel', title: vscode.l10n.t('Show Mastery Questions'), arguments: [node.entry.lab.manifest.id] };
      return item;
    }
    const item = treeItem(checkRow(node.check), vscode.TreeItemCollapsibleState.None);
    item.id = `check:${node.entry.lab.manifest.id}:${node.check.id}`;
    item.contextValue = 'check';
    item.command = { command: 'transformerLabs.course.showCheck', title: vscode.l10n.t('Show Check'), arguments: [node] };
    return item;
  }

  getParent(node: CourseNode): CourseNode | undefined {
    if (node.kind === 'lab') return undefined;
    if (node.kind === 'function' || node.kind === 'quiz') return { kind: 'lab', entry: node.entry };
    return { kind: 'function', entry: node.entry, fn: node.fn };
  }

  /** Where a function's file is in its lab folder. */
  static fileOf(node: Extract<CourseNode, { kind: 'function' }>): string {
    return join(node.entry.dir, node.fn.file);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function treeItem(row: RowText, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, state);
  item.description = row.description;
  item.tooltip = row.tooltip;
  item.iconPath = new vscode.ThemeIcon(row.icon, row.color ? new vscode.ThemeColor(row.color) : undefined);
  item.accessibilityInformation = { label: row.ariaLabel ?? `${row.label}, ${row.description}` };
  return item;
}
