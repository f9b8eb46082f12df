// Runs the integration suite (test/integration/suite, the @vscode/test-electron runner shape)
// inside code-server's real extension host, here, without downloading VS Code: code-server
// takes extensionDevelopmentPath and extensionTestsPath from the `payload` URL parameter,
// and the workbench reports the outcome through window.codeAutomationExit.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../e2e/browser';
import { startCodeServer } from '../e2e/codeServer';
import { repoRoot } from '../support/repoRoot';
import type { IntegrationResult } from './suite/index';

const TIMEOUT_MS = 300_000;

async function main(): Promise<number> {
  const root = repoRoot(__dirname);
  if (!existsSync(join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build first');
  const workspace = mkdtempSync(join(tmpdir(), 'tl-integration-ws-'));
  const result = join(mkdtempSync(join(tmpdir(), 'tl-integration-')), 'result.json');
  const started = Date.now();
  const server = await startCodeServer({
    workspace,
    env: { TL_INTEGRATION_RESULT: result },
    settings: { 'security.workspace.trust.enabled': false },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(join(__dirname, 'suite', 'index'))],
    ];
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const code = await Promise.race([exit, new Promise<number>((r) => setTimeout(() => r(-1), TIMEOUT_MS))]);
    const summary: IntegrationResult | undefined = existsSync(result) ? JSON.parse(readFileSync(result, 'utf8')) : undefined;
    for (const f of summary?.failures ?? []) console.log(`  ✗ ${f.title}\n      ${f.message}`);
    console.log(`integration suite ran in code-server in ${Math.round((Date.now() - started) / 1000)} s`);
    console.log(`integration: ${summary?.passed ?? 0} passed, ${summary?.failed ?? 0} failed`);
    if (code === -1) console.log(`the extension host did not report within ${TIMEOUT_MS / 1000} s`);
    if (!summary) console.log(server.log.join('').split('\n').filter((l) => /error/i.test(l) && !/open-vsx|ENOTFOUND/.test(l)).slice(-20).join('\n'));
    return code === 0 && summary && summary.failed === 0 && summary.passed > 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  },
);
