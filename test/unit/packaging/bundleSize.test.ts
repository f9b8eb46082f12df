// The extension bundle is loaded on activation, so its size is activation cost (issue 18: it was
// 609 KB minified, 454 KB of it zod). Rebuilt here from the sources with the production options
// of scripts/bundle.mjs, so the test never reads a stale dist/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../../support/repoRoot';

describe('extension bundle size', function () {
  this.timeout(60_000);

  it('stays small: zod/mini with only the English messages, no full zod, no other locales', async () => {
    const r = await esbuild.build({
      entryPoints: [join(repoRoot(), 'src', 'extension.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'esbuild'],
    });
    const out = Object.values(r.metafile.outputs)[0];
    const inputs = Object.entries(out.inputs);
    const bytes = (match: (path: string) => boolean) => inputs.filter(([p]) => match(p)).reduce((n, [, v]) => n + v.bytesInOutput, 0);
    const zod = bytes((p) => p.includes('node_modules/zod/'));
    const locales = inputs.filter(([p, v]) => /zod\/v4\/locales\//.test(p) && v.bytesInOutput > 0).map(([p]) => p.split('/').pop());
    assert.deepEqual(locales, ['en.js'], 'only the English locale is bundled');
    assert.ok(zod < 60_000, `zod is ${zod} bytes of the bundle (the full API was 454,039)`);
    assert.ok(out.bytes < 300_000, `the bundle is ${out.bytes} bytes (it was 609,432)`);
  });
});
