// An instructor's own lab in the editor: a `new-lab` folder named by transformerLabs.labPaths,
// opened with Open Lab from the packaged extension, checked as the learner types, its view drawn
// on the generic panel (the learner's numbers beside the reference, the input edited as JSON),
// and graded with its hidden check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, runCommand } from './browser';
import { CodeServer, startCodeServer } from './codeServer';
import { goToFunction, setFileText, showPanel } from './labSteps';
import { extensionErrors, lens, openWorkbench, root, shot, VSIX, waitForGradePreview } from './workbench';

interface ExtraManifest {
  id: string;
  order: number;
  title: string;
  checks: { id: string; hidden?: boolean; points: number }[];
}

describe('e2e: a lab from transformerLabs.labPaths in code-server', function () {
  this.timeout(600_000);
  let browser: Browser;
  let server: CodeServer;
  let page: Page;
  let labDir: string;
  let workspace: string;
  let m: ExtraManifest;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: npm run package builds it`);
    labDir = join(mkdtempSync(join(tmpdir(), 'tl-e2e-own-labs-')), 'softmax-lab');
    const made = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'new-lab', labDir], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    m = JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8')) as ExtraManifest;
    workspace = join(mkdtempSync(join(tmpdir(), 'tl-e2e-own-lab-')), 'lab');
    mkdirSync(workspace);
    browser = await launchBrowser();
    server = await startCodeServer({ vsix: VSIX, workspace, settings: { 'security.workspace.trust.enabled': false, 'transformerLabs.labPaths': [labDir] } });
    page = await openWorkbench(browser, server, workspace);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot(page, 'failed-own-lab').catch(() => undefined);
  });
  after(async () => {
    await page?.close();
    await server?.stop();
    await browser?.close();
  });

  it('Open Lab offers it; checks run as the learner types; its view is drawn on the generic panel; Grade Lab grades it', async () => {
    await runCommand(page, 'Transformer Labs: Open Lab');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: m.title }).first().click();
    await page.locator('.tab', { hasText: 'softmax.ts' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: `Lab ${m.order}:` }).first().waitFor({ timeout: 60_000 });
    const visible = m.checks.filter((c) => !c.hidden).length;
    await lens(page, `○ ${visible} checks — not started`).waitFor({ timeout: 60_000 });

    const solution = readFileSync(join(labDir, 'solution', 'softmax.ts'), 'utf8');
    await setFileText(page, workspace, 'softmax.ts', solution);
    await goToFunction(page, solution, 'softmax');
    await lens(page, `✓ ${visible}/${visible} checks`).waitFor({ timeout: 30_000 });

    const frame = await showPanel(page);
    await frame.locator('h2', { hasText: 'Yours beside the reference' }).first().waitFor({ timeout: 60_000 });
    await frame.locator('.verdict', { hasText: 'Largest difference from the reference: 0' }).waitFor();
    // The template's default row, then a row typed as JSON (Ctrl+Enter applies it).
    assert.equal(await frame.locator('table tbody tr').count(), 4);
    await frame.locator('#input-json').fill('{"scores": [1, 2, 3, 4, 5]}');
    await frame.locator('#input-json').press('Control+Enter');
    await frame.locator('table tbody tr').nth(4).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('table tbody tr').count(), 5);
    await frame.locator('#input-json').fill('[1, 2]');
    await frame.locator('#input-json').press('Control+Enter');
    await frame.locator('.input-problem', { hasText: 'must be a JSON object' }).waitFor();
    await shot(page, '60-own-lab-generic-panel');

    await runCommand(page, 'Transformer Labs: Grade Lab');
    const file = join(workspace, 'grade-report.json');
    const deadline = Date.now() + 90_000;
    while (!existsSync(file) && Date.now() < deadline) await page.waitForTimeout(250);
    const report = JSON.parse(readFileSync(file, 'utf8')) as { score: number; maxScore: number; checks: { id: string }[] };
    // The folder is the instructor's: its hidden check is graded too.
    assert.deepEqual(report.checks.map((c) => c.id), m.checks.map((c) => c.id));
    assert.equal(report.maxScore, m.checks.reduce((s, c) => s + c.points, 0));
    assert.equal(report.score, report.maxScore);
    await waitForGradePreview(page, report.score, report.maxScore);
  });

  it('the extension host log has no errors from the extension', () => {
    assert.deepEqual(extensionErrors(server), []);
  });
});
