// Runs the integration suite in a downloaded VS Code (needs internet; CI runs it under xvfb).
// The workspace is a fresh empty folder, so Open Lab scaffolds into it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/repoRoot';

async function main(): Promise<void> {
  const extensionDevelopmentPath = repoRoot(__dirname);
  const extensionTestsPath = join(__dirname, 'suite', 'index');
  const workspace = mkdtempSync(join(tmpdir(), 'tl-integration-ws-'));
  try {
    const code = await runTests({
      // The oldest VS Code the extension supports (engines.vscode); override to try others.
      version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
      extensionDevelopmentPath,
      extensionTestsPath,
      // The runner keeps its profile in .vscode-test/user-data (CI uploads its logs on failure).
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
    process.exitCode = code;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
