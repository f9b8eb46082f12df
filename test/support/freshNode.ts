// Runs code in a new Node process and returns the JSON value it reports: for what changes a
// process for good (hardenRealm freezes the realm's built-ins; Dawn and tfjs register once).
// Under mutation testing (scripts/mutation.mjs) the child runs the same instrumented modules:
// it inherits the active mutant through the environment (scripts/mutation-child-mutant.cjs), and
// the coverage it records is added to the current test's here, so Stryker runs this test against
// the mutants of the modules the child loaded instead of calling them "no coverage".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

type Counts = Record<string, number>;
interface StrykerContext {
  currentTestId?: string;
  mutantCoverage?: { static: Counts; perTest: Record<string, Counts> };
}

const MARK = '\u0000fresh-node-result\u0000';

/**
 * `code` is the body of an async function with `report(value)` in scope; a CommonJS `require`
 * resolves from `cwd`. Fails the test, with the child's stderr, if it exits other than 0.
 */
export function inFreshNode(code: string, cwd: string): unknown {
  const script = `
const report = (value) => {
  const coverage = globalThis.__stryker__ && globalThis.__stryker__.mutantCoverage;
  process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ value, coverage: coverage ? coverage.static : undefined }) + '\\n');
};
(async () => { ${code} })().catch((e) => { console.error(e && e.stack || e); process.exitCode = 1; });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `the fresh process failed: ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith(MARK));
  assert.ok(line, `the fresh process reported nothing; it printed: ${r.stdout}`);
  const { value, coverage } = JSON.parse(line.slice(MARK.length)) as { value: unknown; coverage?: Counts };
  addCoverage(coverage);
  return value;
}

function addCoverage(child: Counts | undefined): void {
  const ns = (globalThis as { __stryker__?: StrykerContext }).__stryker__;
  if (!child || !ns?.mutantCoverage) return;
  const into = ns.currentTestId === undefined ? ns.mutantCoverage.static : (ns.mutantCoverage.perTest[ns.currentTestId] ??= {});
  for (const [id, n] of Object.entries(child)) into[id] = (into[id] ?? 0) + n;
}
