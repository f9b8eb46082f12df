// The lab's checks in VS Code's Testing view. One run profile, which also runs continuously:
// a run from the view runs exactly the checks it asks for (include/exclude) and stops when
// cancelled; a continuous run reports every check run while the learner types into one TestRun.
// Typing alone creates no TestRun (Test Results would get one per keystroke); item ranges follow
// the text that was checked.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CheckOutcome } from '../../core/checks/engine';
import type { LabRegistry } from '../labs/labRegistry';
import type { CheckController, PublishedRun } from './checkController';
import { findFunctionRanges, NameRange } from './functionRanges';
import { checkItemId, selectChecks, type CheckSelection } from './testingPlan';

function rangeOf(r: NameRange | undefined): vscode.Range {
  return r ? new vscode.Range(r.line, r.start, r.line, r.end) : new vscode.Range(0, 0, 0, 0);
}

const ids = (items: readonly vscode.TestItem[] | undefined) => items?.map((i) => i.id);

export class TestingView implements vscode.Disposable {
  private readonly tests = vscode.tests.createTestController('transformerLabs', 'Transformer Labs');
  private continuous?: { run: vscode.TestRun; selection: CheckSelection };

  constructor(
    private readonly registry: LabRegistry,
    private readonly checks: CheckController,
  ) {
    this.tests.createRunProfile('Run Checks', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token), true, undefined, true);
  }

  /** The test tree for the current lab, with ranges from the files on disk. */
  reset(): void {
    this.endContinuous();
    const a = this.registry.current;
    if (!a) return this.tests.items.replace([]);
    const m = a.lab.manifest;
    const labItem = this.tests.createTestItem(m.id, `Lab ${m.order}: ${m.title}`);
    for (const f of m.files) {
      const uri = vscode.Uri.file(join(a.dir, f.path));
      let text = '';
      try {
        text = readFileSync(uri.fsPath, 'utf8');
      } catch {
        // The file is missing; items still show, without a location.
      }
      const ranges = findFunctionRanges(text, f.functions);
      for (const fn of f.functions) {
        const fnItem = this.tests.createTestItem(`${m.id}/${fn}`, fn, uri);
        fnItem.range = rangeOf(ranges.get(fn));
        for (const c of m.checks.filter((c) => c.function === fn && !c.hidden)) {
          const item = this.tests.createTestItem(checkItemId(m.id, fn, c.id), c.title, uri);
          item.range = fnItem.range;
          fnItem.children.add(item);
        }
        labItem.children.add(fnItem);
      }
    }
    this.tests.items.replace([labItem]);
  }

  /** After a check run: ranges from the text that was checked; results into a continuous run. */
  onPublish(p: PublishedRun): void {
    const m = p.active.lab.manifest;
    const labItem = this.tests.items.get(m.id);
    for (const f of m.files) {
      const ranges = findFunctionRanges(p.texts.get(f.path) ?? '', f.functions);
      for (const fn of f.functions) {
        const fnItem = labItem?.children.get(`${m.id}/${fn}`);
        if (!fnItem) continue;
        fnItem.range = rangeOf(ranges.get(fn));
        fnItem.children.forEach((c) => (c.range = fnItem.range));
      }
    }
    if (this.continuous) this.report(this.continuous.run, p.run.outcomes, this.continuous.selection);
  }

  private item(labId: string, o: CheckOutcome): vscode.TestItem | undefined {
    return this.tests.items.get(labId)?.children.get(`${labId}/${o.spec.function}`)?.children.get(checkItemId(labId, o.spec.function, o.id));
  }

  private report(run: vscode.TestRun, outcomes: readonly CheckOutcome[], selection: CheckSelection): void {
    const labId = this.registry.current?.lab.manifest.id;
    if (!labId) return;
    for (const o of outcomes) {
      const item = selection.checks.has(o.id) ? this.item(labId, o) : undefined;
      if (item) this.reportOne(run, item, o);
    }
  }

  private reportOne(run: vscode.TestRun, item: vscode.TestItem, o: CheckOutcome): void {
    if (o.status === 'pass') return run.passed(item, o.durationMs);
    if (o.status === 'not-run' || o.status === 'not-started') return run.skipped(item);
    const msg =
      o.expected !== undefined && o.actual !== undefined
        ? vscode.TestMessage.diff(`${o.message}\nHint: ${o.spec.hint}`, o.expected, o.actual)
        : new vscode.TestMessage(`${o.message}\nHint: ${o.spec.hint}`);
    if (item.uri && o.location) msg.location = new vscode.Location(item.uri, new vscode.Position(o.location.line - 1, o.location.column - 1));
    else if (item.uri && item.range) msg.location = new vscode.Location(item.uri, item.range);
    if (o.status === 'fail') run.failed(item, msg, o.durationMs);
    else run.errored(item, msg, o.durationMs);
  }

  private async run(req: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const a = this.registry.current;
    if (!a) return;
    const selection = selectChecks(a.lab.manifest, ids(req.include), ids(req.exclude));
    if (req.continuous) {
      this.endContinuous();
      const run = this.tests.createTestRun(req, 'Transformer Labs: checks as you type', false);
      this.continuous = { run, selection };
      if (this.checks.last) this.report(run, this.checks.last.run.outcomes, selection);
      await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
      if (this.continuous?.run === run) this.endContinuous();
      return;
    }
    const run = this.tests.createTestRun(req);
    const ac = new AbortController();
    const cancel = token.onCancellationRequested(() => ac.abort());
    try {
      for (const id of selection.checks) {
        const o = a.lab.manifest.checks.find((c) => c.id === id)!;
        const item = this.tests.items.get(a.lab.manifest.id)?.children.get(`${a.lab.manifest.id}/${o.function}`)?.children.get(checkItemId(a.lab.manifest.id, o.function, id));
        if (item) run.started(item);
      }
      const { files } = this.checks.currentFiles(a);
      const result = await this.checks.engine.run(a.lab, files, { includeHidden: false, functions: selection.functions, signal: ac.signal });
      if (!token.isCancellationRequested) this.report(run, result.outcomes, selection);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') run.appendOutput(`The checks could not run: ${(err as Error).message}\r\n`);
    } finally {
      cancel.dispose();
      run.end();
    }
  }

  private endContinuous(): void {
    this.continuous?.run.end();
    this.continuous = undefined;
  }

  dispose(): void {
    this.endContinuous();
    this.tests.dispose();
  }
}
