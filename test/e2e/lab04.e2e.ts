// End to end, Lab 4 as a learner: Open Lab… in an empty folder, fix utf8Bytes until its CodeLens
// passes, paste finished Level 1 and 2 files, select a sentence in the editor and open the token
// panel: the text box holds the selection, your encodeText with GPT-2's merges matches
// js-tiktoken, your unfinished trainFast shows an error note beside the reference tokenizer,
// a token's merge tree and the vocabulary plot draw; then Grade Lab.
import assert from 'node:assert/strict';
import { fixFunction, grade, useLabWorkbench, goToFunction, labText, manifest, openFile, openLab, setFileText, showPanel, visibleChecks, waitForEditorLine, waitForLensNear } from './labSteps';
import { extensionErrors, lens, shot, timings } from './workbench';

describe('e2e: Lab 4 (tokenizer) in code-server', function () {
  this.timeout(300_000);
  const wb = useLabWorkbench('Lab 4', /Lab 4/);

  it('Lab 4: utf8Bytes fixed; the token panel draws the selection through your GPT-2 encoder beside js-tiktoken; graded', async () => {
    const { page, workspace, server } = wb;
    const m = manifest('04-tokenizer');
    await openLab(page, m, 'bpe.ts');

    // One function, as a learner writes it first; the others stay "not started".
    await fixFunction(page, workspace, m, 'bpe.ts', 'utf8Bytes');
    await shot(page, '10-lab4-utf8-fixed');

    // Levels 1 and 2 finished (pasted); Level 3 still the starter.
    await setFileText(page, workspace, 'bpe.ts', labText(m, 'bpe.ts', 'solution'));
    const gpt2 = labText(m, 'gpt2.ts', 'solution');
    await openFile(page, 'gpt2.ts');
    await setFileText(page, workspace, 'gpt2.ts', gpt2);
    await waitForEditorLine(page, 'import { mergeByRank, utf8Bytes');
    await goToFunction(page, gpt2, 'encodeText');
    const e = visibleChecks(m, 'encodeText');
    await waitForLensNear(page, 'gpt2.ts', gpt2, 'encodeText', `✓ ${e}/${e} checks`, 60_000);
    await shot(page, '11-lab4-capstone-passes');

    // Select a line of the file: the panel's text box starts with it.
    const line = gpt2.split('\n').findIndex((l) => l.includes("GPT-2's bytes_to_unicode")) + 1;
    assert.ok(line > 0);
    await goToFunction(page, gpt2, 'bytesToUnicode');
    await page.keyboard.press('Control+G');
    await page.keyboard.insertText(String(line));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    const frame = await showPanel(page);
    const t1 = Date.now();
    await frame.locator('h2', { hasText: 'GPT-2: your encoder beside js-tiktoken' }).waitFor({ timeout: 90_000 });
    timings['Lab 4: Show Lab Panel to drawn (ms)'] = Date.now() - t1;
    const box = frame.locator('textarea.text-box');
    assert.match(await box.inputValue(), /bytes_to_unicode: table\[b\] is the one character/, 'the text box holds the editor selection');
    await frame.locator('.agree.ok', { hasText: 'Identical to js-tiktoken' }).waitFor();
    // trainFast is still the starter's: that part says so and the reference tokenizer is drawn.
    await frame.locator('.part-error', { hasText: 'trainFast' }).first().waitFor();
    await frame.locator('h2', { hasText: 'The reference tokenizer' }).waitFor();
    assert.ok((await frame.locator('.tok').count()) > 20, 'token chips drawn');
    await frame.locator('figcaption', { hasText: 'How' }).first().waitFor();
    await shot(page, '12-lab4-token-panel');

    // Keyboard: focus a token, read its id, select it for its merge tree.
    const chip = frame.locator('.strip-figure .tok', { hasText: 'stands' }).first();
    await chip.focus();
    await frame.locator('.tok-status', { hasText: /id \d+/ }).first().waitFor();
    await chip.press('Enter');
    await frame.locator('.tok.selected').first().waitFor();
    await frame.locator('.merge-tree').waitFor();

    // Type a sentence of one's own: both tokenizations follow.
    await box.fill("Don't panic: 42 whales 🐋");
    await frame.locator('.source', { hasText: 'Text: 25 characters' }).waitFor({ timeout: 30_000 });
    await frame.locator('.tok', { hasText: 'whales' }).first().waitFor();
    await frame.locator('.agree.ok', { hasText: 'Identical to js-tiktoken' }).waitFor();
    await frame.locator('h2', { hasText: 'GPT-2: your encoder' }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, '13-lab4-gpt2-beside-js-tiktoken');
    await frame.locator('figcaption', { hasText: 'Tokens per character' }).evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await frame.locator('.agree', { hasText: 'Drawn from the reference trainer' }).waitFor();
    await shot(page, '14-lab4-vocabulary-study');

    const functions = m.files.filter((f) => f.path !== 'trainer.ts').flatMap((f) => f.functions);
    await grade(page, workspace, m, functions);
    await shot(page, '15-lab4-graded');
    assert.deepEqual(extensionErrors(server), []);
  });
});
