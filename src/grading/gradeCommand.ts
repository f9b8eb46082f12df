// "Grade Lab": every check, hidden ones included, under a progress notification; writes
// grade-report.json, opens a readable report, and records the best score.
import * as vscode from 'vscode';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gradeLab, gradeReportMarkdown, GradeReport, writeGradeReport } from '../../core/grading/gradeReport';
import { MARKER_DIR } from '../../core/labs/scaffold';
import type { CheckController } from '../checks/checkController';
import type { ComputeService } from '../compute/computeService';
import type { LabsContext } from '../context';
import type { LabRegistry } from '../labs/labRegistry';

export async function gradeCommand(
  ctx: LabsContext,
  registry: LabRegistry,
  checks: CheckController,
  compute: ComputeService,
): Promise<GradeReport | undefined> {
  const a = registry.current;
  if (!a) {
    void vscode.window.showInformationMessage('Transformer Labs: open a lab folder first (Open Lab…).');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Transformer Labs: grading runs your code, so it needs a trusted workspace.', 'Manage Workspace Trust')
      .then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && registry.exerciseFileOf(doc.uri)) await doc.save();
  }
  let report: GradeReport | undefined;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Grading ${a.lab.manifest.title}`, cancellable: true },
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
    void vscode.window.showErrorMessage(`Transformer Labs: grading failed: ${(err as Error).message}`);
    return undefined;
  }
  const file = writeGradeReport(report, a.dir);
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
    `${r.labTitle}: ${r.score}/${r.maxScore} points (${r.percent}%). Report written to ${file}.`,
  );
  return report;
}
