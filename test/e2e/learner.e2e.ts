// End to end, as a learner: the packaged .vsix in code-server (VS Code 1.100), driven through
// headless Chromium. Screenshots go to test-output/e2e/; timings are printed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { answerTrust, launchBrowser, runCommand } from './browser';
import { CodeServer, startCodeServer } from './codeServer';
import { editorGroups, INSTRUCTIONS_TAB } from './labSteps';
import { activationMs, extensionErrors, extensionLog, lens, openWorkbench, panelFrame, replaceLine, root, shot, timings, VSIX, waitForGradePreview, webviewConsoleErrors } from './workbench';
import { expectAfterKeystroke, installProbe, lastTracedRun, latencies, percentile, traceBreakdown, type Target } from './latency';

/** Lab 1's manifest: the counts the status bar and the CodeLenses show come from it. */
const LAB1 = JSON.parse(readFileSync(join(root, 'labs', '01-attention', 'lab.json'), 'utf8')) as {
  checks: { id: string; title: string; function: string; hidden: boolean; points: number; bonus?: boolean }[];
};
const VISIBLE = LAB1.checks.filter((c) => !c.hidden);
const SOFTMAX_VISIBLE = VISIBLE.filter((c) => c.function === 'softmax').length;

/** 1-based line of softmax's `throw` in Lab 1's starter (the line the learner replaces). */
const SOFTMAX_THROW_LINE =
  readFileSync(join(root, 'labs', '01-attention', 'starter', 'attention.ts'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes("throw new Error('TODO: implement softmax')")) + 1;

const TYPING_EDITS = 10;
/** The page of the scenario running (for a screenshot when a test fails). */
let currentPage: Page | undefined;

/** The Problems row of a softmax whose rows do not sum to 1: the check's title starts it. */
const SUMS_TO_ONE = LAB1.checks.find((c) => c.id === 'softmax-sums-to-one')!.title;
const FUNCTIONS = new Set(VISIBLE.map((c) => c.function)).size;

/** What shows a softmax result: the Problems row, the squiggle, the status bar and the CodeLens. */
function softmaxTargets(state: 'first wrong' | 'wrong' | 'right'): Target[] {
  const wrong = state !== 'right';
  const all = VISIBLE.length;
  return [
    { name: 'diagnostic (squiggle)', selector: '.monaco-editor .squiggly-error', present: wrong },
    { name: 'diagnostic (Problems)', selector: '.markers-panel .monaco-list-row', text: SUMS_TO_ONE, present: wrong },
    {
      name: 'status bar',
      selector: '.statusbar-item',
      text: state === 'first wrong' ? `Lab 1: 0/${all} checks · ${FUNCTIONS - 1} not started` : wrong ? `Lab 1: 0/${all} checks` : `Lab 1: ${SOFTMAX_VISIBLE}/${all} checks`,
      present: true,
    },
    { name: 'CodeLens', selector: '.codelens-decoration', text: wrong ? '✗' : `✓ ${SOFTMAX_VISIBLE}/${SOFTMAX_VISIBLE} checks`, present: true },
  ];
}

/** Puts the keyboard focus in the editor of `file` (a click on its tab). */
async function focusEditor(page: Page, file: string): Promise<void> {
  await page.locator('.tab', { hasText: file }).first().click();
}

describe('e2e: a learner in code-server', function () {
  this.timeout(240_000);
  let browser: Browser;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && currentPage) await shot(currentPage, `failed-${this.currentTest.title.slice(0, 40).replace(/[^\w]+/g, '-')}`).catch(() => undefined);
    if (this.currentTest?.state === 'failed' && webviewConsoleErrors.length > 0) {
      console.log(`    console errors so far:\n${webviewConsoleErrors.map((e) => `      ${e}`).join('\n')}`);
    }
  });

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: npm run package builds it`);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    // Page errors are printed even when every test passed: they name the script that threw.
    if (webviewConsoleErrors.length > 0) console.log(`\n  console and page errors seen:\n${webviewConsoleErrors.map((e) => `    ${e}`).join('\n')}`);
    console.log('\n  e2e timings');
    for (const [k, v] of Object.entries(timings)) console.log(`    ${k.padEnd(72)} ${v}`);
  });

  describe('scenario 1: the first lab', () => {
    let server: CodeServer;
    let page: Page;
    let workspace: string;

    before(async () => {
      workspace = mkdtempSync(join(tmpdir(), 'tl-e2e-learner-'));
      // trace.timing: the compute log's per-run traces (where the time goes) as info lines, for the timing table.
      server = await startCodeServer({ vsix: VSIX, workspace, settings: { 'security.workspace.trust.startupPrompt': 'always', 'transformerLabs.trace.timing': true } });
      page = await openWorkbench(browser, server, workspace);
      currentPage = page;
      await answerTrust(page, true);
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 20_000 }).catch(() => undefined);
    });
    after(async () => {
      await page?.close();
      await server?.stop();
    });

    it('Open Lab… opens the exercise file and the instructions', async () => {
      const t0 = Date.now();
      await runCommand(page, 'Transformer Labs: Open Lab');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Attention from scratch' }).first().click();
      await page.locator('.tab', { hasText: 'attention.ts' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.tab', { hasText: INSTRUCTIONS_TAB }).first().waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: `Lab 1: 0/${VISIBLE.length} checks` }).first().waitFor({ timeout: 60_000 }).catch(async (e) => {
        await shot(page, '0-open-lab-failed');
        throw e;
      });
      timings['Open Lab to first check results (ms)'] = Date.now() - t0;
      assert.ok(existsSync(join(workspace, '.transformer-labs', 'lab.json')));
      timings['extension activation (ms)'] = activationMs(server) ?? -1;
    });

    it('a fresh lab is "not started", not broken: neutral CodeLenses, an empty Problems view, hints one at a time', async () => {
      await page.locator('.tab', { hasText: 'attention.ts' }).first().click();
      await lens(page, `○ ${SOFTMAX_VISIBLE} checks — not started`).waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: `${new Set(LAB1.checks.map((c) => c.function)).size} not started` }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel').first().waitFor({ timeout: 10_000 });
      await page.locator('.markers-panel-container .message-box-container, .markers-panel .monaco-tl-contents', { hasText: /No problems have been detected/ }).first().waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('.markers-panel .monaco-list-row').count(), 0, 'no problems for a lab that is not started');
      const softmaxHints = (JSON.parse(readFileSync(join(root, 'labs', '01-attention', 'lab.json'), 'utf8')) as { hints: Record<string, string[]> }).hints.softmax;
      // One decoration holds every lens of a line: click the hint's own link.
      await page.locator('.codelens-decoration a', { hasText: `Hint 1 of ${softmaxHints.length}` }).first().click();
      await page.locator('.notifications-toasts', { hasText: softmaxHints[0].slice(0, 40) }).first().waitFor({ timeout: 10_000 });
      await lens(page, `Hint 2 of ${softmaxHints.length}`).waitFor({ timeout: 10_000 });
      await shot(page, '0-not-started-and-hint');
      await page.keyboard.press('Escape');
      assert.deepEqual(JSON.parse(readFileSync(join(workspace, '.transformer-labs', 'hints.json'), 'utf8')).opened, { softmax: 1 });
    });

    it('the status bar shows the backend actually in use (wasm)', async () => {
      await page.locator('.statusbar-item', { hasText: 'wasm' }).first().waitFor({ timeout: 30_000 });
    });

    it('a wrong softmax: a problem on the function, the status bar and a failing CodeLens, timed from the last keystroke', async () => {
      // The Problems view is open before the edit (the learner has it open), focus back in the editor.
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel').first().waitFor({ timeout: 10_000 });
      await focusEditor(page, 'attention.ts');
      await installProbe(page);
      const targets = softmaxTargets('first wrong');
      await expectAfterKeystroke(page, targets);
      // Forgetting to normalise: rows do not sum to 1.
      await replaceLine(page, SOFTMAX_THROW_LINE, '  return xs.map((x) => Math.exp(x));');
      const t = await latencies(page, targets).catch(async (e) => {
        await shot(page, '1-wrong-softmax-failed');
        throw e;
      });
      for (const [k, v] of Object.entries(t)) timings[`first edit of softmax: keystroke → ${k} (ms)`] = v;
      await lens(page, 'sums to').waitFor({ timeout: 5_000 });
      await page.locator('.markers-panel .monaco-list-row', { hasText: SUMS_TO_ONE }).first().waitFor({ timeout: 5_000 });
      await shot(page, '1-wrong-softmax-diagnostics');
    });

    it('fixing softmax turns its CodeLens to passing', async () => {
      await focusEditor(page, 'attention.ts');
      await replaceLine(page, SOFTMAX_THROW_LINE, '  const m = Math.max(...xs); const e = xs.map((x) => Math.exp(x - m)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s);');
      await lens(page, `✓ ${SOFTMAX_VISIBLE}/${SOFTMAX_VISIBLE} checks`).waitFor({ timeout: 20_000 });
      await page.keyboard.press('Control+S');
      await shot(page, '2-fixed-softmax');
    });

    it(`typing speed: ${TYPING_EDITS} edits, each timed from its last keystroke to the diagnostic, the status bar and the CodeLens`, async () => {
      await focusEditor(page, 'attention.ts');
      await page.keyboard.press('Control+G');
      await page.keyboard.insertText(String(SOFTMAX_THROW_LINE));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft'); // before the "s" of "v / s);"
      const firstRun = lastTracedRun(server);
      const seen: Record<string, number[]> = {};
      for (let i = 0; i < TYPING_EDITS; i++) {
        const wrong = i % 2 === 0;
        const targets = softmaxTargets(wrong ? 'wrong' : 'right');
        await expectAfterKeystroke(page, targets);
        // "v / s" ⇄ "v / 2*s": two keystrokes each way; the clock starts at the last one.
        if (wrong) await page.keyboard.type('2*');
        else for (let k = 0; k < 2; k++) await page.keyboard.press('Backspace');
        const t = await latencies(page, targets).catch(async (e) => {
          await shot(page, '2b-typing-failed');
          throw e;
        });
        for (const [k, v] of Object.entries(t)) (seen[k] ??= []).push(v);
        // Let the editor settle (VS Code's own lens refresh after the publish) before the next edit.
        await page.waitForTimeout(1200);
      }
      await shot(page, '2b-typing');
      const targetMs: Record<string, number> = { 'diagnostic (squiggle)': 600, 'diagnostic (Problems)': 600, 'status bar': 600, CodeLens: 800 };
      for (const [k, v] of Object.entries(seen)) {
        timings[`typing, ${v.length} edits: keystroke → ${k}, p50 / p95 (ms)`] = `${percentile(v, 50)} / ${percentile(v, 95)}   target p50 ≤ ${targetMs[k]}`;
      }
      // The log file is written a moment after the lines.
      let b = traceBreakdown(server, 'typing', firstRun);
      for (let i = 0; i < 20 && b.runs < TYPING_EDITS; i++, b = traceBreakdown(server, 'typing', firstRun)) await page.waitForTimeout(250);
      timings[`typing: where the time goes (p50 of ${b.runs} traced runs, ms)`] = b.steps || '(no trace lines in the compute log)';
      assert.equal(Object.keys(seen).length, 4);
    });

    it('the attention panel draws an N×N heatmap with the sentence\'s tokens', async () => {
      const t0 = Date.now();
      await runCommand(page, 'Transformer Labs: Show Attention Panel');
      const frame = panelFrame(page);
      await frame.locator('.cell').first().waitFor({ timeout: 30_000 });
      timings['command to first heatmap (ms)'] = Date.now() - t0;
      // In front of its group, not behind the instructions preview (issue 18).
      const groups = await editorGroups(page);
      const tab = groups.flatMap((g) => g.tabs).find((t) => t.label === 'Attention');
      assert.ok(tab?.active, `the Attention tab is in front of its group (groups: ${JSON.stringify(groups)})`);
      const tokens = 'The cat sat on the mat because it was tired'.split(' ');
      assert.equal(await frame.locator('.cell').count(), tokens.length * tokens.length);
      const labels = await frame.locator('.col-label').allTextContents();
      assert.deepEqual(labels, tokens);
      // The starter's attention() still throws: the panel says so and shows the reference.
      await frame.locator('.message.error', { hasText: 'attention() is not started yet' }).waitFor();
      // Arrow keys move over the cells and the read-out follows; the moved focus redraws nothing, so it stays.
      await frame.locator('.cell[tabindex="0"]').focus();
      await page.keyboard.press('ArrowRight');
      await frame.locator('.readout', { hasText: "query 'The' → key 'cat'" }).waitFor();
      assert.equal(await frame.locator('.cell:focus').getAttribute('data-col'), '1');
      await frame.locator('.heatmap').scrollIntoViewIfNeeded();
      await shot(page, '3-attention-panel');
      // The trained mini-GPT as the source: one token per character, the model's heads, its own weights as the reference.
      await frame.locator('vscode-radio[value="model"]').click();
      await frame.locator('.source', { hasText: 'The trained mini-GPT' }).waitFor({ timeout: 30_000 });
      const chars = Array.from('The cat sat on the mat because it was tired');
      assert.equal(await frame.locator('.col-label').count(), chars.length);
      assert.equal((await frame.locator('.col-label').nth(3).textContent())?.trim(), '␣', 'a space is a token of its own');
      await frame.locator('.message.error', { hasText: 'attention() is not started yet' }).waitFor();
      await frame.locator('.heatmap').scrollIntoViewIfNeeded();
      await shot(page, '3b-attention-panel-mini-gpt');
    });

    it('Grade Lab shows the report and writes the grade file with the expected score', async () => {
      await runCommand(page, 'Transformer Labs: Grade Lab');
      const file = join(workspace, 'grade-report.json');
      const deadline = Date.now() + 60_000;
      while (!existsSync(file) && Date.now() < deadline) await page.waitForTimeout(250);
      assert.ok(existsSync(file), 'grade-report.json written');
      const report = JSON.parse(readFileSync(file, 'utf8'));
      const softmaxPoints = report.checks.filter((c: { function: string }) => c.function === 'softmax').reduce((s: number, c: { points: number }) => s + c.points, 0);
      assert.equal(report.score, softmaxPoints, 'exactly the softmax checks pass');
      // The learner's .vsix has no hidden checks: it grades the visible ones and names what the instructor adds.
      assert.equal(report.maxScore, VISIBLE.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0));
      const hidden = LAB1.checks.filter((c) => c.hidden);
      assert.deepEqual(report.instructorChecks, { count: hidden.length, points: hidden.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0) });
      assert.ok(report.checks.every((c: { hidden: boolean }) => !c.hidden), 'no hidden check in the learner build');
      await waitForGradePreview(page, report.score, report.maxScore);
      await shot(page, '4-grade-report');
    });

    it('the extension host log has no errors from the extension', () => {
      assert.deepEqual(extensionErrors(server), []);
    });
  });

  describe('scenario 2: restricted mode', () => {
    let server: CodeServer;
    let page: Page;
    let workspace: string;
    let extraLab: string;

    before(async () => {
      workspace = mkdtempSync(join(tmpdir(), 'tl-e2e-restricted-'));
      const cli = join(root, 'dist', 'cli.js');
      const made = spawnSync(process.execPath, [cli, 'new', '01-attention', workspace], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      // An extra lab folder in the settings: its checks are code, so Restricted Mode must not load it.
      extraLab = join(mkdtempSync(join(tmpdir(), 'tl-e2e-extra-labs-')), 'softmax-lab');
      const created = spawnSync(process.execPath, [cli, 'new-lab', extraLab], { encoding: 'utf8' });
      assert.equal(created.status, 0, created.stderr);
      // Trust is on and never asked for: the folder opens in Restricted Mode.
      server = await startCodeServer({ vsix: VSIX, workspace, settings: { 'security.workspace.trust.startupPrompt': 'never', 'transformerLabs.labPaths': [extraLab] } });
      page = await openWorkbench(browser, server, workspace);
    });
    after(async () => {
      await page?.close();
      await server?.stop();
    });

    it('explains why nothing runs, and runs no learner code', async () => {
      await page.locator('.statusbar-item', { hasText: 'Transformer Labs: Restricted Mode' }).first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'Transformer Labs: Run Checks');
      await page.locator('.notifications-toasts', { hasText: 'trusted workspace' }).first().waitFor({ timeout: 20_000 });
      await shot(page, '5-restricted-mode');
      const sidecars = spawnSync('pgrep', ['-f', join(server.dirs.extensions, '.*sidecar/main.js')], { encoding: 'utf8' });
      assert.equal(sidecars.stdout.trim(), '', 'no compute sidecar was started');
      assert.equal(existsSync(join(workspace, 'grade-report.json')), false);
    });

    it('leaves the extra labs of transformerLabs.labPaths unloaded, and says why in its log', async () => {
      const said = /transformerLabs\.labPaths is not used in Restricted Mode/;
      for (const deadline = Date.now() + 30_000; !extensionLog(server).some((l) => said.test(l)); ) {
        assert.ok(Date.now() < deadline, `the log does not say why the extra labs are not loaded:\n${extensionLog(server).slice(-20).join('\n')}`);
        await page.waitForTimeout(250);
      }
      await runCommand(page, 'Transformer Labs: Open Lab');
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: 20_000 });
      const titles = await rows.allInnerTexts();
      assert.ok(titles.some((t) => /Attention/.test(t)), titles.join(' | '));
      assert.ok(!titles.some((t) => /new-lab template/.test(t)), `the extra lab is offered: ${titles.join(' | ')}`);
      await page.keyboard.press('Escape');
    });

    it('the extension host log has no errors from the extension', () => {
      assert.deepEqual(extensionErrors(server), []);
    });
  });
});
