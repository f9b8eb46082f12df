// The sidecar process as the extension and the CLI use it: protocol round trip, restart
// after a crash with the interrupted run retried once, cancellation, and no tensor leaks.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import type { SidecarClient, SidecarState } from '../../../core/compute/sidecarClient';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LIMITS = { timeoutMs: 4000, memoryMb: 256 };
const code = (n: number) => `
import * as tf from '@tensorflow/tfjs-core';
export function two(): number { return 2; }
export function matrix(): number[][] { return [[1, 2, 3], [4, 5, 6]]; }
export function values(): number[] { return [${n}, 2, 3]; }
export function sumTensor(t: tf.Tensor): tf.Tensor { const leak = tf.ones([100]); return tf.sum(t); }
`;
const SLOW = `export function two(): number { const end = Date.now() + 1500; while (Date.now() < end) {} return 2; }`;

describe('sidecar client', function () {
  this.timeout(60_000);
  let client: SidecarClient;
  const states: SidecarState['kind'][] = [];

  before(async () => {
    client = testSidecar({ labsDist: FIXTURE_LABS });
    client.onStateChange((s) => states.push(s.kind));
  });
  after(async () => client.dispose());

  it('initializes over JSON-RPC and reports the backend in use with every attempt', async () => {
    const init = await client.start();
    assert.equal(init.backend.name, 'wasm');
    assert.deepEqual(init.backend.attempts, [{ backend: 'wasm', ok: true }]);
    assert.equal(typeof init.pid, 'number');
    assert.equal(init.pid, client.pid);
    assert.ok(states.includes('ready'));
  });

  it('restarts after SIGKILL in the middle of a run and retries that run once', async () => {
    const before = client.pid!;
    const pending = client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: SLOW }], checkIds: ['returns-two'], limits: LIMITS });
    setTimeout(() => process.kill(before, 'SIGKILL'), 300);
    const r = await pending;
    assert.equal(r.results[0].status, 'pass', r.results[0].message);
    assert.notEqual(client.pid, before, 'a new sidecar process answered');
    assert.ok(states.includes('crashed'));
  });

  it('aborting a run rejects with AbortError promptly, and the next run still works', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const pending = client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: SLOW }], checkIds: ['returns-two'], limits: LIMITS }, ac.signal);
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    assert.ok(Date.now() - t0 < 1000, 'abort answered before the slow run would have finished');
    const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: code(1) }], checkIds: ['returns-two'], limits: LIMITS });
    assert.equal(r.results[0].status, 'pass');
  });

  it('leaves no listener on a signal that served many runs (a grading run\'s signal outlives its checks)', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 12; i++) {
      const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: code(i) }], checkIds: ['returns-two'], limits: LIMITS }, ac.signal);
      assert.equal(r.results[0].status, 'pass');
    }
    await client.typeCheck({ files: [{ path: 'work.ts', text: code(1) }] }, ac.signal);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  });

  it('releases every tensor a run creates, even those the learner leaks (50 runs)', async () => {
    const baseline = (await client.stats()).numTensors;
    for (let i = 0; i < 50; i++) {
      const r = await client.runChecks({
        labId: 'fixture-lab',
        files: [{ path: 'work.ts', text: code(i) }],
        checkIds: ['tensor-sum', 'finite'],
        limits: LIMITS,
      });
      assert.deepEqual(r.results.map((x) => x.status), ['pass', 'pass']);
    }
    assert.equal((await client.stats()).numTensors, baseline);
  });

  it('says clearly when a lab\'s checks are not built', async () => {
    await assert.rejects(
      client.runChecks({ labId: 'no-such-lab', files: [], checkIds: ['x'], limits: LIMITS }),
      /the checks of lab "no-such-lab" are not built/,
    );
  });

  it('leaves no check process behind when the sidecar is killed while learner code loops (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();
    const own = testSidecar({ labsDist: FIXTURE_LABS, maxRestartsPerMinute: 0 });
    try {
      await own.start();
      const sidecar = own.pid!;
      const looping = own.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: 'export function two(): number { while (true) {} }' }], checkIds: ['returns-two'], limits: { timeoutMs: 60_000, memoryMb: 256 } });
      looping.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 800));
      const below = descendants(sidecar);
      assert.ok(below.length >= 1, 'the sidecar runs a check process');
      process.kill(sidecar, 'SIGKILL');
      await assert.rejects(looping);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(below.filter(alive), [], 'every process the sidecar started is gone');
    } finally {
      await own.dispose();
    }
  });
});

/** Every process below `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parentOf.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    out.push(...next);
    frontier = next;
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    // A zombie still has its /proc entry; a state of Z counts as gone.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
