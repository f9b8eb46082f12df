// Every kind of broken learner code gets its own clear message, within the time limit plus
// half a second, through the real sidecar process and tfjs wasm.
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { CheckResult, RunChecksResult } from '../../../core/protocol/sidecar';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LAB = 'fixture-lab';
const LIMITS = { timeoutMs: 1500, memoryMb: 128 };
const GOOD = `
import * as tf from '@tensorflow/tfjs-core';
export function two(): number { return 2; }
export function matrix(): number[][] { return [[1, 2, 3], [4, 5, 6]]; }
export function values(): number[] { return [1, 2, 3]; }
export function sumTensor(t: tf.Tensor): tf.Tensor { return tf.sum(t); }
`;

describe('sidecar: broken learner code', function () {
  this.timeout(60_000);
  let client: SidecarClient;
  const logs: string[] = [];

  before(async function () {
    client = testSidecar({ labsDist: FIXTURE_LABS, log: (_level, message) => logs.push(message) });
    await client.start();
  });
  after(async () => client.dispose());

  async function run(text: string, checkIds = ['returns-two'], limits = LIMITS): Promise<{ r: RunChecksResult; ms: number }> {
    const t0 = Date.now();
    const r = await client.runChecks({ labId: LAB, files: [{ path: 'work.ts', text }], checkIds, limits });
    return { r, ms: Date.now() - t0 };
  }

  function only(r: RunChecksResult): CheckResult {
    assert.equal(r.results.length, 1);
    return r.results[0];
  }

  it('passes correct code (the baseline the other cases break)', async () => {
    const { r } = await run(GOOD, ['returns-two', 'matrix-shape', 'finite', 'tensor-sum']);
    assert.deepEqual(r.results.map((x) => x.status), ['pass', 'pass', 'pass', 'pass']);
  });

  it('code that does not compile: a diagnostic with line and column, nothing runs', async () => {
    const { r } = await run('export function two(): number {\n  return (2;\n}\n');
    assert.equal(r.compileErrors.length >= 1, true);
    assert.equal(r.compileErrors[0].line, 2);
    assert.match(r.compileErrors[0].message, /expected/i);
    assert.equal(only(r).status, 'not-run');
    assert.match(only(r).message, /work\.ts:2 does not compile/);
  });

  it('code that throws: its message and the learner\'s own line', async () => {
    const { r } = await run('export function two(): number {\n  const x: number = 1;\n  throw new Error("no idea");\n}\n');
    const c = only(r);
    assert.equal(c.status, 'error');
    assert.match(c.message, /two threw Error: no idea/);
    assert.equal(c.location?.file, 'work.ts');
    assert.equal(c.location?.line, 3);
  });

  it('an endless loop: "timed out after N ms", stopped soon after the limit, and the next run works', async () => {
    const { r, ms } = await run('export function two(): number {\n  while (true) {}\n}\n');
    const c = only(r);
    assert.equal(c.status, 'timeout');
    assert.match(c.message, /timed out after 1500 ms/);
    // The loop never ends by itself: any end within seconds is the limit's doing (a margin for a loaded machine).
    assert.ok(ms < LIMITS.timeoutMs + 5000, `took ${ms} ms`);
    const { r: again } = await run(GOOD);
    assert.equal(only(again).status, 'pass');
  });

  it('a per-check limit (as grading sets after a time-out) stops the check that loops at it, says why, and keeps the ones before', async () => {
    // The run's own budget is far above the per-check limit: were the per-check limit ignored,
    // the run would take the whole 20 s.
    const limits = { timeoutMs: 20_000, memoryMb: 128, perCheckMs: 400 };
    const text = 'export function two(): number { return 2; }\nexport function matrix(): number[][] {\n  while (true) {}\n}\nexport function values(): number[] { return [1]; }\n';
    const t0 = Date.now();
    const r = await client.runChecks({ labId: LAB, files: [{ path: 'work.ts', text }], checkIds: ['returns-two', 'matrix-shape', 'finite'], limits });
    const ms = Date.now() - t0;
    assert.deepEqual(r.results.map((x) => x.status), ['pass', 'timeout', 'not-run']);
    assert.match(r.results[1].message, /^timed out after 400 ms in check "matrix-shape": an earlier check already ran past the full time limit \(20000 ms\), so each check after it gets 400 ms/);
    assert.ok(ms < limits.timeoutMs / 2, `stopped by the per-check limit, not the run's (${ms} ms)`);
  });

  it("the per-check limit is each check's own: checks that each stay under it pass though together they take longer", async () => {
    // Each function spins for 300 ms of wall time; three of them take 900 ms, over the 500-ms limit
    // a single timer would give the whole run.
    const spin = '{ const t = Date.now(); while (Date.now() - t < 300) {} }';
    const text = `export function two(): number ${spin.slice(0, -1)} return 2; }\nexport function matrix(): number[][] ${spin.slice(0, -1)} return [[1, 2, 3], [4, 5, 6]]; }\nexport function values(): number[] ${spin.slice(0, -1)} return [1]; }\n`;
    const r = await client.runChecks({ labId: LAB, files: [{ path: 'work.ts', text }], checkIds: ['returns-two', 'matrix-shape', 'finite'], limits: { timeoutMs: 20_000, memoryMb: 128, perCheckMs: 500 } });
    assert.deepEqual(r.results.map((x) => x.status), ['pass', 'pass', 'pass'], r.results.map((x) => `${x.id}: ${x.message}`).join('\n'));
  });

  it('unbounded allocation: "used more than N MB", stopped by the memory limit, not the time limit', async () => {
    // A time limit far beyond what filling 128 MB takes even on a starved core: the verdict is which
    // limit stopped the run, not how fast (a 1.5-s limit here once timed out under CI-like load).
    const limits = { timeoutMs: 60_000, memoryMb: 128 };
    const { r, ms } = await run('export function two(): number {\n  const a: number[][] = [];\n  while (true) a.push(new Array(100000).fill(Math.random()));\n}\n', ['returns-two'], limits);
    const c = only(r);
    assert.equal(c.status, 'memory', c.message);
    assert.match(c.message, /used more than 128 MB/);
    assert.ok(ms < limits.timeoutMs, `took ${ms} ms`);
  });

  it('unbounded recursion: "recursed without end" with the learner\'s line', async () => {
    const { r } = await run('function down(n: number): number {\n  return down(n + 1) + 1;\n}\nexport function two(): number { return down(0); }\n');
    const c = only(r);
    assert.equal(c.status, 'error');
    assert.match(c.message, /recursed without end/);
    assert.equal(c.location?.line, 2);
  });

  it('the wrong shape: expected and actual shapes', async () => {
    const { r } = await run(GOOD.replace('[[1, 2, 3], [4, 5, 6]]', '[[1, 2], [3, 4], [5, 6]]'), ['matrix-shape']);
    const c = only(r);
    assert.equal(c.status, 'fail');
    assert.equal(c.expected, '[2, 3]');
    assert.equal(c.actual, '[3, 2]');
  });

  it('NaN: where it is', async () => {
    const { r } = await run(GOOD.replace('return [1, 2, 3];', 'return [1, 0 / 0, 3];'), ['finite']);
    const c = only(r);
    assert.equal(c.status, 'fail');
    assert.match(c.message, /NaN at \[1\]/);
  });

  it('process.exit: refused with its own message, and the sidecar lives on', async () => {
    const { r } = await run('export function two(): number {\n  process.exit(1);\n  return 2;\n}\n');
    const c = only(r);
    assert.equal(c.status, 'error');
    assert.match(c.message, /process\.exit is not available in lab code/);
    assert.equal(c.location?.line, 2);
    assert.equal(only((await run(GOOD)).r).status, 'pass');
  });

  for (const mod of ['fs', 'child_process', 'node:fs']) {
    it(`import of "${mod}": refused, naming the module and what may be imported`, async () => {
      const { r } = await run(`import * as m from '${mod}';\nexport function two(): number { return (m as any) ? 2 : 0; }\n`);
      const c = only(r);
      assert.equal(c.status, 'error');
      assert.match(c.message, new RegExp(`imports "${mod}"`));
      assert.match(c.message, /can import only "@tensorflow\/tfjs"/);
      assert.equal(c.location?.line, 1);
    });
  }

  for (const [what, code] of [
    ['eval', 'eval("1 + 1")'],
    ['new Function', 'new Function("return 2")()'],
    ['a function\'s constructor', '(function () {}).constructor("return 2")()'],
  ]) {
    it(`${what}: refused with a clear message and the learner's line`, async () => {
      const { r } = await run(`export function two(): number {\n  return ${code} as number;\n}\n`);
      const c = only(r);
      assert.equal(c.status, 'error');
      assert.match(c.message, /two used eval or new Function: eval and new Function are not available in lab code/);
      assert.equal(c.location?.line, 2);
    });
  }

  it('console output is capped per run, and the log says it was cut', async () => {
    logs.length = 0;
    const { r } = await run(`import * as tf from '@tensorflow/tfjs-core';
export function two(): number {
  for (let i = 0; i < 5000; i++) console.log('line', i);
  for (let i = 0; i < 100; i++) tf.scalar(i).print();
  return 2;
}
`);
    assert.equal(only(r).status, 'pass');
    const lab = logs.filter((l) => l.startsWith('[lab code]'));
    assert.ok(lab.length <= 201, `${lab.length} lines reached the log`);
    assert.ok(lab.includes('[lab code] line 0'));
    assert.ok(!lab.includes('[lab code] line 200'), 'the 201st line is cut');
    assert.ok(lab.some((l) => /console output cut: 4900 more lines not shown \(lab code may print 200 lines/.test(l)), lab.slice(-2).join('\n'));
    // The next run has its own allowance.
    logs.length = 0;
    await run('export function two(): number { console.log("fresh run"); return 2; }');
    assert.ok(logs.includes('[lab code] fresh run'));
    assert.ok(!logs.some((l) => /console output cut/.test(l)));
  });

  it('a missing export: says which function is missing', async () => {
    const { r } = await run('export function three(): number { return 3; }\n');
    const c = only(r);
    assert.equal(c.status, 'fail');
    assert.match(c.message, /does not export a function named "two"/);
  });
});
