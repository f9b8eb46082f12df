// The steps of a later-lab scenario as a learner takes them (Open Lab, replace a file, go to a
// function, open the lab's panel, grade), shared by laterLabs.e2e.ts and lab05.e2e.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser, runCommand } from './browser';
import { CodeServer, startCodeServer } from './codeServer';
import { panelFrame, root, timings, VSIX } from './workbench';

/** Chromium and code-server with the packaged .vsix, every folder trusted (trust is scenario 1's subject). */
export async function startTrustedCodeServer(prefix: string): Promise<{ browser: Browser; server: CodeServer }> {
  assert.ok(existsSync(VSIX), `${VSIX} is missing: npm run package builds it`);
  const browser = await launchBrowser();
  const server = await startCodeServer({ vsix: VSIX, workspace: mkdtempSync(join(tmpdir(), prefix)), settings: { 'security.workspace.trust.enabled': false } });
  return { browser, server };
}

/**
 * An empty lab folder of its own in a fresh parent: Open Lab looks beside the new folder for the
 * learner's Lab 1 (an earlier scenario's folder in the temp dir would otherwise be reused).
 */
export function freshLabFolder(name = 'lab'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tl-e2e-course-')), name);
  mkdirSync(dir);
  return dir;
}

export interface Manifest {
  id: string;
  order: number;
  title: string;
  files: { path: string; starter: string; solution: string }[];
  checks: { id: string; function: string; hidden: boolean; points: number }[];
  visualizations: { id: string; title: string }[];
}

export function manifest(id: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'labs', id, 'lab.json'), 'utf8')) as Manifest;
}

export function labText(m: Manifest, file: string, which: 'starter' | 'solution'): string {
  const f = m.files.find((x) => x.path === file)!;
  return readFileSync(join(root, 'labs', m.id, which === 'starter' ? f.starter : f.solution), 'utf8');
}

/**
 * Replaces the learner's file on disk, as pasting a whole file or an outside edit would; the open
 * editor reloads it and the checks run on the new text. (Typing into the editor key by key is
 * scenario 1's subject; Monaco's auto-indent would reshape a whole pasted file typed that way.)
 */
export async function setFileText(page: Page, workspace: string, file: string, text: string): Promise<void> {
  writeFileSync(join(workspace, file), text);
  await page.locator('.tab', { hasText: file }).first().click();
}

/** Scrolls the active editor to `fn` (CodeLenses are drawn only inside the viewport). */
export async function goToFunction(page: Page, text: string, fn: string): Promise<void> {
  const line = text.split('\n').findIndex((l) => new RegExp(`^export function ${fn}\\b`).test(l)) + 1;
  assert.ok(line > 0, `${fn} is in the text`);
  await page.keyboard.press('Control+G');
  await page.keyboard.insertText(String(line));
  await page.keyboard.press('Enter');
}

export async function openLab(page: Page, m: Manifest, file: string): Promise<void> {
  const t0 = Date.now();
  await runCommand(page, 'Transformer Labs: Open Lab');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: m.title }).first().click();
  await page.locator('.tab', { hasText: file }).first().waitFor({ timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: `Lab ${m.order}:` }).first().waitFor({ timeout: 60_000 });
  timings[`Lab ${m.order}: Open Lab to first check results (ms)`] = Date.now() - t0;
}

export async function showPanel(page: Page, title?: string): Promise<FrameLocator> {
  await runCommand(page, 'Transformer Labs: Show Lab Panel');
  if (title) await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
  return panelFrame(page);
}

export async function grade(page: Page, workspace: string, m: Manifest, fixed: string[]): Promise<void> {
  await runCommand(page, 'Transformer Labs: Grade Lab');
  const file = join(workspace, 'grade-report.json');
  const deadline = Date.now() + 90_000;
  while (!existsSync(file) && Date.now() < deadline) await page.waitForTimeout(250);
  assert.ok(existsSync(file), 'grade-report.json written');
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const mine = report.checks.filter((c: { function: string }) => fixed.includes(c.function));
  assert.ok(mine.length > 0);
  assert.deepEqual(mine.filter((c: { status: string }) => c.status !== 'pass').map((c: { id: string }) => c.id), [], 'every check of the fixed functions passes, hidden ones included');
  const points = mine.reduce((s: number, c: { points: number }) => s + c.points, 0);
  assert.ok(report.score >= points && report.score < report.maxScore, `score ${report.score} is at least the fixed functions' ${points} and below ${report.maxScore}`);
  assert.equal(report.maxScore, m.checks.reduce((s, c) => s + c.points, 0));
}

export function visibleChecks(m: Manifest, fn: string): number {
  return m.checks.filter((c) => c.function === fn && !c.hidden).length;
}
