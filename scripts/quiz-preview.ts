// Dev tool: renders the quiz panel outside VS Code, in headless Chromium, with the real
// QuizController answering the page on a fresh lab folder (Lab 2's questions), answers with the
// keyboard only (Tab into the options, an arrow key, Enter; a text field and Enter) and saves
// screenshots in the dark, light and high-contrast themes.
//
//   node out/scripts/quiz-preview.js [--out .cache/quiz]
//
// Needs /usr/bin/chromium. Not a test: it prints what it sees.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { loadLabs } from '../core/labs/labLoader';
import type { HostToQuizMessage, QuizToHostMessage } from '../core/protocol/quizPanel';
import { quizOf } from '../core/quiz/quizFile';
import { QuizController } from '../src/panels/quizController';
import { launchPreviewBrowser, PreviewTheme, previewHtml, runPreview } from './previewHarness';

// The page callbacks run in Chromium; the root tsconfig has no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

const root = resolve(__dirname, '..', '..');
const outDir = resolve(process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : join(root, '.cache', 'quiz'));

async function bundle(dir: string): Promise<void> {
  await esbuild.build({ entryPoints: [join(root, 'webviews', 'quiz', 'main.ts')], outfile: join(dir, 'quiz.js'), bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  cpSync(join(root, 'webviews', 'quiz', 'quiz.css'), join(dir, 'quiz.css'));
  cpSync(join(root, 'webviews', 'shared', 'panel.css'), join(dir, 'panel.css'));
}

async function scenario(page: Page, theme: PreviewTheme): Promise<void> {
  const lab = loadLabs(join(root, 'labs')).labs.find((l) => l.manifest.id === '02-transformer-block')!;
  const quiz = quizOf(lab)!;
  const dir = mkdtempSync(join(tmpdir(), 'tl-quiz-preview-'));
  const c = new QuizController({
    source: { load: () => ({ dir, labId: lab.manifest.id, labTitle: lab.manifest.title, quiz }) },
    post: (m: HostToQuizMessage) => void page.evaluate((msg) => window.postMessage(msg, '*'), m),
  });
  await page.exposeFunction('__toHost', (m: QuizToHostMessage) => {
    if (m.type === 'ready') c.onReady();
    else if (m.type === 'answer') {
      const refused = c.onAnswer(m.body);
      if (refused) console.log(`  host refused the message: ${refused}`);
    }
  });
  const html = previewHtml(theme, 'quizpreview', { scriptUri: 'quiz.js', styleUri: 'quiz.css', extraStyleUris: ['panel.css'], title: 'Quiz' });
  writeFileSync(join(outDir, `${theme}.html`), html);
  await page.goto(pathToFileURL(join(outDir, `${theme}.html`)).toString());
  await page.locator('#quiz-score').waitFor();
  // Keyboard only: Tab from the top of the page to the first option of the first choice question.
  const firstChoice = quiz.questions.find((q) => q.kind === 'choice')!;
  let tabs = 0;
  while (tabs < 40 && !(await page.evaluate(() => document.activeElement?.name ?? ''))?.includes(firstChoice.id)) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  console.log(`  ${theme}: ${tabs} Tab presses to reach "${firstChoice.id}": focused ${await page.evaluate(() => document.activeElement?.id)}`);
  await page.keyboard.press('ArrowDown');
  console.log(`  checked after ArrowDown: ${await page.evaluate(() => document.querySelector('input[type=radio]:checked')?.id)}`);
  await page.keyboard.press('Enter');
  await page.locator(`#q-${firstChoice.id}-verdict .feedback`).waitFor();
  console.log(`  verdict: ${await page.locator(`#q-${firstChoice.id}-verdict`).innerText()}`.replace(/\n+/g, ' | '));
  console.log(`  focus after the verdict: ${await page.evaluate(() => document.activeElement?.id)}`);
  const numeric = quiz.questions.find((q) => q.kind === 'numeric')!;
  await page.locator(`#q-${numeric.id}-input`).focus();
  await page.keyboard.type('twelve');
  await page.keyboard.press('Enter');
  await page.locator(`#q-${numeric.id}-verdict.refused`).waitFor();
  console.log(`  refused: ${await page.locator(`#q-${numeric.id}-verdict`).innerText()} (focus: ${await page.evaluate(() => document.activeElement?.id)})`);
  await page.screenshot({ path: join(outDir, `${theme}-refused.png`), fullPage: true });
  await page.locator(`#q-${numeric.id}-input`).fill('1');
  await page.keyboard.press('Enter');
  await page.locator(`#q-${numeric.id}-verdict`, { hasText: 'Not right' }).waitFor();
  console.log(`  score: ${await page.locator('#quiz-score').innerText()}`);
  await page.screenshot({ path: join(outDir, `${theme}.png`), fullPage: true });
  console.log(`  record: ${readFileSync(join(dir, '.transformer-labs', 'quiz.json'), 'utf8').replace(/\s+/g, ' ').slice(0, 300)}`);
}

runPreview(async () => {
  mkdirSync(outDir, { recursive: true });
  await bundle(outDir);
  const browser = await launchPreviewBrowser();
  try {
    for (const theme of ['dark', 'light', 'hc'] as PreviewTheme[]) {
      const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
      page.on('console', (m) => console.log(`  page ${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
      await scenario(page, theme);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`screenshots in ${outDir}`);
});
