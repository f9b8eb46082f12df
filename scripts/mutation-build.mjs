// Stryker's build command for folders whose tests need the learner's type declarations
// (out/types: scaffolding type-checks a new lab folder against them). Stryker runs the command
// without a shell, so the two steps are chained here.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-learner-types.mjs', 'out/types'], { stdio: 'inherit' });
