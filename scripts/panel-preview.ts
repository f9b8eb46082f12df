// Dev tool: renders the attention panel outside VS Code, in headless Chromium, with the
// real sidecar computing Lab 1 and the real host-side controller answering the page, and
// saves screenshots. The page gets VS Code-like theme variables and a stand-in for
// acquireVsCodeApi that forwards messages to this process.
//
//   node <outDir>/scripts/panel-preview.js [--out .cache/panel] [--theme dark|light|hc]...
//
// Needs /usr/bin/chromium (apt-get install -y chromium). Not a test: it prints what it sees.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { findBuildPaths } from '../core/compute/paths';
import { SidecarClient } from '../core/compute/sidecarClient';
import type { HostToLabViewMessage, LabViewToHostMessage } from '../core/protocol/labView';
import type { AttentionViewInput } from '../core/protocol/sidecar';
import { LabViewController } from '../src/panels/labViewController';
import { checkAttentionData, parseAttentionInput } from '../src/panels/panelMessages';
import { launchPreviewBrowser, PreviewTheme, previewHtml, runPreview } from './previewHarness';

// The page callbacks run in Chromium; the root tsconfig has no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
type HTMLElement = any;

type Theme = PreviewTheme;

interface Scenario {
  name: string;
  theme: Theme;
  /** The learner file: Lab 1's starter, its solution, or the solution without the 1/√d scale. */
  code: 'starter' | 'solution' | 'unscaled' | 'broken';
  request?: { type: 'request'; body: AttentionViewInput & Required<Pick<AttentionViewInput, 'mask' | 'heads'>> };
  /** Clicks after the first picture, e.g. the Difference view. */
  clicks?: string[];
  /** Keys typed at the end of the sentence field, as the learner would. */
  type?: string;
  /** Also photograph the page after a `busy` message: the old picture must stay. */
  busyShot?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'dark-solution-causal', theme: 'dark', code: 'solution', request: { type: 'request', body: { sentence: 'The cat sat on the mat because it was tired', mask: 'causal', heads: 1, padTokens: 2 } }, busyShot: true },
  { name: 'light-unscaled-difference', theme: 'light', code: 'unscaled', clicks: ['vscode-radio[value="difference"]'] },
  { name: 'hc-starter-error', theme: 'hc', code: 'starter', type: ' today', clicks: ['.message vscode-button'] },
  { name: 'light-compile-error', theme: 'light', code: 'broken' },
  { name: 'dark-model-layer-2', theme: 'dark', code: 'solution', request: { type: 'request', body: { sentence: 'Call me Ishmael. Some years ago', mask: 'causal', heads: 1, padTokens: 2, source: 'model', layer: 2 } } },
  { name: 'dark-4-heads-table', theme: 'dark', code: 'solution', request: { type: 'request', body: { sentence: 'I saw her duck', mask: 'padding', heads: 4, padTokens: 2 } }, clicks: ['vscode-button:has-text("Show tables")'] },
];

function args(): { out: string; themes?: Theme[] } {
  const a = process.argv.slice(2);
  const out = a.includes('--out') ? a[a.indexOf('--out') + 1] : join(findBuildPaths(__dirname).packageRoot, '.cache', 'panel');
  const themes = a.flatMap((v, i) => (a[i - 1] === '--theme' ? [v as Theme] : []));
  return { out: resolve(out), themes: themes.length ? themes : undefined };
}

function learnerCode(root: string, code: Scenario['code']): string {
  const lab = join(root, 'labs', '01-attention');
  if (code === 'starter') return readFileSync(join(lab, 'starter', 'attention.ts'), 'utf8');
  if (code === 'broken') return readFileSync(join(lab, 'starter', 'attention.ts'), 'utf8') + '\nexport function broken( {\n';
  const solution = readFileSync(join(lab, 'solution', 'attention.ts'), 'utf8');
  if (code === 'solution') return solution;
  const unscaled = solution.replace('tf.div(tf.matMul(q, k, false, true), Math.sqrt(d))', 'tf.matMul(q, k, false, true)');
  if (unscaled === solution) throw new Error('the solution no longer has the line the "unscaled" scenario edits');
  return unscaled;
}

function harnessHtml(theme: Theme, nonce: string): string {
  return previewHtml(theme, nonce, { scriptUri: 'attention.js', styleUri: 'attention.css', extraStyleUris: ['panel.css'], title: `Attention (${theme})` });
}

async function settle(page: Page, controller: LabViewController): Promise<void> {
  await page.waitForTimeout(400); // the panel's own 300 ms typing debounce, and the host's
  await controller.idle();
  await page.waitForTimeout(200);
}

