// The checks' assertions are async (core/checks/expect.ts reads tensors with `await
// tensor.array()`): one without `await` passes whatever the learner returned. This holds every
// lab's checks, views and their tests to awaiting them, and shows the finder catches each form.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';
import { floatingPromises } from '../../support/floatingPromises';
import { repoRoot } from '../../support/repoRoot';

const ROOT = repoRoot();

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options, noEmit: true };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [join(dir, d.name)] : [],
  );
}

/** Trusted code that reads tensors for a verdict: lab modules, the check helpers, the references, their tests. */
const CHECK_CODE = [/^labs\/[^/]+\/(?!solution\/|starter\/)/, /^core\/checks\//, /^sidecar\/reference\//, /^test\/unit\/lab0\d\//, /^test\/unit\/checks\//, /^test\/fixtures\/labs\//];
/** The fixture of a lab written before the assertions were async: it must stay un-awaited (test/unit/sidecar/unawaitedCheck.test.ts). */
const LEGACY = 'test/fixtures/labs/fixture-lab/unawaited.ts';
/** What keeps assertions' promises on purpose: the tracking that settles the un-awaited ones. */
const TRACKING = 'core/checks/assertionTracking.ts';
const isCheckCode = (file: string) => {
  const rel = relative(ROOT, file).split(sep).join('/');
  return rel !== LEGACY && rel !== TRACKING && CHECK_CODE.some((r) => r.test(rel));
};

describe('checks await their assertions', function () {
  this.timeout(120_000);

  it('the finder names each way of dropping a promise, and none of the awaited forms', () => {
    const planted = join(ROOT, 'core', 'checks', '__planted.ts');
    const text = [
      "import { expectAllClose, expectFinite, expectShape, toNested } from './expect';", // 1
      'declare function use(x: unknown): void;', // 2
      'export async function check(x: number[], xs: number[][], cond: boolean): Promise<unknown> {', // 3
      "  expectShape(x, [1], 'x');", // 4: a statement of its own
      "  xs.forEach((r) => expectFinite(r, 'r'));", // 5: into forEach
      "  xs.forEach(async (r) => { await expectFinite(r, 'r'); });", // 6: an async callback into forEach
      "  cond && expectAllClose(x, x, 'x');", // 7: behind &&
      "  xs.map((r) => expectFinite(r, 'r'));", // 8: an array of promises dropped
      "  const kept = toNested(x, 'x');", // 9: kept in a variable
      "  use(toNested(x, 'x') as unknown);", // 10: read as a value
      "  use(cond ? await toNested(x, 'x') : toNested(xs, 'xs'));", // 11: one branch not awaited
      "  (JSON.parse('[1]') as any).forEach(async (r: number) => { await expectFinite(r, 'r'); });", // 12: forEach on any
      "  await expectShape(x, [1], 'x');", // awaited
      "  await Promise.all(xs.map((r) => expectFinite(r, 'r')));",
      "  await Promise.all([expectFinite(x, 'x'), expectFinite(xs, 'xs')]);",
      "  use((await toNested(x, 'x')) as unknown);",
      "  const known = [{ value: () => toNested(x, 'x') }];",
      "  const started = toNested(xs, 'xs');",
      "  use([kept, known, await started]);",
      "  use(await toNested(x, 'x').finally(() => undefined));",
      "  if (cond) return cond ? expectShape(x, [1], 'x') : toNested(x, 'x');",
      "  return expectShape(x, [1], 'x');",
      '}',
    ].join('\n');
    const options = compilerOptions();
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, ...rest) =>
      name === planted ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === planted || fileExists(name);
    const program = ts.createProgram([planted], options, host);
    const found = floatingPromises(program, (f) => f === planted);
    assert.deepEqual(found.map((f) => f.line), [4, 5, 6, 7, 8, 9, 10, 11, 12], JSON.stringify(found, null, 1));
  });

  it('no lab check, view, reference or lab test leaves an assertion un-awaited', () => {
    const roots = [
      ...readdirSync(join(ROOT, 'labs')).flatMap((lab) => walk(join(ROOT, 'labs', lab))),
      ...walk(join(ROOT, 'core', 'checks')),
      ...walk(join(ROOT, 'sidecar', 'reference')),
      ...walk(join(ROOT, 'test', 'unit')).filter(isCheckCode),
      ...walk(join(ROOT, 'test', 'fixtures', 'labs')),
    ].filter(isCheckCode);
    assert.ok(roots.length > 40, `read ${roots.length} files`);
    const program = ts.createProgram(roots, compilerOptions());
    const found = floatingPromises(program, isCheckCode);
    assert.deepEqual(found.map((f) => `${relative(ROOT, f.file)}:${f.line}: ${f.text}`), []);
  });
});
