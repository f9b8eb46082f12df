// Mutation testing of the product code (issue 18): StrykerJS per folder, each with the unit tests
// that exercise it, then the score per folder. Heavy on two shared cores: run it under `nice`, with
// concurrency 1 (stryker.config.json). Usage: npm run test:mutation [-- [--no-check] <folder> ...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folder → the files mutated and the compiled unit tests that run against each mutant. */
const FOLDERS = {
  'core/grading': { mutate: ['core/grading/**/*.ts'], spec: ['out/test/unit/grading/gradeScoring.test.js'] },
  'core/checks': { mutate: ['core/checks/expect.ts', 'core/checks/assertionTracking.ts', 'core/checks/tensorMemory.ts', 'core/checks/expectTokens.ts', 'core/checks/engine.ts'], spec: ['out/test/unit/checks/**/*.test.js'] },
  'core/progress': { mutate: ['core/progress/**/*.ts'], spec: ['out/test/unit/progress/**/*.test.js'] },
  // A first pass within minutes: the manifest's rules and the loader. Left out: scaffold.ts and
  // hintsOpened.ts (their tests type-check whole lab folders: about an hour here), reuse.ts and
  // reusePlan.ts (their test checks the learner's Lab 1 through the built sidecar, which Stryker's
  // sandbox does not have) and validateLab.ts (tested through the CLI, cli/validate.test.ts).
  'core/labs': {
    mutate: ['core/labs/manifest.ts', 'core/labs/labLoader.ts', 'core/labs/schemaMessages.ts'],
    spec: ['out/test/unit/labs/**/*.test.js'],
  },
  // The whole CLI (cli/run.ts with grade-all and the Classroom result): its tests run it inside the
  // test process (test/support/cliInProcess.ts), so per-test coverage sees which tests reach a
  // mutant; cli/main.ts (three lines on the real process) is tested as a process (cliProcess.test).
  // The quick pass of the CLI: option handling, list, validate, new-lab, export-lab, hint, quiz,
  // profile and the exit codes (the lines of cli/run.ts outside new, grade and grade-all) against
  // the tests that grade nothing; minutes rather than hours.
  'cli (commands)': {
    mutate: ['cli/run.ts:77-168', 'cli/run.ts:238-408'],
    spec: ['cliOptions', 'cliCommands', 'validate'].map((t) => `out/test/unit/cli/${t}.test.js`),
  },
  // The rest of the CLI, in two parts: new and grade (cli/run.ts), and grade-all with the Classroom
  // result, against the tests that grade through real sidecars (tens of seconds per surviving mutant).
  'cli (new, grade)': {
    mutate: ['cli/run.ts:1-76', 'cli/run.ts:169-237'],
    spec: ['cliOptions', 'cliCommands', 'cli'].map((t) => `out/test/unit/cli/${t}.test.js`),
  },
  'cli (grade-all, classroom)': {
    mutate: ['cli/gradeAll.ts', 'cli/classroom.ts'],
    spec: ['classroom', 'cli'].map((t) => `out/test/unit/cli/${t}.test.js`).concat('out/test/unit/grading/gradeAll.test.js'),
  },
  cli: {
    mutate: ['cli/run.ts', 'cli/gradeAll.ts', 'cli/classroom.ts'],
    spec: ['cliOptions', 'cliCommands', 'cli', 'classroom', 'validate'].map((t) => `out/test/unit/cli/${t}.test.js`).concat('out/test/unit/grading/gradeAll.test.js'),
  },
  'sidecar/runner': { mutate: ['sidecar/runner/**/*.ts'], spec: ['out/test/unit/sidecar/**/*.test.js'] },
  // A first pass of the runner within minutes: the files the in-process tests reach (the contained
  // process's flags, what crosses from learner code, results' guard, the job queue, source maps and
  // transpiling, and learnerErrors, tested in process since 2026-12-03). The checks' realm has its own
  // folder below; the worker pool, the task runner and the worker are
  // tested through a started sidecar (client, tasks, backPressure), whose processes run every test.
  // taskJob's test failed in Stryker's sandbox until scripts/mutation-build.mjs built tfjs-core's
  // extras there (its check process had bundled them with esbuild, whose worker thread the
  // permission model refuses); it passes there now, so taskJob is in.
  'sidecar/runner (in-process)': {
    mutate: ['sidecar/runner/{containment,fromLearner,resultGuard,jobQueue,sourceMap,transpile,learnerErrors,taskJob}.ts'],
    spec: ['containment', 'checksFirst', 'fromLearner', 'resultGuard', 'jobQueue', 'sourceMap', 'transpile', 'learnerErrors', 'taskJob'].map((t) => `out/test/unit/sidecar/${t}.test.js`),
  },
  // The learner's realm and module loader in process (learnerRealm.test), and the hardening of the
  // checks' realm in fresh processes whose coverage is added to the test's (test/support/freshNode.ts).
  'sidecar/runner (realm)': {
    mutate: ['sidecar/runner/{sandbox,learnerRealm,hardenRealm}.ts'],
    spec: ['learnerRealm', 'hardenRealm'].map((t) => `out/test/unit/sidecar/${t}.test.js`),
  },
  'sidecar/backend': { mutate: ['sidecar/backend/**/*.ts'], spec: ['out/test/unit/sidecar/backend.test.js', 'out/test/unit/sidecar/wasmBatchMatMul.test.js', 'out/test/unit/sidecar/wasmFallback.test.js', 'out/test/unit/sidecar/utilPolyfill.test.js'] },
  // The parts of src/ that do not import vscode.
  'src (no vscode)': {
    mutate: ['src/checks/functionRanges.ts', 'src/checks/runScheduler.ts', 'src/checks/runTrace.ts', 'src/checks/summary.ts', 'src/checks/testingPlan.ts', 'src/compute/backendHover.ts', 'src/compute/gpuSetup.ts', 'src/compute/nodeRuntime.ts', 'src/labs/labFolders.ts', 'src/labs/instructionTabs.ts'],
    spec: ['out/test/unit/extension/**/*.test.js', 'out/test/unit/labs/multiRoot.test.js', 'out/test/unit/labs/instructionTabs.test.js'],
  },
};

