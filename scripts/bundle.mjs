// Bundles everything the .vsix ships into dist/, with the same relative layout as tsc's out/.
// The .vsix carries no node_modules, so each entry is self-contained — except TensorFlow.js,
// which must be ONE instance per thread (the backend registers into it), so every bundle
// that imports it reaches the single dist/sidecar/tfjs.js at run time.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { sharedTfjs } from './shared-tfjs-plugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const production = process.argv.includes('--production');

const tfRuntime = join(dist, 'sidecar', 'tfjs.js');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Native tfjs is installed at run time by "Set Up GPU Compute" and loaded with createRequire.
  // esbuild: only reached from tsc's out/ (sidecar/backend/tfjsExtras.ts); the bundle has gradients.
  // webgpu (Dawn's dawn.node) likewise: installed by Set Up GPU Compute, found with createRequire.
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'esbuild'],
};

async function node(entry, out, { shareTf = true } = {}) {
  const outfile = join(dist, out);
  await esbuild.build({
    ...common,
    entryPoints: [join(root, entry)],
    outfile,
    plugins: shareTf ? [sharedTfjs(outfile, tfRuntime)] : [],
  });
}

async function main() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const jobs = [
    node('scripts/tfjs-runtime.js', 'sidecar/tfjs.js', { shareTf: false }),
    node('src/extension.ts', 'extension.js'),
    node('cli/main.ts', 'cli.js'),
    node('sidecar/main.ts', 'sidecar/main.js'),
    node('sidecar/runner/worker.ts', 'sidecar/runner/worker.js'),
    node('sidecar/gpuProbe.ts', 'sidecar/gpuProbe.js'),
  ];
  for (const lab of readdirSync(join(root, 'labs'))) {
    if (existsSync(join(root, 'labs', lab, 'checks.ts'))) {
      jobs.push(node(`labs/${lab}/checks.ts`, `labs/${lab}/checks.js`));
    }
  }
  const webviews = join(root, 'webviews');
  for (const view of readdirSync(webviews)) {
    // Stylesheets of every folder (webviews/shared/panel.css too) go beside the bundles.
    if (existsSync(join(webviews, view)) && !view.includes('.')) {
      mkdirSync(join(dist, 'webviews'), { recursive: true });
      for (const f of readdirSync(join(webviews, view))) {
        if (f.endsWith('.css')) cpSync(join(webviews, view, f), join(dist, 'webviews', f));
      }
    }
    const entry = join(webviews, view, 'main.ts');
    if (!existsSync(entry)) continue;
    jobs.push(
      esbuild.build({
        entryPoints: [entry],
        outfile: join(dist, 'webviews', `${view}.js`),
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        sourcemap: production ? false : 'linked',
        minify: production,
        logLevel: 'warning',
      }),
    );
  }
  await Promise.all(jobs);
  const wasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  mkdirSync(join(dist, 'wasm'), { recursive: true });
  for (const f of readdirSync(wasmDir)) {
    if (f.endsWith('.wasm')) cpSync(join(wasmDir, f), join(dist, 'wasm', f));
  }
  execFileSync(process.execPath, [join(root, 'scripts', 'build-learner-types.mjs'), join(dist, 'types')], { stdio: 'inherit' });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
