// Every panel's front end bundles for the browser (as scripts/bundle.mjs does), uses no Node
// API, and takes nothing from core/ but the protocol files' types.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot(__dirname);
const panels = readdirSync(join(root, 'webviews')).filter((d) => existsSync(join(root, 'webviews', d, 'main.ts')));

for (const panel of panels) {
  describe(`${panel} panel: browser bundle`, function () {
    this.timeout(60_000);
    let result: esbuild.BuildResult & { metafile: esbuild.Metafile; outputFiles: esbuild.OutputFile[] };

    before(async () => {
      result = await esbuild.build({
        entryPoints: [join(root, 'webviews', panel, 'main.ts')],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        write: false,
        metafile: true,
        logLevel: 'silent',
        outfile: join(root, 'dist', 'webviews', `${panel}.js`),
      });
    });

    it('builds without errors or warnings', () => {
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.warnings, []);
    });

    it('includes the toolkit only through webviews/shared/toolkit.ts', () => {
      const inputs = result.metafile.inputs;
      const importers = Object.entries(inputs)
        .filter(([k, v]) => !k.startsWith('node_modules/') && v.imports.some((i) => i.path.includes('@vscode/webview-ui-toolkit')))
        .map(([k]) => k);
      // A panel may do without the toolkit (the quiz panel uses native form controls), but never import it directly.
      assert.deepEqual(importers.filter((k) => k !== 'webviews/shared/toolkit.ts'), []);
    });

    it('takes no code from core/ and no Node built-ins', () => {
      const files = Object.keys(result.metafile.inputs);
      assert.deepEqual(files.filter((f) => f.startsWith('core/')), [], 'protocol imports are type-only');
      const text = result.outputFiles[0].text;
      assert.doesNotMatch(text, /\brequire\(["']node:|\bprocess\.versions\b|__dirname/);
    });
  });
}
