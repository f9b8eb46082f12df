// Dev tool: renders the training panel outside VS Code, in headless Chromium, with the real
// sidecar running a fine-tuning task and the real TrainingController answering the page, and
// saves screenshots (mid-run, finished, cancelled; dark, light, high contrast).
//
//   node out/scripts/training-preview.js [--out .cache/training] [--lab fixture|05-lab-id]
//
// --lab fixture (the default) runs test/fixtures/labs/fixture-lab's small "fine-tune" task.
// Needs /usr/bin/chromium. Not a test: it prints what it sees.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { findBuildPaths } from '../core/compute/paths';
import { SidecarClient } from '../core/compute/sidecarClient';
import type { SourceFile } from '../core/protocol/sidecar';
import type { HostToTrainingMessage, TrainingInput, TrainingToHostMessage } from '../core/protocol/trainingPanel';
import { TrainingController } from '../src/panels/trainingController';
import { TRAINING_TASK } from '../src/panels/trainingData';
import { launchPreviewBrowser, PreviewTheme, previewHtml, runPreview } from './previewHarness';

// The page callbacks run in Chromium; the root tsconfig has no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

interface Scenario {
  name: string;
  theme: PreviewTheme;
  input: Partial<TrainingInput>;
  /** Cancel after this many progress messages; undefined runs to the end. */
  cancelAfter?: number;
  showTables?: boolean;
  /** Learner code with a throwing part (the fixture: confusion()). */
  broken?: boolean;
}

const FIXTURE_WORK = `
export function two(): number { return 2; }
export function lrAt(step: number, total: number, peak: number): number {
  const warm = Math.max(1, Math.floor(total * 0.1));
  return step < warm ? (peak * (step + 1)) / warm : (peak * (total - step)) / Math.max(1, total - warm);
}
export function confusion(labels: number[], preds: number[]): number[][] {
  const m = [[0, 0], [0, 0]];
  labels.forEach((l, i) => m[l][preds[i]]++);
  return m;
}
`;

const FIXTURE_SCENARIOS: Scenario[] = [
  { name: 'dark-done', theme: 'dark', input: { subset: 400, epochs: 3, lr: 0.03 } },
  { name: 'light-cancelled-tables', theme: 'light', input: { subset: 4000, epochs: 10, lr: 0.03 }, cancelAfter: 6, showTables: true },
  { name: 'hc-part-error', theme: 'hc', input: { subset: 200, epochs: 2, lr: 0.03 }, broken: true },
];
/** Lab 5 itself: the solution (broken = the starter, whose TODOs run as the reference). */
const LAB_SCENARIOS: Scenario[] = [
  { name: 'lab5-dark-done', theme: 'dark', input: {} },
  { name: 'lab5-light-cancelled-tables', theme: 'light', input: { subset: 2000, epochs: 3 }, cancelAfter: 6, showTables: true },
  { name: 'lab5-hc-starter', theme: 'hc', input: { subset: 128, seqLen: 32 }, broken: true },
];

function arg(name: string, dflt: string): string {
  const a = process.argv.slice(2);
  return a.includes(name) ? a[a.indexOf(name) + 1] : dflt;
}

async function send(page: Page, m: HostToTrainingMessage): Promise<void> {
  await page.evaluate((msg) => window.postMessage(msg, '*'), m).catch(() => undefined);
}

