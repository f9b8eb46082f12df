// Writes <outDir>/sidecar/tfjs-extras.js: tfjs-core's ES-module gradients and chained tensor
// methods as one CommonJS file, for tsc's out/ (see sidecar/backend/tfjsExtras.ts for why).
// Usage: node scripts/build-tfjs-extras.mjs <outDir>
import * as esbuild from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'out'));
const entries = [
  '@tensorflow/tfjs-core/dist/register_all_gradients.js',
  '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js',
];
await esbuild.build({
  stdin: { contents: entries.map((e) => `require(${JSON.stringify(e)});`).join('\n'), resolveDir: root },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: join(out, 'sidecar', 'tfjs-extras.js'),
  logLevel: 'warning',
});
