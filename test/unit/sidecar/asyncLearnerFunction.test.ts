// A learner function a lab lets be async (ctx.fn(…, { async: true })) in the real worker: its
// value or its throw reaches the check as from a synchronous one, what crosses gives learner
// code nothing of the checks' realm it can compile with, and a promise where none belongs —
// returned, rejected, or left unhandled — fails that check with a sentence, not the worker.
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { CheckResult } from '../../../core/protocol/sidecar';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LIMITS = { timeoutMs: 20_000, memoryMb: 256 };

describe('sidecar: learner functions that may be async', function () {
  this.timeout(120_000);
  let client: SidecarClient;
  const logs: string[] = [];
  before(() => (client = testSidecar({ labsDist: FIXTURE_LABS, log: (_level, message) => logs.push(message) })));
  after(() => client.dispose());

  async function run(work: string, checkIds: string[]): Promise<CheckResult[]> {
    logs.length = 0;
    return (await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: work }], checkIds, limits: LIMITS })).results;
  }

  it('an async function that reads with await, and a synchronous one, both pass; a wrong async value fails', async () => {
    const right = await run(`export async function sumTensor(t: any): Promise<number> { const v = await t.data(); return v[0] + v[1] + v[2]; }`, ['tensor-sum-async']);
    assert.equal(right[0].status, 'pass', JSON.stringify(right[0]));
    const sync = await run(`export function sumTensor(t: any): number { return t.sum().arraySync(); }`, ['tensor-sum-async']);
    assert.equal(sync[0].status, 'pass', JSON.stringify(sync[0]));
    const wrong = await run(`export async function sumTensor(t: any): Promise<number> { const v = await t.data(); return v[0] + v[1]; }`, ['tensor-sum-async']);
    assert.equal(wrong[0].status, 'fail', JSON.stringify(wrong[0]));
    assert.match(wrong[0].message, /sumTensor\(\[1, 2, 3\]\)/);
  });

  it('a throw after an await names the learner\'s error and line', async () => {
    const work = ['export async function sumTensor(t: any): Promise<number> {', '  await t.data();', "  throw new RangeError('no sum today');", '}'].join('\n');
    const [r] = await run(work, ['tensor-sum-async']);
    assert.equal(r.status, 'error', JSON.stringify(r));
    assert.equal(r.message, 'sumTensor threw RangeError: no sum today (work.ts:3)');
    assert.equal(r.location?.line, 3);
  });

  it('a promise returned where the result belongs fails with a sentence, and a rejected one does not stop the worker', async () => {
    const work = [
      "export function matrix(): any { return Promise.reject(new Error('rejected, and nobody handles it')); }",
      "export function two(): any { return { value: Promise.resolve(2) }; }",
      'export function values(): number[] { return [1, 2]; }',
    ].join('\n');
    const r = await run(work, ['matrix-shape', 'returns-two', 'finite']);
    assert.equal(r[0].status, 'error', JSON.stringify(r[0]));
    assert.match(r[0].message, /^matrix returned a promise \(is it declared async\?\): it must return its result itself/);
    assert.match(r[1].message, /^two returned an object holding a promise: await it/);
    assert.equal(r[2].status, 'pass', 'the next check runs in the same worker');
    assert.ok(!logs.some((l) => /nothing handled it/.test(l)), `the crossing handled the promise it refused:\n${logs.join('\n')}`);
    const after = await run('export function values(): number[] { return [1, 2]; }', ['finite']);
    assert.equal(after[0].status, 'pass', JSON.stringify(after[0]));
  });

  it('a promise rejected and left unhandled at the top of a learner file is logged, not the end of the worker', async () => {
    const work = ["Promise.reject(new Error('left behind'));", 'export function values(): number[] { return [1, 2]; }'].join('\n');
    const r = await run(work, ['finite']);
    assert.equal(r[0].status, 'pass', JSON.stringify(r[0]) + logs.join('\n'));
    assert.ok(logs.some((l) => /a promise of lab code was rejected and nothing handled it: Error: left behind \(work\.ts:1\)/.test(l)), logs.join('\n'));
    const again = await run('export function values(): number[] { return [3]; }', ['finite']);
    assert.equal(again[0].status, 'pass', JSON.stringify(again[0]));
    assert.ok(!logs.some((l) => /exited|crashed|restart/i.test(l)), logs.join('\n'));
  });

  it("a promise whose species constructor catches the checks' resolve functions gets nothing that compiles code", async () => {
    // The checks' then() builds the derived promise with the constructor the learner's promise
    // names, handing it this realm's executor: from there, .constructor is the checks' Function.
    const work = `
      let seen = 'the executor never reached learner code';
      export function evidence(): string { return seen; }
      export function sumTensor(t: any): Promise<number> {
        const p: any = Promise.resolve(6);
        class Evil {
          constructor(executor: any) {
            try {
              seen = 'compiled: ' + typeof executor.constructor('return process')();
            } catch (e: any) {
              seen = 'refused: ' + e.message;
            }
            return new Promise(executor);
          }
          static get [Symbol.species]() { return Evil; }
        }
        Object.defineProperty(p, 'constructor', { value: Evil });
        return p;
      }`;
    const r = await run(work, ['tensor-sum-async', 'evidence']);
    assert.equal(r[0].status, 'pass', JSON.stringify(r[0]));
    assert.match(r[1].message, /^refused: /, r[1].message);
    assert.doesNotMatch(r[1].message, /compiled/);
  });
});