// --no-check skips the TypeScript checker: several times faster on a loaded machine; a mutant that
// does not compile then fails its tests at run time (counted killed) instead of being discarded.
const noCheck = process.argv.includes('--no-check');
const asked = process.argv.slice(2).filter((a) => a !== '--no-check');
const names = asked.length ? asked : Object.keys(FOLDERS);
for (const n of names) if (!FOLDERS[n]) throw new Error(`unknown folder "${n}"; one of: ${Object.keys(FOLDERS).join(', ')}`);

const base = JSON.parse(readFileSync(join(root, 'stryker.config.json'), 'utf8'));
delete base._comment;
mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
const rows = [];
for (const name of names) {
  const slug = name.replace(/[^a-z]+/gi, '-');
  const { mutate, spec, ...overrides } = FOLDERS[name];
  const report = join('reports', 'mutation', `${slug}.json`);
  // MUTATION_CONCURRENCY=2 on an otherwise idle machine: test runners that mostly wait on sidecars.
  const concurrency = process.env.MUTATION_CONCURRENCY ? { concurrency: Number(process.env.MUTATION_CONCURRENCY) } : {};
  const config = { ...base, ...overrides, ...concurrency, ...(noCheck ? { checkers: [] } : {}), mutate, mochaOptions: { ...base.mochaOptions, spec }, jsonReporter: { fileName: report }, tempDirName: `.stryker-tmp/${slug}` };
  const file = join(root, 'reports', 'mutation', `${slug}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', file], { cwd: root, stdio: 'inherit' });
  const minutes = (Date.now() - started) / 60000;
  if (!existsSync(join(root, report))) {
    rows.push({ name, minutes, error: `stryker exited with ${r.status} and wrote no report` });
    continue;
  }
  const counts = {};
  for (const f of Object.values(JSON.parse(readFileSync(join(root, report), 'utf8')).files)) {
    for (const m of f.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  }
  // Stryker's own score: detected (killed, timed out) over valid (everything but compile errors and ignored).
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  rows.push({ name, minutes, counts, score: valid ? (100 * detected) / valid : NaN });
}

console.log('\nmutation score per folder');
for (const r of rows) {
  if (r.error) console.log(`  ${r.name.padEnd(18)} ${r.error} (${r.minutes.toFixed(1)} min)`);
  else {
    const c = r.counts;
    console.log(`  ${r.name.padEnd(18)} ${r.score.toFixed(1).padStart(5)} %  killed ${c.Killed ?? 0}, timeout ${c.Timeout ?? 0}, survived ${c.Survived ?? 0}, no coverage ${c.NoCoverage ?? 0}, ignored ${c.Ignored ?? 0}, compile errors ${c.CompileError ?? 0}  (${r.minutes.toFixed(1)} min)`);
  }
}
if (rows.some((r) => r.error)) process.exitCode = 1;
