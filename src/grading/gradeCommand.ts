// "Grade Lab": every check, hidden ones included, under a progress notification; writes
// grade-report.json, opens a readable report, and records the best score.
import * as vscode from 'vscode';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gradeLab, gradeReportMarkdown, GradeReport, instructorChecksNote, writeGradeReport } from '../../core/grading/gradeReport';
import { MARKER_DIR } from '../../core/labs/scaffold';
import type { CheckController } from '../checks/checkController';
import type { ComputeService } from '../compute/computeService';
import type { LabsContext } from '../context';
import type { LabRegistry } from '../labs/labRegistry';
import { reportError } from '../reportError';

export async function gradeCommand(
  ctx: LabsContext,
  registry: LabRegistry,
  checks: CheckController,
  compute: ComputeService,
): Promise<GradeReport | undefined> {
  const a = registry.current;
  if (!a) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Transformer Labs: grading runs your code, so it needs a trusted workspace.'), vscode.l10n.t('Manage Workspace Trust'))
      .then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && registry.exerciseFileOf(doc.uri)) await doc.save();
  }
  let report: GradeReport | undefined;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Grading {0}', a.lab.manifest.title), cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return gradeLab(checks.engine, a.lab, a.dir, {
          extensionVersion: ctx.version,
          typeCheck: async (files, signal) => (await (await compute.client()).typeCheck({ files }, signal)).typeErrors,
          signal: ac.signal,
          onProgress: (message) => progress.report({ message }),
        });
      },
    );
  } catch (err) {
    if ((err as Error).name === 'AbortError') return undefined;
    reportError(ctx.output, `grading failed: ${(err as Error).message}`, err);
    return undefined;
  }
  const file = writeGradeReport(report, a.dir);
  // The walkthrough's "Grade the lab" step completes on this key: a grade that ran, not a click.
  void vscode.commands.executeCommand('setContext', 'transformerLabs.labGraded', true);
  const r = report;
  await ctx.progress.update(r.labId, (p) => ({
    ...p,
    lastGraded: r.gradedAt,
    bestScore: Math.max(p.bestScore ?? 0, r.score),
    maxScore: r.maxScore,
    checksPassed: r.checks.filter((c) => c.status === 'pass').map((c) => c.id),
  }));
  const mdDir = join(a.dir, MARKER_DIR);
  mkdirSync(mdDir, { recursive: true });
  const md = join(mdDir, 'grade-report.md');
  writeFileSync(md, gradeReportMarkdown(report));
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(md));
  void vscode.window.showInformationMessage(
    [vscode.l10n.t('{0}: {1}/{2} points ({3}%).', r.labTitle, r.score, r.maxScore, r.percent), instructorChecksNote(r), vscode.l10n.t('Report written to {0}.', file)].filter(Boolean).join(' '),
  );
  return report;
}
