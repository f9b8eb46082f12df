// Shows a check run as diagnostics, CodeLenses, a status bar summary and Testing items.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { LabsContext } from '../context';
import type { LabRegistry } from '../labs/labRegistry';
import { logTrace, type CheckController, type PublishedRun } from './checkController';
import { findFunctionRanges, NameRange } from './functionRanges';
import { diagnosticMessage, FunctionSummary, lensTitle, statusText, summarizeByFunction } from './summary';
import { hintLensTitle, openedHints } from '../labs/hintCommand';
import { TestingView } from './testingView';

/** A second chance for a lens refresh VS Code dropped (see refreshLenses). */
const LENS_FALLBACK_MS = 1000;
/** The longest a lens request waits for a check in flight before answering with what it has. */
const LENS_WAIT_MAX_MS = 3000;

function rangeOf(r: NameRange | undefined): vscode.Range {
  return r ? new vscode.Range(r.line, r.start, r.line, r.end) : new vscode.Range(0, 0, 0, 0);
}

export class ResultViews implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('transformer-labs');
  private readonly status = vscode.window.createStatusBarItem('transformerLabs.checks', vscode.StatusBarAlignment.Left, 50);
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly testing: TestingView;
  private lensTimer: ReturnType<typeof setTimeout> | undefined;
  private summaries = new Map<string, Map<string, FunctionSummary>>();
  /** The run the summaries come from, and whether the editor has asked for its lenses yet. */
  private shown?: { run: PublishedRun; lensServed: boolean };

  constructor(
    private readonly ctx: LabsContext,
    private readonly registry: LabRegistry,
    private readonly checks: CheckController,
  ) {
    this.testing = new TestingView(registry, checks);
    this.status.name = 'Transformer Labs Checks';
    this.status.command = 'transformerLabs.runChecks';
    ctx.push(vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'typescript' }, this));
    ctx.push(checks.onDidPublish((p) => this.show(p)));
    ctx.push(checks.onDidFail(({ message }) => {
      this.status.text = vscode.l10n.t('$(error) Transformer Labs: checks could not run');
      this.status.tooltip = message;
      this.status.show();
    }));
    ctx.push(registry.onDidChangeActive(() => this.reset()));
    ctx.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()));
    this.reset();
  }

  /** The status bar and test tree for the current lab, before any run. */
  reset(): void {
    this.diagnostics.clear();
    this.summaries.clear();
    this.shown = undefined;
    this.lensChanged.fire();
    const a = this.registry.current;
    this.testing.reset();
    if (!a) {
      this.status.hide();
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.status.text = vscode.l10n.t('$(shield) Transformer Labs: Restricted Mode');
      this.status.tooltip = vscode.l10n.t('Checks run your lab code, so they run only in a trusted workspace. Click to manage workspace trust.');
      this.status.command = 'workbench.trust.manage';
    } else {
      this.status.text = vscode.l10n.t('$(beaker) Lab {0}: not checked yet', a.lab.manifest.order);
      this.status.tooltip = vscode.l10n.t('Run the checks ({0} in the exercise file)', process.platform === 'darwin' ? '⌥⌘↩' : 'Ctrl+Alt+Enter');
      this.status.command = 'transformerLabs.runChecks';
    }
    this.status.show();
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
    p.trace.mark('diagnostics');
    this.shown = { run: p, lensServed: false };
    this.refreshLenses();
    this.status.text = statusText(m.order, run.outcomes);
    this.status.tooltip = vscode.l10n.t('{0}: {1} of {2} visible checks pass ({3} ms on {4}). Hidden checks run when you grade.', m.title, run.outcomes.filter((o) => o.status === 'pass').length, run.outcomes.length, run.durationMs, run.backend);
    this.status.command = 'transformerLabs.runChecks';
    this.status.show();
    p.trace.mark('status');
    if (run.outcomes.some((o) => o.status === 'pass')) void vscode.commands.executeCommand('setContext', 'transformerLabs.firstCheckPassed', true);
    this.testing.onPublish(p);
  }

  /**
   * Asks the editor for new CodeLenses. VS Code answers after its own debounce (≥ 250 ms), and
   * cancels that wait when the editor loses focus (codelensController: onDidBlurEditorText), so a
   * lens can stay stale when focus moves right after a check (to the Problems view, a panel). If
   * no lens request has been answered with this run's results a second later, ask once more; in
   * the usual case the request has come by then (or was already waiting in provideCodeLenses) and
   * nothing restarts VS Code's debounce.
   */
  private refreshLenses(): void {
    this.lensChanged.fire();
    clearTimeout(this.lensTimer);
    const shown = this.shown;
    // Asked again at 1, 2 and 4 s while still unanswered: a second blur (a file written from
    // outside, a click elsewhere) can cancel the first renewed request too.
    const retry = (delay: number) => {
      this.lensTimer = setTimeout(() => {
        if (!shown || this.shown !== shown || shown.lensServed) return;
        if (this.exerciseEditorVisible()) this.lensChanged.fire();
        if (delay < 4 * LENS_FALLBACK_MS) retry(delay * 2);
      }, delay);
    };
    retry(LENS_FALLBACK_MS);
  }

  private exerciseEditorVisible(): boolean {
    return vscode.window.visibleTextEditors.some((e) => this.registry.exerciseFileOf(e.document.uri));
  }

  /**
   * The lenses for a document. Asked while a check of newer text is scheduled or running (VS Code
   * asks ~250 ms after each edit, before our typing pause ends), it waits for that check, so the
   * editor's request and our check overlap instead of adding up.
   */
  async provideCodeLenses(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const file = this.registry.exerciseFileOf(doc.uri);
    if (file && this.checks.busy && this.checks.last?.texts.get(file) !== doc.getText()) {
      await Promise.race([this.checks.whenIdle(LENS_WAIT_MAX_MS), new Promise<void>((r) => token?.onCancellationRequested(() => r()))]);
      if (token?.isCancellationRequested) return [];
    }
    const lenses = this.lensesFor(doc);
    const shown = this.shown;
    if (file && shown && !shown.lensServed && shown.run.texts.get(file) === doc.getText() && this.summaries.has(doc.uri.fsPath)) {
      shown.lensServed = true;
      shown.run.trace.mark('lens');
      logTrace(this.ctx, shown.run.trace.format('lens'));
    }
    return lenses;
  }

  private lensesFor(doc: vscode.TextDocument): vscode.CodeLens[] {
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
        ? vscode.l10n.t('$(shield) checks need a trusted workspace')
        : s
          ? lensTitle(s)
          : vscode.l10n.t('checks not run yet');
      lenses.push(
        new vscode.CodeLens(range, {
          title,
          command: s?.firstFailure ? 'transformerLabs.showCheckDetails' : 'transformerLabs.runChecks',
          arguments: s?.firstFailure ? [s.firstFailure.id] : [],
          tooltip: s?.firstFailure ? vscode.l10n.t('{0}\nHint: {1}', s.firstFailure.spec.title, s.firstFailure.spec.hint) : vscode.l10n.t('Run the checks'),
        }),
      );
      const hint = s && s.passed === s.total && s.total > 0 ? undefined : hintLensTitle(a, fn, opened);
      if (hint && vscode.workspace.isTrusted) {
        lenses.push(new vscode.CodeLens(range, { title: hint, command: 'transformerLabs.showHint', arguments: [fn], tooltip: vscode.l10n.t('Open the next hint for {0}() (the grade report records how many you opened)', fn) }));
      }
      const view = a.lab.manifest.visualizations.find((v) => v.function === fn) ?? (vizFns.has(fn) ? a.lab.manifest.visualizations[0] : undefined);
      if (view) {
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('$(graph) Visualize'), command: 'transformerLabs.showLabPanel', arguments: [view.id], tooltip: vscode.l10n.t('Open the {0} panel', view.title) }));
      }
    }
    return lenses;
  }

  /** Redraws the CodeLenses (a hint was opened). */
  refreshHints(): void {
    this.lensChanged.fire();
  }

  /**
   * A failing check's full message, hint, and expected against actual: in the Testing peek at the
   * failing line (a diff when both values are known), not a modal dialog that hides the code.
   */
  async showDetails(checkId: string): Promise<void> {
    const o = this.checks.last?.run.outcomes.find((x) => x.id === checkId);
    if (!o) return;
    const at = this.testing.showFailure(o);
    if (!at) {
      // Not a Testing item (a hidden check has none): the message where the learner can read it.
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}: {1}', o.spec.title, diagnosticMessage(o)));
      return;
    }
    // The peek opens on the message nearest after the cursor: put the cursor just before it.
    const doc = await vscode.workspace.openTextDocument(at.uri);
    const line = Math.max(0, at.range.start.line - 1);
    const start = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start, start), preserveFocus: false });
    await vscode.commands.executeCommand('testing.goToNextMessage');
  }

  dispose(): void {
    clearTimeout(this.lensTimer);
    this.diagnostics.dispose();
    this.status.dispose();
    this.lensChanged.dispose();
    this.testing.dispose();
  }
}