async function run(): Promise<void> {
  const paths = findBuildPaths(__dirname);
  const out = resolve(arg('--out', join(paths.packageRoot, '.cache', 'training')));
  const lab = arg('--lab', 'fixture');
  mkdirSync(out, { recursive: true });
  await esbuild.build({ entryPoints: [join(paths.packageRoot, 'webviews', 'training', 'main.ts')], outfile: join(out, 'training.js'), bundle: true, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'warning' });
  cpSync(join(paths.packageRoot, 'webviews', 'training', 'training.css'), join(out, 'training.css'));
  cpSync(join(paths.packageRoot, 'webviews', 'shared', 'panel.css'), join(out, 'panel.css'));

  const labsDist = lab === 'fixture' ? join(paths.buildRoot, 'test', 'fixtures', 'labs') : paths.labsDist;
  const labId = lab === 'fixture' ? 'fixture-lab' : lab;
  const files = (broken: boolean): SourceFile[] => {
    if (lab === 'fixture') return [{ path: 'work.ts', text: broken ? FIXTURE_WORK.replace('const m = [[0, 0], [0, 0]];', 'throw new Error("confusion is not written yet");') : FIXTURE_WORK }];
    const manifest = JSON.parse(readFileSync(join(paths.labsRoot, lab, 'lab.json'), 'utf8')) as { files: { path: string; solution: string; starter: string }[] };
    return manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(paths.labsRoot, lab, broken ? f.starter : f.solution), 'utf8') }));
  };
  const sidecar = new SidecarClient({ nodePath: process.execPath, sidecarScript: paths.sidecarScript, labsDist, backend: 'wasm' });
  await sidecar.start();
  const browser = await launchPreviewBrowser();
  try {
    for (const s of lab === 'fixture' ? FIXTURE_SCENARIOS : LAB_SCENARIOS) {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() !== 'log' && problems.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      let progressMessages = 0;
      const controller = new TrainingController({
        source: {
          run: (input, onProgress, signal) => sidecar.runTask({ labId, files: files(!!s.broken), task: TRAINING_TASK, input, limits: { timeoutMs: 600_000, memoryMb: 512 } }, onProgress, signal),
          labTitle: () => (lab === 'fixture' ? 'Fixture lab' : lab),
        },
        post: (m) => {
          if (m.type === 'progress') progressMessages++;
          void send(page, m);
        },
      });
      await page.exposeFunction('__toHost', (m: TrainingToHostMessage) => {
        if (m.type === 'ready') controller.onReady();
        else if (m.type === 'start') {
          const refused = controller.onStart(m.body);
          if (refused) problems.push(`start refused: ${refused}`);
        } else if (m.type === 'cancel') controller.cancel();
        else console.log(`  panel asked to reveal ${m.body.name}()`);
      });
      const file = join(out, `harness-${s.theme}.html`);
      writeFileSync(file, previewHtml(s.theme, 'preview' + s.theme, { scriptUri: 'training.js', styleUri: 'training.css', extraStyleUris: ['panel.css'], title: `Fine-tuning (${s.theme})` }));
      await page.goto(pathToFileURL(file).href);
      await page.waitForTimeout(300);
      // Set the inputs through the page's own fields, as the learner would.
      for (const [label, value] of Object.entries(s.input)) {
        const field = page.locator(`vscode-text-field[aria-label="${{ subset: 'Training messages', seqLen: 'Tokens per message', epochs: 'Epochs', lr: 'Peak learning rate', seed: 'Seed' }[label]}"] input`);
        await field.fill(String(value));
      }
      if (s.showTables) await page.locator('vscode-button', { hasText: 'Show tables' }).click();
      await page.locator('vscode-button', { hasText: 'Start fine-tuning' }).click();
      const t0 = Date.now();
      while (progressMessages < 3 && Date.now() - t0 < 60_000) await page.waitForTimeout(100);
      await page.screenshot({ path: join(out, `${s.name}-running.png`), fullPage: true });
      if (s.cancelAfter !== undefined) {
        while (progressMessages < s.cancelAfter) await page.waitForTimeout(100);
        await page.locator('vscode-button', { hasText: 'Cancel' }).click();
      }
      await controller.idle();
      await page.waitForTimeout(500);
      const second = page.locator('.mis-item').nth(1);
      if (await second.count()) {
        await page.locator('.mis-item').first().focus();
        await page.keyboard.press('ArrowDown');
      }
      await page.screenshot({ path: join(out, `${s.name}.png`), fullPage: true });
      const seen = await page.evaluate(() => ({
        note: document.querySelector('.phase-note')?.textContent,
        live: document.querySelector('.live-line')?.textContent,
        charts: document.querySelectorAll('.chart-figure').length,
        misclassified: document.querySelectorAll('.mis-item').length,
        errors: [...document.querySelectorAll('.part-error')].map((e: any) => e.textContent),
        focused: document.activeElement?.textContent?.slice(0, 60),
      }));
      console.log(`${s.name}: ${progressMessages} progress messages\n  ${JSON.stringify(seen)}${problems.length ? `\n  PROBLEMS:\n  ${problems.join('\n  ')}` : ''}`);
      controller.dispose();
      await page.close();
    }
  } finally {
    await Promise.all([browser.close(), sidecar.dispose()]);
  }
}

runPreview(run);
