// Back-pressure in the real sidecar: a check waits only for the job already running on the
// worker, never for views queued behind it, and a check whose caller gave up while it waited is
// dropped before it reaches the worker (before: it ran, was cancelled, and after the grace the
// worker was killed and cold-started).
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LIMITS = { timeoutMs: 10_000, memoryMb: 256 };
const QUICK = 'export function two(): number { return 2; }';
const SLOW = 'export function two(): number { const end = Date.now() + 1500; while (Date.now() < end) {} return 2; }';

describe('sidecar back-pressure', function () {
  this.timeout(60_000);
  let client: SidecarClient;
  before(async () => {
    client = testSidecar({ labsDist: FIXTURE_LABS });
    await client.start();
  });
  after(() => client.dispose());

  const view = (referenceMs: number) =>
    client.visualize({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: QUICK }], view: 'slow-reference', input: { referenceMs }, limits: LIMITS });

  it('a check is answered before the views that were waiting when it came', async () => {
    const answered: string[] = [];
    const running = view(600).then(() => answered.push('view running'));
    await new Promise((r) => setTimeout(r, 100));
    const waiting = [view(300).then(() => answered.push('view waiting 1')), view(300).then(() => answered.push('view waiting 2'))];
    await new Promise((r) => setTimeout(r, 50));
    const check = client
      .runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: QUICK }], checkIds: ['returns-two'], limits: LIMITS })
      .then((r) => answered.push(`check ${r.results[0].status}`));
    await Promise.all([running, ...waiting, check]);
    assert.deepEqual(answered, ['view running', 'check pass', 'view waiting 1', 'view waiting 2']);
  });

  it('a check given up while it waited never reaches the worker: no kill, no cold restart', async () => {
    const before = (await client.stats()).workerRestarts;
    const running = view(800);
    await new Promise((r) => setTimeout(r, 100));
    const ac = new AbortController();
    const stale = client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: SLOW }], checkIds: ['returns-two'], limits: LIMITS }, ac.signal);
    // Sent, waiting behind the view in the sidecar, when the caller gives up.
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await assert.rejects(stale, (e: Error) => e.name === 'AbortError');
    await running;
    const next = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: QUICK }], checkIds: ['returns-two'], limits: LIMITS });
    assert.equal(next.results[0].status, 'pass');
    assert.equal((await client.stats()).workerRestarts, before, 'the worker was never killed');
  });

  it('a run cancelled before the sidecar has started rejects at once and never runs', async () => {
    const fresh = testSidecar({ labsDist: FIXTURE_LABS });
    try {
      const ac = new AbortController();
      const t0 = Date.now();
      const pending = fresh.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: SLOW }], checkIds: ['returns-two'], limits: LIMITS }, ac.signal);
      ac.abort();
      await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
      // Before: the abort came while the client awaited the start-up, its listener came later and
      // never fired, and the cancelled run went to the sidecar and was awaited in full.
      assert.ok(Date.now() - t0 < 15_000);
      assert.equal((await fresh.stats()).workerRestarts, 0);
      const r = await fresh.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: QUICK }], checkIds: ['returns-two'], limits: LIMITS });
      assert.equal(r.results[0].status, 'pass', 'the sidecar was not left busy with the cancelled run');
    } finally {
      await fresh.dispose();
    }
  });

  it('says when the sidecar got a check and when its worker started and finished it', async () => {
    const t0 = performance.timeOrigin + performance.now();
    const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: QUICK }], checkIds: ['returns-two'], limits: LIMITS });
    const t1 = performance.timeOrigin + performance.now();
    const { received, workerStarted, workerDone } = r.timing!;
    const seen = JSON.stringify({ t0, ...r.timing, t1 });
    assert.ok(received <= workerStarted! && workerStarted! <= workerDone!, seen);
    // The two processes' clocks are compared only through durations: each process's
    // timeOrigin is the wall clock when it started, and a clock step between the two starts
    // (NTP under CI load moved one by 500 ms) shifts every absolute time of one against the other.
    assert.ok(workerDone! - received <= t1 - t0 + 1, `the sidecar's span is inside the client's: ${seen}`);
    assert.ok(Math.abs(received - t0) < 10_000, `times are epoch milliseconds: ${seen}`);
  });
});
