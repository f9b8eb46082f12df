// The extension-host test runner (@vscode/test-electron's shape): VS Code, or code-server via
// its `extensionTestsPath` payload, loads this file inside the extension host and awaits run().
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface IntegrationResult {
  passed: number;
  failed: number;
  failures: { title: string; message: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000 });
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    const result: IntegrationResult = { passed: 0, failed: 0, failures: [] };
    const runner = mocha.run((failures) => {
      // A runner outside VS Code's own CLI (code-server in a browser) reads the outcome here.
      const out = process.env.TL_INTEGRATION_RESULT;
      if (out) writeFileSync(out, JSON.stringify(result, null, 2));
      if (failures > 0) reject(new Error(`${failures} of ${result.passed + result.failed} integration tests failed`));
      else if (files.length === 0) reject(new Error(`no *.test.js files in ${__dirname}`));
      else resolve();
    });
    runner.on('pass', () => result.passed++);
    runner.on('fail', (test, err: Error) => {
      result.failed++;
      result.failures.push({ title: test.fullTitle(), message: err.message });
    });
  });
}
