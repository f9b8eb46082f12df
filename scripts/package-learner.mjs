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
import ts from 'typescript';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { sharedTfjs } from './shared-tfjs-plugin.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, '.cache', 'learner-vsix');
const out = resolve(root, process.argv[2] ?? 'transformer-labs.vsix');
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Removes `'<hidden id>': …` properties from every object literal of a lab source file. */
function withoutHidden(file, hiddenIds) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const removed = [];
  const strip = (ctx) => (node) => {
    const visit = (n) => {
      if (ts.isObjectLiteralExpression(n)) {
        const kept = n.properties.filter((p) => {
          const name = p.name && (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) ? p.name.text : undefined;
          if (name !== undefined && hiddenIds.has(name)) {
            removed.push(name);
            return false;
          }
          return true;
        });
        const updated = ctx.factory.updateObjectLiteralExpression(n, kept);
        return ts.visitEachChild(updated, visit, ctx);
      }
      return ts.visitEachChild(n, visit, ctx);
    };
    return ts.visitNode(node, visit);
  };
  const result = ts.transform(source, [strip]);
  const text = ts.createPrinter().printFile(result.transformed[0]);
  result.dispose();
  return { text, removed };
}

function stripPlugin(labDir, hiddenIds, removed) {
  return {
    name: 'strip-hidden-checks',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (a) => {
        if (!a.path.startsWith(labDir + '/')) return undefined;
        const r = withoutHidden(a.path, hiddenIds);
        removed.push(...r.removed);
        return { contents: r.text, loader: 'ts', resolveDir: dirname(a.path) };
      });
    },
  };
}

function textFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files.push(...textFiles(p));
    else if (/\.(js|json|md|ts|css|html|txt)$/.test(name)) files.push(p);
  }
  return files;
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
  const secrets = [];
  for (const id of readdirSync(join(root, 'labs'))) {
    const manifestFile = join(root, 'labs', id, 'lab.json');
    if (!existsSync(manifestFile) || !existsSync(join(root, 'labs', id, 'checks.ts'))) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const hidden = manifest.checks.filter((c) => c.hidden);
    const hiddenIds = new Set(hidden.map((c) => c.id));
    const learnerManifest = {
      ...manifest,
      checks: manifest.checks.filter((c) => !c.hidden),
      // Points that count in the score: a bonus exercise's hidden check adds to the bonus, not to it.
      instructorChecks: { count: hidden.length, points: hidden.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0) },
    };
    writeFileSync(join(stage, 'labs', id, 'lab.json'), JSON.stringify(learnerManifest, null, 2) + '\n');
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
    // An id is found as a whole word: "mha-causal" is hidden, "mha-causal-mask" visible.
    const word = (t) => new RegExp(`(?<![a-z0-9-])${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9-])`);
    for (const c of hidden) {
      secrets.push({ what: `hidden check id "${c.id}"`, pattern: word(c.id) }, { what: `the hint of hidden check "${c.id}"`, pattern: new RegExp(c.hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
    }
  }
  const leaks = [];
  for (const f of textFiles(stage)) {
    const text = readFileSync(f, 'utf8');
    for (const s of secrets) if (s.pattern.test(text)) leaks.push(`${relative(stage, f)} holds ${s.what}`);
  }
  if (leaks.length > 0) throw new Error(`the learner build still holds hidden checks:\n  ${leaks.join('\n  ')}`);
  execFileSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: stage, stdio: 'inherit' });
  console.log(`learner build: ${secrets.length / 2} hidden checks left out; ${out}`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
