// The extension in a real VS Code: activation, commands, Open Lab, inline checks and grading.
// Needs the built extension (npm run build) and a workspace whose first folder is empty.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GradeReport } from '../../../core/grading/gradeReport';
import { findLab } from '../../../core/labs/labLoader';
import { writeNewLab } from '../../../core/labs/newLab';
import { answerQuestion, QUIZ_ANSWERS_FILE } from '../../../core/quiz/quizAnswers';
import { quizOf } from '../../../core/quiz/quizFile';
import { watchAnswers } from '../../../src/quiz/answersWatcher';
import type { TransformerLabsApi } from '../../../src/extension';
import { labDiagnostics, replaceFunction, waitFor } from './helpers';

const EXTENSION_ID = 'transformer-labs.transformer-labs';

const WRONG_SOFTMAX = `
export function softmax(xs: Vector): Vector {
  // Forgets to normalise: the outputs do not sum to 1.
  return xs.map((x) => Math.exp(x));
}`;

const RIGHT_SOFTMAX = `
export function softmax(xs: Vector): Vector {
  const max = Math.max(...xs);
  const exps = xs.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}`;

describe('Transformer Labs in VS Code', () => {
  let api: TransformerLabsApi;
  let workspace: string;
  let exercise: vscode.Uri;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test run must open an (empty) workspace folder');
    workspace = folder.uri.fsPath;
    const ext = vscode.extensions.getExtension<TransformerLabsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    api = await ext.activate();
  });

  it('activates and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 8);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  it('Open Lab scaffolds Lab 1 into the workspace folder and opens the exercise', async () => {
    const dir = await vscode.commands.executeCommand<string | undefined>('transformerLabs.openLab', { labId: '01-attention', folder: workspace });
    assert.equal(dir, workspace);
    for (const f of ['attention.ts', 'INSTRUCTIONS.md', 'tsconfig.json', '.transformer-labs/lab.json']) {
      assert.ok(existsSync(join(workspace, f)), `${f} was created`);
    }
    assert.equal(api.registry.current?.lab.manifest.id, '01-attention');
    exercise = vscode.Uri.file(join(workspace, 'attention.ts'));
    const shown = vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === exercise.fsPath);
    assert.ok(shown, 'attention.ts is open in an editor');
  });

  it('a wrong softmax gets a diagnostic on its name; fixing it clears the diagnostic', async () => {
    const doc = await vscode.workspace.openTextDocument(exercise);
    await replaceFunction(doc, 'softmax', WRONG_SOFTMAX);
    const failing = await waitFor('a softmax diagnostic', () => {
      const d = labDiagnostics(exercise, 'softmax-');
      return d.length > 0 ? d : undefined;
    });
    const nameLine = doc.getText().split('\n').findIndex((l) => l.startsWith('export function softmax('));
    assert.ok(failing.some((d) => d.range.start.line === nameLine), 'a diagnostic sits on the softmax line');
    assert.ok(failing.every((d) => d.severity === vscode.DiagnosticSeverity.Error));

    await replaceFunction(doc, 'softmax', RIGHT_SOFTMAX);
    await waitFor('the softmax diagnostics to clear', () => (labDiagnostics(exercise, 'softmax-').length === 0 ? true : undefined));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', exercise);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /^✓ \d+\/\d+ checks$/.test(t)), `a ✓ lens is shown (lenses: ${titles.join(' | ')})`);
  });

  it('Grade Lab writes grade-report.json with every check, hidden ones included', async () => {
    const report = await vscode.commands.executeCommand<GradeReport | undefined>('transformerLabs.gradeLab');
    assert.ok(report, 'grading returned a report');
    const file = join(workspace, 'grade-report.json');
    assert.ok(existsSync(file), 'grade-report.json was written');
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as GradeReport;
    assert.equal(onDisk.labId, '01-attention');
    const lab = api.registry.current!.lab.manifest;
    assert.equal(onDisk.checks.length, lab.checks.length);
    const softmax = onDisk.checks.filter((c) => c.id.startsWith('softmax-'));
    assert.ok(softmax.length > 0 && softmax.every((c) => c.status === 'pass'), 'the fixed softmax passes when graded');
  });

  it('the answers watcher (quiz panel and question list) sees an answer recorded and the file written back', async () => {
    const lab = api.registry.current!.lab;
    const quiz = quizOf(lab)!;
    const q = quiz.questions[0];
    let events = 0;
    const watch = watchAnswers(workspace, () => events++);
    try {
      // Give the watcher a moment to start before the first write.
      await new Promise((r) => setTimeout(r, 1000));
      const answer = q.kind === 'choice' ? q.answer : '1';
      assert.equal(answerQuestion(workspace, lab.manifest.id, quiz, q.id, answer).kind, 'recorded');
      await waitFor('an event for the recorded answer', () => (events > 0 ? true : undefined), 15_000);
      const seen = events;
      const file = join(workspace, QUIZ_ANSWERS_FILE);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\n$/, ' \n'));
      await waitFor('an event for the file written in place', () => (events > seen ? true : undefined), 15_000);
    } finally {
      watch.dispose();
    }
  });

  it('Show Attention Panel on an open panel reveals it where it is, without moving it to another group', async () => {
    const groupsWithPanel = () => vscode.window.tabGroups.all.filter((g) => g.tabs.some((t) => t.label === 'Attention'));
    await vscode.commands.executeCommand('transformerLabs.showAttentionPanel');
    const before = await waitFor('the attention panel', () => groupsWithPanel()[0]?.viewColumn);
    // With the panel's own group focused, "Beside" would mean a new group to its right.
    const focus = ['workbench.action.focusFirstEditorGroup', 'workbench.action.focusSecondEditorGroup', 'workbench.action.focusThirdEditorGroup'][before - 1];
    await vscode.commands.executeCommand(focus);
    await vscode.commands.executeCommand('transformerLabs.showAttentionPanel');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(groupsWithPanel().map((g) => g.viewColumn), [before]);
  });

  it('transformerLabs.labPaths: a lab written with new-lab loads without a rebuild, its checks run in the sandbox, and it goes with the setting', async () => {
    const extra = join(mkdtempSync(join(tmpdir(), 'tl-integration-labs-')), 'softmax-lab');
    writeNewLab(extra, 'softmax-lab');
    const settings = vscode.workspace.getConfiguration('transformerLabs');
    await settings.update('labPaths', [extra], vscode.ConfigurationTarget.Global);
    try {
      const lab = await waitFor('the extra lab in the registry', () => findLab(api.registry.labs.labs, 'softmax-lab'));
      assert.equal(lab.checksSource, join(extra, 'checks.ts'), 'its checks are transpiled from the folder at run time');
      assert.deepEqual(api.registry.labs.errors, []);
      const client = await api.compute.client();
      const run = (file: string) =>
        client.runChecks({ labId: lab.manifest.id, labChecks: lab.checksSource, files: [{ path: 'softmax.ts', text: readFileSync(join(extra, file), 'utf8') }], checkIds: lab.manifest.checks.map((c) => c.id), limits: { timeoutMs: 20_000, memoryMb: 512 } });
      const solution = await run('solution/softmax.ts');
      assert.deepEqual(solution.results.map((r) => `${r.id} ${r.status}`), lab.manifest.checks.map((c) => `${c.id} pass`));
      const starter = await run('starter/softmax.ts');
      assert.ok(starter.results.every((r) => r.status !== 'pass'), starter.results.map((r) => `${r.id} ${r.status}`).join(', '));
      // A path that is not there: reported with the path, the other labs stay.
      await settings.update('labPaths', [extra, join(extra, 'missing')], vscode.ConfigurationTarget.Global);
      const errors = await waitFor('the missing path reported', () => (api.registry.labs.errors.length > 0 ? api.registry.labs.errors : undefined));
      assert.match(errors.map((e) => e.message).join('\n'), /missing/);
      assert.ok(findLab(api.registry.labs.labs, 'softmax-lab') && findLab(api.registry.labs.labs, '01-attention'));
    } finally {
      await settings.update('labPaths', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the extra lab gone with the setting', () => (findLab(api.registry.labs.labs, 'softmax-lab') ? undefined : true));
  });

  it('Open Lab leaves one instructions preview, the lab just opened\'s, in front: the other lab\'s is closed', async () => {
    const tabs = () => vscode.window.tabGroups.all.map((g) => g.tabs.map((t) => ({ label: t.label, active: t.isActive, input: t.input?.constructor?.name, viewType: (t.input as { viewType?: string } | undefined)?.viewType })));
    const previews = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.includes('INSTRUCTIONS.md'));
    const one = (what: string) =>
      waitFor(what, () => (previews().length === 1 && previews()[0].isActive ? true : undefined), 30_000).catch((err: Error) => {
        throw new Error(`${err.message}; the tabs: ${JSON.stringify(tabs())}`);
      });
    await vscode.commands.executeCommand('transformerLabs.showInstructions');
    await one('Lab 1\'s instructions preview in front');
    const other = join(mkdtempSync(join(tmpdir(), 'tl-int-')), 'lab3');
    await vscode.commands.executeCommand('transformerLabs.openLab', { labId: '03-positional-encodings', folder: other });
    await one('one instructions preview after Lab 3 opened');
  });

  // Last: it stops the sidecar for good.
  it('deactivate() returns a promise that resolves once the compute sidecar process is gone', async () => {
    const client = await api.compute.client();
    await client.start();
    const pid = client.pid!;
    assert.doesNotThrow(() => process.kill(pid, 0), 'the sidecar runs');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // The module the extension host loaded (same path, so the same cached module).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(ext.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> | undefined };
    const stopping = mod.deactivate();
    assert.ok(stopping instanceof Promise, 'VS Code can wait for it');
    await stopping;
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the sidecar process has exited');
  });
});
