// What the end-to-end suites share: the packaged .vsix, screenshots, timings, the workbench
// page (with webview console errors collected) and selectors for CodeLenses and panels.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { repoRoot } from '../support/repoRoot';

export const root = repoRoot(__dirname);
export const VSIX = join(root, 'transformer-labs.vsix');
const SHOTS = join(root, 'test-output', 'e2e');
export const timings: Record<string, number | string> = {};
export const webviewConsoleErrors: string[] = [];

export function shot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** The lines of every log file of the workbench whose path matches `which`. */
function logLines(server: CodeServer, which: RegExp): { file: string; line: string }[] {
  const out: { file: string; line: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (which.test(p) && p.endsWith('.log')) for (const line of readFileSync(p, 'utf8').split('\n')) out.push({ file: p, line });
    }
  };
  const logs = join(server.dirs.userData, 'logs');
  if (existsSync(logs)) walk(logs);
  return out;
}

/** Every "[error]" line the extension host or our output channel logged. */
export function extensionErrors(server: CodeServer): string[] {
  return logLines(server, /exthost|Transformer Labs/i)
    .filter(({ file, line }) => /\[error\]/.test(line) && /transformer|Transformer/.test(file + line))
    .map(({ file, line }) => `${file.split(/[\\/]/).pop()}: ${line}`);
}

/** Every line of the extension's own output channel (its log file in the workbench's logs). */
export function extensionLog(server: CodeServer): string[] {
  return logLines(server, /Transformer Labs[^\\/]*$/).map(({ line }) => line);
}

/** "activated in N ms" from the extension's own log channel. */
export function activationMs(server: CodeServer): number | undefined {
  const found = logLines(server, /Transformer Labs Compute[^\\/]*$/)
    .map(({ line }) => /activated in (\d+) ms/.exec(line))
    .filter((m) => m !== null);
  return found.length > 0 ? Number(found[found.length - 1]![1]) : undefined;
}

export async function openWorkbench(browser: Browser, server: CodeServer, folder: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  // Errors thrown inside webviews (panel scripts) reach the page's console.
  page.on('console', (m) => {
    if (m.type() === 'error' && /webview|vscode-resource|vscode-cdn|transformer/i.test(m.location().url + m.text())) {
      webviewConsoleErrors.push(`${m.text()} (${m.location().url}:${m.location().lineNumber})`);
    }
  });
  // The stack's first frame says which script threw (the workbench's own, or one of our webviews).
  page.on('pageerror', (e) => webviewConsoleErrors.push(`pageerror: ${e.message}${e.stack?.split('\n').find((l) => /^\s+at /.test(l)) ?? ''}`));
  const t0 = Date.now();
  await page.goto(`${server.url}?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  timings['page to workbench (ms)'] = Date.now() - t0;
  return page;
}

/** Selects one whole line of the active editor and puts `text` in its place. */
export async function replaceLine(page: Page, line: number, text: string): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.keyboard.insertText(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Shift+Home'); // the second press includes the indentation
  // insertText types the whole string at once, so the editor's bracket auto-closing stays out.
  await page.keyboard.insertText(text);
}

/** One CodeLens (its link, so a click runs that lens and not a neighbour on the same line). */
export function lens(page: Page, text: string) {
  return page.locator('.codelens-decoration a', { hasText: text }).first();
}

export function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready[src*="extensionId=transformer-labs.transformer-labs"]').frameLocator('iframe#active-frame');
}

/**
 * Waits until the Markdown preview of the grade report has drawn its heading (the tab appears
 * before the preview's webview has content; a screenshot then shows an empty editor).
 */
export async function waitForGradePreview(page: Page, score: number, maxScore: number): Promise<void> {
  await page.locator('.tab', { hasText: 'grade-report.md' }).first().waitFor({ timeout: 20_000 });
  // Every Markdown preview is such a webview (INSTRUCTIONS.md's too): look in each for the heading.
  const previews = 'iframe.webview.ready[src*="extensionId=vscode.markdown-language-features"]';
  const deadline = Date.now() + 30_000;
  for (;;) {
    const n = await page.locator(previews).count();
    for (let i = 0; i < n; i++) {
      const heading = page.frameLocator(previews).nth(i).frameLocator('iframe#active-frame').locator('h1', { hasText: `${score} / ${maxScore} points` });
      if ((await heading.count().catch(() => 0)) > 0) return;
    }
    if (Date.now() > deadline) throw new Error(`no Markdown preview shows "${score} / ${maxScore} points" (${n} previews open)`);
    await page.waitForTimeout(250);
  }
}

