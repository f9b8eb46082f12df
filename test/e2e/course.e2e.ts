// End to end, the course as a learner: Start Course in the empty folder the window has open,
// open Lab 1 and Lab 2 inside it (no folder dialog, no new window: the page never navigates),
// the Course view lists both with live check states, a mastery question answered in the quick
// input and more in the quiz panel (opened from the course view; the same record), the complexity
// profiler drawn from the learner's own attention (its starter, so the reference curves are drawn
// beside an error note), and last a window reload that must bring the open lab's exercise file and
// instructions back beside each other.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './browser';
import { INSTRUCTIONS_TAB, labText, manifest, setFileText, useLabWorkbench, goToFunction } from './labSteps';
import { functionSource, replaceFunctions } from './splice';
import { extensionErrors, lens, panelFrame, shot, timings } from './workbench';
import type { Page } from 'playwright-core';

/**
 * The lab's exercise file and its instructions are both visible, side by side: the active tab of
 * one editor group is `file` of the lab folder `labDir` (its breadcrumbs name the folder), the
 * active tab of a group to its right is the instructions preview, whose page shows `heading`.
 */
/** Closes an editor tab by its close button (the tab need not be the active editor). */
async function closeTab(page: Page, title: string): Promise<void> {
  const tab = page.locator('.tab', { hasText: title }).first();
  await tab.hover();
  await tab.locator('.action-label[aria-label^="Close"]').click();
  await tab.waitFor({ state: 'detached', timeout: 15_000 });
}

