// Shows a check run as diagnostics, CodeLenses, a status bar summary and Testing items.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CheckOutcome } from '../../core/checks/engine';
import type { LabsContext } from '../context';
import type { LabRegistry } from '../labs/labRegistry';
import type { CheckController, PublishedRun } from './checkController';
import { findFunctionRanges, NameRange } from './functionRanges';
import { diagnosticMessage, FunctionSummary, lensTitle, statusText, summarizeByFunction } from './summary';
import { hintLensTitle, openedHints } from '../labs/hintCommand';

function rangeOf(r: NameRange | undefined): vscode.Range {
  return r ? new vscode.Range(r.line, r.start, r.line, r.end) : new vscode.Range(0, 0, 0, 0);
}

export class ResultViews implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('transformer-labs');
  private readonly status = vscode.window.createStatusBarItem('transformerLabs.checks', vscode.StatusBarAlignment.Left, 50);
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly tests = vscode.tests.createTestController('transformerLabs', 'Transformer Labs');
  private lensTimer: ReturnType<typeof setTimeout> | undefined;
  private summaries = new Map<string, Map<string, FunctionSummary>>();

  constructor(
    private readonly ctx: LabsContext,
    private readonly registry: LabRegistry,
    private readonly checks: CheckController,
  ) {
    this.status.name = 'Transformer Labs Checks';
    this.status.command = 'transformerLabs.runChecks';
    ctx.push(vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'typescript' }, this));
    ctx.push(checks.onDidPublish((p) => this.show(p)));
    ctx.push(checks.onDidFail(({ message }) => {
      this.status.text = '$(error) Transformer Labs: checks could not run';
      this.status.tooltip = message;
      this.status.show();
    }));
    ctx.push(registry.onDidChangeActive(() => this.reset()));
    ctx.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()));
    this.tests.createRunProfile('Run Checks', vscode.TestRunProfileKind.Run, (req, token) => this.runFromTesting(req, token), true);
    this.reset();
  }

  /** The status bar and test tree for the current lab, before any run. */
  reset(): void {
    this.diagnostics.clear();
    this.summaries.clear();
    this.lensChanged.fire();
    const a = this.registry.current;
    if (!a) {
      this.status.hide();
      this.tests.items.replace([]);
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.status.text = '$(shield) Transformer Labs: Restricted Mode';
      this.status.tooltip = 'Checks run your lab code, so they run only in a trusted workspace. Click to manage workspace trust.';
      this.status.command = 'workbench.trust.manage';
    } else {
      this.status.text = `$(beaker) Lab ${a.lab.manifest.order}: not checked yet`;
      this.status.tooltip = 'Run the checks (Ctrl+Alt+Enter)';
      this.status.command = 'transformerLabs.runChecks';
    }
    this.status.show();
    this.buildTestTree();
  }

  private buildTestTree(): void {
    const a = this.registry.current;
    if (!a) return;
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
          const item = this.tests.createTestItem(`${m.id}/${fn}/${c.id}`, c.title, uri);
          item.range = fnItem.range;
          fnItem.children.add(item);
        }
        labItem.children.add(fnItem);
      }
    }
    this.tests.items.replace([labItem]);
  }

  private show(p: PublishedRun): void {
    const { active, run } = p;
    const m = active.lab.manifest;
    this.diagnostics.clear();
    this.summaries.clear();
    for (const f of m.files) {
      const uri = vscode.Uri.file(join(active.dir, f.path));
      const text = p.texts.get(f.path) ?? '';
      const ranges = findFunctionRanges(text, f.functions);
      const diags: vscode.Diagnostic[] = [];
      for (const d of run.compileErrors.filter((d) => d.file === f.path)) {
        const diag = new vscode.Diagnostic(
          new vscode.Range(d.line - 1, d.column - 1, d.endLine - 1, Math.max(d.endColumn - 1, d.column)),
          d.message,
          vscode.DiagnosticSeverity.Error,
        );
        diag.source = 'Transformer Labs';
        diags.push(diag);
      }
      const outcomes = run.outcomes.filter((o) => o.spec.file === f.path);
      for (const o of outcomes) {
        // Not started is not a mistake: the CodeLens says it, the Problems view stays quiet.
        if (o.status === 'pass' || o.status === 'not-started' || (o.status === 'not-run' && run.compileErrors.length > 0)) continue;
        const at = o.location && o.location.file === f.path ? new vscode.Range(o.location.line - 1, o.location.column - 1, o.location.line - 1, 1000) : rangeOf(ranges.get(o.spec.function));
        const diag = new vscode.Diagnostic(at, diagnosticMessage(o), o.status === 'not-run' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Error);
        diag.source = 'Transformer Labs';
        diag.code = o.id;
        if (o.location && ranges.get(o.spec.function)) {
          diag.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, rangeOf(ranges.get(o.spec.function))), `checked by "${o.spec.title}"`)];
        }
        diags.push(diag);
      }
      this.diagnostics.set(uri, diags);
      this.summaries.set(uri.fsPath, summarizeByFunction(outcomes, f.functions));
    }
    this.refreshLenses();
    this.status.text = statusText(m.order, run.outcomes);
    this.status.tooltip = `${m.title}: ${run.outcomes.filter((o) => o.status === 'pass').length} of ${run.outcomes.length} visible checks pass (${run.durationMs} ms on ${run.backend}). Hidden checks run when you grade.`;
    this.status.command = 'transformerLabs.runChecks';
    this.status.show();
    if (run.outcomes.some((o) => o.status === 'pass')) void vscode.commands.executeCommand('setContext', 'transformerLabs.firstCheckPassed', true);
    this.reportToTesting(p);
  }

  private reportToTesting(p: PublishedRun, run?: vscode.TestRun): void {
    const ownRun = run ?? this.tests.createTestRun(new vscode.TestRunRequest(), 'Transformer Labs checks', false);
    const m = p.active.lab.manifest;
    for (const o of p.run.outcomes) {
      const item = this.tests.items.get(m.id)?.children.get(`${m.id}/${o.spec.function}`)?.children.get(`${m.id}/${o.spec.function}/${o.id}`);
      if (!item) continue;
      this.report(ownRun, item, o);
    }
    if (!run) ownRun.end();
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, o: CheckOutcome): void {
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

  private async runFromTesting(req: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.tests.createTestRun(req);
    const p = await this.checks.run('testing');
    if (p && !token.isCancellationRequested) this.reportToTesting(p, run);
    run.end();
  }

  /**
   * Asks the editor for new CodeLenses, and again 0.5, 1.5 and 4 s later: a lens request
   * already in flight (or debounced after a content change, e.g. the file reloaded from disk)
   * when the event fires can answer with the previous state — seen in code-server under load,
   * the lens stuck at "checks not run yet" while the diagnostics were current. Each repeat is
   * one cheap provideCodeLenses call.
   */
  private refreshLenses(): void {
    this.lensChanged.fire();
    clearTimeout(this.lensTimer);
    const again = (delays: number[]) => {
      if (delays.length === 0) return;
      this.lensTimer = setTimeout(() => {
        this.lensChanged.fire();
        again(delays.slice(1));
      }, delays[0]);
    };
    again([500, 1000, 2500]);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.registry.exerciseFileOf(doc.uri);
    const a = this.registry.current;
    if (!file || !a) return [];
    const spec = a.lab.manifest.files.find((f) => f.path === file)!;
    const ranges = findFunctionRanges(doc.getText(), spec.functions);
    const summaries = this.summaries.get(doc.uri.fsPath);
    const vizFns = new Set(['attention', 'multiHeadAttention', ...a.lab.manifest.visualizations.map((v) => v.function)]);
    const lenses: vscode.CodeLens[] = [];
    const opened = openedHints(a);
    for (const fn of spec.functions) {
      const r = ranges.get(fn);
      if (!r) continue;
      const range = new vscode.Range(r.line, 0, r.line, 0);
      const s = summaries?.get(fn);
      const title = !vscode.workspace.isTrusted
        ? '$(shield) checks need a trusted workspace'
        : s
          ? lensTitle(s)
          : 'checks not run yet';
      lenses.push(
        new vscode.CodeLens(range, {
          title,
          command: s?.firstFailure ? 'transformerLabs.showCheckDetails' : 'transformerLabs.runChecks',
          arguments: s?.firstFailure ? [s.firstFailure.id] : [],
          tooltip: s?.firstFailure ? `${s.firstFailure.spec.title}\nHint: ${s.firstFailure.spec.hint}` : 'Run the checks',
        }),
      );
      const hint = s && s.passed === s.total && s.total > 0 ? undefined : hintLensTitle(a, fn, opened);
      if (hint && vscode.workspace.isTrusted) {
        lenses.push(new vscode.CodeLens(range, { title: hint, command: 'transformerLabs.showHint', arguments: [fn], tooltip: `Open the next hint for ${fn}() (the grade report records how many you opened)` }));
      }
      const view = a.lab.manifest.visualizations.find((v) => v.function === fn) ?? (vizFns.has(fn) ? a.lab.manifest.visualizations[0] : undefined);
      if (view) {
        lenses.push(new vscode.CodeLens(range, { title: '$(graph) Visualize', command: 'transformerLabs.showLabPanel', arguments: [view.id], tooltip: `Open the ${view.title} panel` }));
      }
    }
    return lenses;
  }

  /** Redraws the CodeLenses (a hint was opened). */
  refreshHints(): void {
    this.lensChanged.fire();
  }

  /** A failing check's full message, expected and actual, and hint. */
  async showDetails(checkId: string): Promise<void> {
    const o = this.checks.last?.run.outcomes.find((x) => x.id === checkId);
    if (!o) return;
    await vscode.window.showInformationMessage(o.spec.title, {
      modal: true,
      detail: diagnosticMessage(o),
    });
  }

  dispose(): void {
    clearTimeout(this.lensTimer);
    this.diagnostics.dispose();
    this.status.dispose();
    this.lensChanged.dispose();
    this.tests.dispose();
  }
}