async function run(): Promise<void> {
  const { out, themes } = args();
  const paths = findBuildPaths(__dirname);
  mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: [join(paths.packageRoot, 'webviews', 'attention', 'main.ts')],
    outfile: join(out, 'attention.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: process.env.TL_PREVIEW_MINIFY === '1',
    logLevel: 'warning',
  });
  cpSync(join(paths.packageRoot, 'webviews', 'attention', 'attention.css'), join(out, 'attention.css'));
  // The shared page runtime's styles (toolbar, busy ring, error notes), as LabViewPanel links them.
  cpSync(join(paths.packageRoot, 'webviews', 'shared', 'panel.css'), join(out, 'panel.css'));

  const sidecar = new SidecarClient({ nodePath: process.execPath, sidecarScript: paths.sidecarScript, labsDist: paths.labsDist, backend: 'wasm' });
  await sidecar.start();
  const browser = await launchPreviewBrowser();
  try {
    for (const s of SCENARIOS.filter((x) => !themes || themes.includes(x.theme))) {
      const text = learnerCode(paths.packageRoot, s.code);
      const page = await browser.newPage({ viewport: { width: 760, height: 980 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() !== 'log' && problems.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      const controller = new LabViewController({
        view: 'attention',
        busyReason: 'Running your attention function…',
        validate: checkAttentionData,
        parseInput: parseAttentionInput,
        source: {
          compute: (_view, input, signal) => sidecar.visualize({ labId: '01-attention', files: [{ path: 'attention.ts', text }], view: 'attention', input, limits: { timeoutMs: 10_000, memoryMb: 256 } }, signal),
          labTitle: () => 'Attention from scratch',
        },
        post: (m: HostToLabViewMessage) => void page.evaluate((msg) => window.postMessage(msg, '*'), m).catch(() => undefined),
      });
      await page.exposeFunction('__toHost', (m: LabViewToHostMessage) => {
        if (m.type === 'ready') controller.onReady();
        else if (m.type === 'request') {
          const refused = controller.onRequest(m.body);
          if (refused) problems.push(`request refused: ${refused}`);
        } else console.log(`  panel asked to reveal ${m.body.name}()`);
      });
      const file = join(out, `harness-${s.theme}.html`);
      writeFileSync(file, harnessHtml(s.theme, 'preview' + s.theme));
      await page.goto(pathToFileURL(file).href);
      if (s.request) {
        // Drive the inputs as the learner would, through the page's own controls.
        const b = s.request.body;
        if (b.source === 'model') {
          await page.locator('vscode-radio[value="model"]').click();
          await page.evaluate((layer) => {
            const d = document.querySelector('#layer') as HTMLElement & { value: string };
            d.value = String(layer);
            d.dispatchEvent(new Event('change'));
          }, b.layer ?? 1);
        }
        await page.locator(`vscode-radio[value="${b.mask}"]`).click();
        await page.evaluate((sentence) => {
          const f = document.querySelector('vscode-text-field.sentence') as HTMLElement & { value: string };
          f.value = sentence;
          f.dispatchEvent(new Event('change'));
        }, b.sentence);
        await page.evaluate((heads) => {
          const d = document.querySelector('#heads') as HTMLElement & { value: string };
          d.value = String(heads);
          d.dispatchEvent(new Event('change'));
        }, b.heads);
      }
      await settle(page, controller);
      if (s.type) {
        await page.locator('vscode-text-field.sentence input').click();
        await page.keyboard.press('End');
        await page.keyboard.type(s.type, { delay: 30 });
        await settle(page, controller);
      }
      for (const c of s.clicks ?? []) {
        await page.locator(c).first().click();
        await page.waitForTimeout(200);
      }
      // Keyboard: focus the first cell, move right and down, read what a screen reader hears.
      const first = page.locator('.cell[tabindex="0"]');
      if (await first.count()) {
        await first.focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowDown');
        console.log(`  focused: ${await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))}`);
      }
      const shot = join(out, `${s.name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      const summary = await page.evaluate(() => ({
        cells: document.querySelectorAll('.cell').length,
        message: document.querySelector('.message')?.textContent ?? '',
        summary: document.querySelector('.summary')?.textContent ?? '',
        caption: document.querySelector('caption')?.textContent ?? '',
        // The ticked radios (source, mask, view): "Yours" must not be ticked while the reference stands in.
        checked: [...document.querySelectorAll('vscode-radio')].filter((r: any) => r.checked).map((r: any) => r.value).join(' '),
      }));
      console.log(`${s.name}: ${shot}\n  ${JSON.stringify(summary)}${problems.length ? `\n  PROBLEMS:\n  ${problems.join('\n  ')}` : ''}`);
      if (s.busyShot) {
        const busy: HostToLabViewMessage = { type: 'busy', body: { reason: 'Running your attention function…' } };
        await page.evaluate((msg) => window.postMessage(msg, '*'), busy);
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(out, `${s.name}-busy.png`), clip: { x: 0, y: 0, width: 760, height: 420 } });
        console.log(`  busy: ${await page.locator('.busy-box').isVisible()}, cells kept: ${await page.locator('.cell').count()}`);
      }
      controller.dispose();
      await page.close();
    }
  } finally {
    await browser.close();
    await sidecar.dispose();
  }
}

runPreview(run);