async function assertLabEditorsBeside(page: Page, labDir: string, file: string, heading: string): Promise<void> {
  const groups = page.locator('.editor-group-container');
  const fileGroup = groups.filter({ has: page.locator('.tab.active', { hasText: file }) }).first();
  const docGroup = groups.filter({ has: page.locator('.tab.active', { hasText: INSTRUCTIONS_TAB }) }).first();
  await fileGroup.waitFor({ timeout: 60_000 });
  await docGroup.waitFor({ timeout: 60_000 });
  await fileGroup.locator('.breadcrumbs-control', { hasText: labDir }).waitFor({ timeout: 30_000 });
  await fileGroup.locator('.monaco-editor .view-line').first().waitFor({ timeout: 30_000 });
  const [a, b] = [await fileGroup.boundingBox(), await docGroup.boundingBox()];
  assert.ok(a && b && a.width > 100 && b.width > 100, 'both editor groups have room on the screen');
  assert.ok(b.x >= a.x + a.width - 2, `the instructions are beside the exercise file, to its right (file group at x ${a.x}–${a.x + a.width}, instructions at x ${b.x})`);
  const previews = 'iframe.webview.ready[src*="extensionId=vscode.markdown-language-features"]';
  const deadline = Date.now() + 30_000;
  for (;;) {
    const n = await page.locator(previews).count();
    for (let i = 0; i < n; i++) {
      const h1 = page.frameLocator(previews).nth(i).frameLocator('iframe#active-frame').locator('h1', { hasText: heading });
      if (await h1.isVisible().catch(() => false)) return;
    }
    if (Date.now() > deadline) throw new Error(`no visible instructions preview shows "${heading}" (${n} previews)`);
    await page.waitForTimeout(250);
  }
}

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
    await page.locator('.tab', { hasText: INSTRUCTIONS_TAB }).first().waitFor({ timeout: 30_000 });
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
    // The lab just opened comes up expanded, without a click.
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
    // The lab just opened is expanded in the course view: its functions, then its questions.
    await page.locator('.pane-body .monaco-list-row[aria-label^="layerNormLoops,"]').waitFor({ timeout: 30_000 });
    await page.locator('.pane-body .monaco-list-row[aria-label="Mastery questions: 0 of 6 answered, 0 of 8 points"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.pane-body .monaco-list-row[aria-label^="attendOne,"]').count(), 0, 'Lab 1, left, is folded');
    await shot(page, '42-course-lab1-and-lab2');
    await assertLabEditorsBeside(page, '02-transformer-block', 'block.ts', 'Lab 2');
    // Lab 2's instructions in a (locked) preview of their own; Lab 1's, left behind, are closed.
    await page.locator('.tab', { hasText: INSTRUCTIONS_TAB }).nth(1).waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await page.locator('.tab', { hasText: INSTRUCTIONS_TAB }).count(), 1, 'one instructions tab: the open lab\'s');

    // A mastery question of Lab 2, answered with the keyboard.
    await runCommand(page, 'Transformer Labs: Answer Mastery Questions');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '5 decoder tokens' }).first().click();
    // The question's own input box (its placeholder), not the list it replaces: typing into the
    // list's filter just before the box took its place lost the text (CI of 2026-12-04).
    const box = page.locator('.quick-input-widget .quick-input-box input[placeholder^="a number"]');
    await box.waitFor();
    await box.fill('seventy');
    await page.locator('.quick-input-message', { hasText: 'not a number' }).waitFor();
    await shot(page, '43-quiz-refused-input');
    await box.fill('70');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-dialog-box', { hasText: 'Right: +1 point.' }).waitFor({ timeout: 15_000 });
    await shot(page, '44-quiz-right-explained');
    // Enter goes to the dialog once the dialog holds the focus (it takes it as it opens).
    await page.locator('.monaco-dialog-box :focus').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: 10_000 });
    // The command asks for the next question (the list again, with the new score); Escape ends it.
    // Pressed before the list is back, Escape reached nothing and the list stayed over the editor.
    const listTitle = (text: string) => page.locator('.quick-input-widget .quick-input-title', { hasText: text }).waitFor({ timeout: 15_000 });
    await listTitle('1/8 points, 1 of 6 answered');
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    const answers = JSON.parse(readFileSync(join(lab2, '.transformer-labs', 'quiz.json'), 'utf8'));
    assert.deepEqual(answers.answers['cross-attention-weights'].attempts.map((a: { answer: string }) => a.answer), ['70']);
    await page.locator('.pane-body .monaco-list-row[aria-label*="quiz 1/"]').waitFor({ timeout: 30_000 });
    // The lab row's description is cut in a narrow side bar; the questions' own row shows the score whole.
    const quizRow = page.locator('.pane-body .monaco-list-row[aria-label="Mastery questions: 1 of 6 answered, 1 of 8 points"]');
    await quizRow.waitFor({ timeout: 30_000 });
    const shown = await quizRow.evaluate((row) => {
      const d = row.querySelector('.label-description')!.getBoundingClientRect();
      const pane = row.closest('.pane-body')!.getBoundingClientRect();
      return { text: row.querySelector('.label-description')!.textContent, right: d.right, paneRight: pane.right, width: d.width };
    });
    assert.equal(shown.text, '1/8 points · 1 of 6');
    assert.ok(shown.width > 0 && shown.right <= shown.paneRight, `the score is drawn inside the view: ${JSON.stringify(shown)}`);
    await shot(page, '45-course-quiz-score');

    // The quiz panel, from Lab 2's row in the course view: the quick pick's answer is there (one record).
    const lab2Row = page.locator('.pane-body .monaco-list-row[aria-label*="The transformer block"]').first();
    await lab2Row.hover();
    const quizAction = lab2Row.locator('.action-label[aria-label*="Mastery Questions Panel"]');
    await quizAction.waitFor({ timeout: 10_000 });
    await quizAction.click();
    const quiz = panelFrame(page);
    await quiz.locator('#quiz-score', { hasText: 'Score: 1 / 8 points · 1 of 6 answered' }).waitFor({ timeout: 30_000 });
    await quiz.locator('#q-cross-attention-weights-item', { hasText: 'answered right' }).waitFor();
    await quiz.locator('#q-cross-attention-weights-item', { hasText: 'Your answer: 70' }).waitFor();
    // A choice with the keyboard: into the question (a click on its text gives the panel the focus), arrow to b, Enter submits.
    await quiz.locator('#q-which-norm-prompt').click();
    await quiz.locator('#q-which-norm-option-a').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await quiz.locator('#q-which-norm-option-b').isChecked(), true, 'the arrow key chose option b');
    await page.keyboard.press('Enter');
    await quiz.locator('#q-which-norm-verdict', { hasText: 'Right: +1 point.' }).waitFor({ timeout: 15_000 });
    await quiz.locator('#q-which-norm-verdict .explanation').waitFor();
    await quiz.locator('#quiz-score', { hasText: 'Score: 2 / 8 points · 2 of 6 answered' }).waitFor();
    // A number that cannot be read is refused (no try spent), then the right one, each sent with Enter.
    const gelu = quiz.locator('#q-gelu-at-one-input');
    await gelu.fill('about 0.84');
    await gelu.press('Enter');
    await quiz.locator('#q-gelu-at-one-verdict.refused', { hasText: 'Not counted' }).waitFor({ timeout: 15_000 });
    assert.equal(await quiz.locator('#q-gelu-at-one-input').evaluate((e) => e === e.ownerDocument.activeElement), true, 'the refused field keeps the focus');
    await shot(page, '47-quiz-panel-refused');
    await quiz.locator('#q-gelu-at-one-input').fill('0.8413');
    await quiz.locator('#q-gelu-at-one-input').press('Enter');
    await quiz.locator('#q-gelu-at-one-verdict', { hasText: 'Right: +1 point.' }).waitFor({ timeout: 15_000 });
    await quiz.locator('#quiz-score', { hasText: 'Score: 3 / 8 points · 3 of 6 answered' }).waitFor();
    // Only for the screenshot: the quiz page redraws when the recorded answer comes back, which can
    // detach the verdict mid-scroll ("Element is not attached to the DOM", CI of 2026-12-04); the
    // locator finds the new one on the next try.
    for (let attempt = 1; ; attempt++) {
      try {
        await quiz.locator('#q-gelu-at-one-verdict').scrollIntoViewIfNeeded({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
        await page.waitForTimeout(500);
      }
    }
    await shot(page, '48-quiz-panel-answered');
    const record = JSON.parse(readFileSync(join(lab2, '.transformer-labs', 'quiz.json'), 'utf8'));
    assert.deepEqual(Object.fromEntries(Object.entries(record.answers).map(([k, v]) => [k, (v as { attempts: { answer: string }[] }).attempts.map((a) => a.answer)])), {
      'cross-attention-weights': ['70'],
      'which-norm': ['b'],
      'gelu-at-one': ['0.8413'],
    });
    await page.locator('.pane-body .monaco-list-row[aria-label*="quiz 3/"]').waitFor({ timeout: 30_000 });
    await closeTab(page, 'Quiz: The transformer block');
    // The questions' row opens them again, with the answers given in the panel.
    const quizRow3 = page.locator('.pane-body .monaco-list-row[aria-label="Mastery questions: 3 of 6 answered, 3 of 8 points"]');
    await quizRow3.waitFor({ timeout: 30_000 });
    await quizRow3.click();
    await panelFrame(page).locator('#quiz-score', { hasText: 'Score: 3 / 8 points · 3 of 6 answered' }).waitFor({ timeout: 30_000 });
    await closeTab(page, 'Quiz: The transformer block');

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

    // Last (a failure here leaves every step above checked): a window reload brings the open lab's
    // exercise file and instructions back beside each other.
    await closeTab(page, 'Complexity Profiler');
    await assertLabEditorsBeside(page, '01-attention', 'attention.ts', 'Lab 1');
    await page.locator('.tab', { hasText: INSTRUCTIONS_TAB }).nth(1).waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await page.locator('.tab', { hasText: INSTRUCTIONS_TAB }).count(), 1, 'back on Lab 1, Lab 2\'s instructions are closed');
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const t2 = Date.now();
    try {
      await assertLabEditorsBeside(page, '01-attention', 'attention.ts', 'Lab 1');
    } finally {
      await shot(page, '49-course-after-reload');
    }
    timings['Course: reload to both lab editors visible (ms)'] = Date.now() - t2;
    assert.equal(page.url(), url, 'the reload kept the course folder');
    assert.deepEqual(extensionErrors(server), []);
  });
});
