// End to end, the course as a learner: Start Course in the empty folder the window has open,
// open Lab 1 and Lab 2 inside it (no folder dialog, no new window: the page never navigates),
// the Course view lists both with live check states, a mastery question answered in the quick
// input, and the complexity profiler drawn from the learner's own attention (its starter, so the
// reference curves are drawn beside an error note).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './browser';
import { labText, manifest, setFileText, useLabWorkbench, goToFunction } from './labSteps';
import { functionSource, replaceFunctions } from './splice';
import { extensionErrors, lens, panelFrame, shot, timings } from './workbench';

describe('e2e: a course in one folder, in code-server', function () {
  this.timeout(400_000);
  const wb = useLabWorkbench('Course', /Course/);

  it('Start Course → Lab 1 and Lab 2 in the same window → live course view → quiz → profiler', async () => {
    const { page, workspace, server } = wb;
    const url = page.url();
    const row = (text: string | RegExp) => page.locator('.pane-body .monaco-list-row', { hasText: text }).first();
    const noDialog = async () => assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no dialog');

    await runCommand(page, 'Transformer Labs: Start Course');
    await row('1. Attention from scratch').waitFor({ timeout: 30_000 });
    assert.ok(existsSync(join(workspace, '.transformer-labs', 'course.json')), 'the course marker is at the folder root');
    await row('6. ').waitFor();
    await shot(page, '40-course-started');

    // Lab 1: no folder dialog, no new window.
    const m1 = manifest('01-attention');
    const t0 = Date.now();
    await runCommand(page, 'Transformer Labs: Open Lab');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: m1.title }).first().click();
    await page.locator('.tab', { hasText: 'attention.ts' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'INSTRUCTIONS.md' }).first().waitFor({ timeout: 30_000 });
    timings['Course: Open Lab 1 to its editor (ms)'] = Date.now() - t0;
    await noDialog();
    assert.equal(page.url(), url, 'the same window: the page did not navigate to another folder');
    const lab1 = join(workspace, '01-attention');
    assert.ok(existsSync(join(lab1, 'attention.ts')), 'Lab 1 lives in the course subfolder 01-attention');

    // Fix softmax: the course view follows the checks live.
    const fixed = replaceFunctions(labText(m1, 'attention.ts', 'starter'), { softmax: functionSource(labText(m1, 'attention.ts', 'solution'), 'softmax') });
    await setFileText(page, lab1, 'attention.ts', fixed);
    await goToFunction(page, fixed, 'softmax');
    const n = m1.checks.filter((c) => c.function === 'softmax' && !c.hidden).length;
    await lens(page, `✓ ${n}/${n} checks`).waitFor({ timeout: 60_000 });
    // Expand Lab 1 with its twistie (a click on the row itself opens the lab).
    await row('1. Attention from scratch').locator('.monaco-tl-twistie').click();
    await row(/^softmax/).waitFor({ timeout: 30_000 });
    await page.locator(`.pane-body .monaco-list-row[aria-label^="softmax, ${n}/${n} checks"]`).waitFor({ timeout: 30_000 });
    await page.locator('.pane-body .monaco-list-row[aria-label*="Attention from scratch, in progress"]').waitFor({ timeout: 30_000 });
    await shot(page, '41-course-lab1-live');

    // Lab 2, again without a dialog or a window; it finds Lab 1 in the course.
    const m2 = manifest('02-transformer-block');
    await runCommand(page, 'Transformer Labs: Open Lab');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: m2.title }).first().click();
    await page.locator('.tab', { hasText: 'attention.ts' }).first().waitFor({ timeout: 90_000 });
    const lab2 = join(workspace, '02-transformer-block');
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(lab2, 'block.ts')) && Date.now() < deadline) await page.waitForTimeout(250);
    assert.ok(existsSync(join(lab2, 'block.ts')), 'Lab 2 lives in the course subfolder 02-transformer-block');
    await noDialog();
    assert.equal(page.url(), url, 'still the same window');
    await page.locator('.pane-body .monaco-list-row[aria-label*="The transformer block"][aria-label*="open"]').first().waitFor({ timeout: 60_000 });
    await page.locator('.pane-body .monaco-list-row[aria-label*="Attention from scratch, in progress"]').waitFor();
    await shot(page, '42-course-lab1-and-lab2');

    // A mastery question of Lab 2, answered with the keyboard.
    await runCommand(page, 'Transformer Labs: Answer Mastery Questions');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '5 decoder tokens' }).first().click();
    const box = page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor();
    await box.fill('seventy');
    await page.locator('.quick-input-message', { hasText: 'not a number' }).waitFor();
    await shot(page, '43-quiz-refused-input');
    await box.fill('70');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-dialog-box', { hasText: 'Right: +1 point.' }).waitFor({ timeout: 15_000 });
    await shot(page, '44-quiz-right-explained');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const answers = JSON.parse(readFileSync(join(lab2, '.transformer-labs', 'quiz.json'), 'utf8'));
    assert.deepEqual(answers.answers['cross-attention-weights'].attempts.map((a: { answer: string }) => a.answer), ['70']);
    await page.locator('.pane-body .monaco-list-row[aria-label*="quiz 1/"]').waitFor({ timeout: 30_000 });
    await shot(page, '45-course-quiz-score');

    // Back to Lab 1 from the course view, then the profiler.
    await row('1. Attention from scratch').click();
    await page.locator('.statusbar-item', { hasText: 'Lab 1:' }).first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Transformer Labs: Profile Attention');
    const frame = panelFrame(page);
    const t1 = Date.now();
    await frame.locator('h2', { hasText: 'multiHeadAttention' }).waitFor({ timeout: 180_000 });
    await frame.locator('.status', { hasText: 'Done.' }).waitFor({ timeout: 240_000 });
    timings['Course: profiler to drawn (ms)'] = Date.now() - t1;
    // Lab 1's attention is still the starter's: an error note, and the reference fitted near N².
    await frame.locator('.part-error', { hasText: 'attention' }).first().waitFor();
    const fitText = await frame.locator('.fit', { hasText: 'Reference' }).first().textContent();
    const k = Number(/peak memory like N\^(\d+\.\d+)/.exec(fitText ?? '')?.[1]);
    assert.ok(k > 1.6 && k < 2.4, `the reference attention's memory exponent is near 2: ${fitText}`);
    await shot(page, '46-profiler');
    assert.deepEqual(extensionErrors(server), []);
  });
});
