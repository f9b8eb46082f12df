// Stryker's build command (stryker.config.json): tsc, then what `npm run compile` adds that the
// tests need. The learner's type declarations (out/types: scaffolding type-checks a new lab folder
// against them) — the sandbox's node_modules lacks what build-learner-types reads, so those built in
// the worktree (`npm run compile`) are copied in; and tfjs-core's extras (out/sidecar/tfjs-extras.js),
// without which the check process would bundle them at start-up with esbuild, whose worker thread
// the permission model refuses (every backend then fails to load). Stryker runs this without a
// shell, so the steps are chained here.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], { stdio: 'inherit' });
// The sandbox is <worktree>/.stryker-tmp/<folder>/sandbox-*.
const built = resolve('..', '..', '..', 'out', 'types');
if (!existsSync(built)) throw new Error(`${built} is missing: run npm run compile in the worktree first`);
cpSync(built, resolve('out', 'types'), { recursive: true });
execFileSync(process.execPath, [resolve('scripts', 'build-tfjs-extras.mjs'), 'out'], { stdio: 'inherit' });
