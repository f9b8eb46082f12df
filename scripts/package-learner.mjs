// Builds the learner's .vsix without hidden checks: `npm run package` (after the full production
// bundle in dist/). Hidden checks would otherwise ship compiled in dist/labs/<id>/checks.js and
// listed in labs/<id>/lab.json, readable by any learner. The package is assembled in a staging
// folder from the files `vsce ls` lists, so dist/ (the tests' and the instructor's CLI's build)
// keeps every check:
//   - labs/<id>/lab.json loses its hidden checks (with their titles and hints) and says how many
//     checks and points the instructor's grading adds ("instructorChecks");
//   - dist/labs/<id>/checks.js is bundled again from sources whose hidden check functions are
//     removed (TypeScript's AST; esbuild then drops what only they used);
//   - every staged text file is searched for a hidden check's id and hint: the build fails on one.
// `npm run package:instructor` packages dist/ as it is, every check included.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { sharedTfjs } from './shared-tfjs-plugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The same stripping `transformer-labs export-lab` does for labs outside the build (npm run compile built it).
const { withoutHidden, learnerManifest, hiddenLeaks } = createRequire(import.meta.url)(join(root, 'out', 'core', 'labs', 'learnerCopy.js'));
const stage = join(root, '.cache', 'learner-vsix');
const out = resolve(root, process.argv[2] ?? 'transformer-labs.vsix');
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

function stripPlugin(labDir, hiddenIds, removed) {
  return {
    name: 'strip-hidden-checks',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (a) => {
        if (!a.path.startsWith(labDir + '/')) return undefined;
        const r = withoutHidden(a.path, readFileSync(a.path, 'utf8'), hiddenIds);
        removed.push(...r.removed);
        return { contents: r.text, loader: 'ts', resolveDir: dirname(a.path) };
      });
    },
  };
}

async function main() {
  rmSync(stage, { recursive: true, force: true });
  const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const f of listed) {
    mkdirSync(dirname(join(stage, f)), { recursive: true });
    cpSync(join(root, f), join(stage, f));
  }
  const allHidden = [];
  for (const id of readdirSync(join(root, 'labs'))) {
    const manifestFile = join(root, 'labs', id, 'lab.json');
    if (!existsSync(manifestFile) || !existsSync(join(root, 'labs', id, 'checks.ts'))) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const hidden = manifest.checks.filter((c) => c.hidden);
    const hiddenIds = new Set(hidden.map((c) => c.id));
    allHidden.push(...hidden);
    writeFileSync(join(stage, 'labs', id, 'lab.json'), JSON.stringify(learnerManifest(manifest), null, 2) + '\n');
    const outfile = join(stage, 'dist', 'labs', id, 'checks.js');
    const removed = [];
    await esbuild.build({
      entryPoints: [join(root, 'labs', id, 'checks.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      logLevel: 'warning',
      external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'esbuild'],
      plugins: [stripPlugin(join(root, 'labs', id), hiddenIds, removed), sharedTfjs(outfile, join(stage, 'dist', 'sidecar', 'tfjs.js'))],
    });
    const missed = [...hiddenIds].filter((h) => !removed.includes(h));
    if (missed.length > 0) throw new Error(`labs/${id}: hidden check(s) ${missed.join(', ')} are not a property "<id>": fn of an object literal in the lab's .ts files; the learner build cannot remove them`);
  }
  const leaks = hiddenLeaks(stage, allHidden);
  if (leaks.length > 0) throw new Error(`the learner build still holds hidden checks:\n  ${leaks.join('\n  ')}`);
  execFileSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: stage, stdio: 'inherit' });
  console.log(`learner build: ${allHidden.length} hidden checks left out; ${out}`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
