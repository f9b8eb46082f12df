// The .vsix that `npm run package` builds (npm test builds it first) ships what a learner
// needs and nothing an instructor must keep: no sources, no tests, no reference solutions.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { zipEntries } from '../../support/zipEntries';

describe('packaged .vsix', function () {
  const root = repoRoot();
  const vsix = join(root, 'transformer-labs.vsix');
  let names: string[] = [];

  before(function () {
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" first (npm test does)`);
    names = zipEntries(vsix).map((e) => e.name.replace(/^extension\//, ''));
  });

  it('carries the bundled extension, sidecar, worker, CLI, wasm binaries and webviews', function () {
    for (const f of [
      'package.json',
      'package.nls.json',
      'l10n/bundle.l10n.json',
      'dist/extension.js',
      'dist/cli.js',
      'dist/sidecar/main.js',
      'dist/sidecar/runner/worker.js',
      'dist/sidecar/tfjs.js',
      'dist/wasm/tfjs-backend-wasm-simd.wasm',
      'dist/wasm/tfjs-backend-wasm.wasm',
      'dist/webviews/attention.js',
      'dist/webviews/training.js',
      'dist/webviews/training.css',
    ]) {
      assert.ok(names.includes(f), `${f} is not in the .vsix`);
    }
  });

  it('carries every lab: manifest, instructions, starter files and compiled checks', function () {
    const labs = readdirSync(join(root, 'labs')).filter((d) => existsSync(join(root, 'labs', d, 'lab.json')));
    assert.ok(labs.length >= 1, 'no labs found in the source tree');
    for (const lab of labs) {
      assert.ok(names.includes(`labs/${lab}/lab.json`), `labs/${lab}/lab.json missing`);
      assert.ok(names.some((n) => n.startsWith(`labs/${lab}/starter/`)), `labs/${lab}/starter/ missing`);
      assert.ok(names.includes(`dist/labs/${lab}/checks.js`), `dist/labs/${lab}/checks.js missing`);
    }
  });

  it('carries the shipped models and data with their cards (mini-GPT, Lab 5\'s encoder and mail split)', function () {
    for (const f of [
      'media/models/mini-gpt/model.json',
      'media/models/mini-gpt/weights.bin',
      'media/models/encoder/model.json',
      'media/models/encoder/weights.bin',
      'media/models/encoder/MODEL_CARD.md',
      'media/data/spam/meta.json',
      'media/data/spam/train.jsonl',
      'media/data/spam/validation.jsonl',
      'media/data/spam/test.jsonl',
      'media/data/spam/DATA_CARD.md',
    ]) {
      assert.ok(names.includes(f), `${f} is not in the .vsix`);
    }
  });

  it('leaves out sources, tests, reference solutions and source maps', function () {
    const leaked = names.filter(
      (n) =>
        /^(src|core|sidecar|cli|test|bench|scripts|webviews|out|node_modules)\//.test(n) ||
        /^labs\/[^/]+\/solution\//.test(n) ||
        /^labs\/[^/]+\/[^/]+\.ts$/.test(n) ||
        n.endsWith('.map'),
    );
    assert.deepEqual(leaked, []);
  });

  it('stays a reasonable download (under 25 MB)', function () {
    const size = statSync(vsix).size;
    assert.ok(size < 25 * 1024 * 1024, `.vsix is ${(size / 1048576).toFixed(1)} MB`);
  });
});
