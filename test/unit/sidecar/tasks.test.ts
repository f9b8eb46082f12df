// Long-running tasks through the real sidecar process: a small real tfjs training run streams
// its progress, stops cleanly when cancelled (tensors and variables released, worker warm, the
// next run starts at once), never holds up checks, and a SIGKILL mid-task is a clear error.
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { RunTaskResult } from '../../../core/protocol/sidecar';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const TASK_LIMITS = { timeoutMs: 120_000, memoryMb: 256 };
const CHECK_LIMITS = { timeoutMs: 4000, memoryMb: 256 };
const WORK = `
export function two(): number { return 2; }
export function lrAt(step: number): number { return step < 5 ? 0.02 : 0.01; }
`;
const THROWING_SCHEDULE = `
export function two(): number { return 2; }
export function lrAt(step: number): number {
  if (step === 3) throw new Error('no rate for step 3');
  return 0.01;
}
`;
type Progress = { step: number; loss: number };
type Failed = Extract<RunTaskResult, { error: unknown }>;

function train(client: SidecarClient, input: Record<string, unknown>, onProgress: (p: Progress) => void, signal?: AbortSignal, text = WORK, limits = TASK_LIMITS) {
  return client.runTask(
    { labId: 'fixture-lab', files: [{ path: 'work.ts', text }], task: 'train', input: { lr: 0.02, seed: 7, ...input }, limits },
    (p) => onProgress(p as Progress),
    signal,
  );
}

/** Resolves once `n` progress reports have arrived. */
function reports(n: number, seen: Progress[]): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (seen.length >= n) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
}

describe('sidecar: long-running tasks', function () {
  this.timeout(120_000);
  let client: SidecarClient;

  before(() => {
    client = testSidecar({ labsDist: FIXTURE_LABS });
  });
  after(async () => client.dispose());

  it('trains to the end, streaming one report per step in order, and the loss falls', async () => {
    const seen: Progress[] = [];
    const r = await train(client, { steps: 60 }, (p) => seen.push(p));
    assert.equal(r.status, 'done', JSON.stringify(r));
    const result = (r as Extract<RunTaskResult, { status: 'done' }>).result as { stopped: null; losses: number[] };
    assert.deepEqual(seen.map((p) => p.step), Array.from({ length: 60 }, (_, i) => i));
    assert.deepEqual(seen.map((p) => p.loss), result.losses, 'the progress reports are the losses the task returned');
    assert.ok(result.losses[59] < result.losses[0] * 0.5, `loss ${result.losses[0]} → ${result.losses[59]}`);
    assert.equal(r.backend, 'wasm');
  });

  it('the same seed gives the same losses (the task worker is deterministic)', async () => {
    const a: number[] = [];
    const b: number[] = [];
    await train(client, { steps: 15 }, (p) => a.push(p.loss));
    await train(client, { steps: 15 }, (p) => b.push(p.loss));
    assert.deepEqual(a, b);
  });

  it('cancel mid-run: stops between steps with the partial result, releases every tensor and variable, keeps the worker warm', async () => {
    await train(client, { steps: 3, leak: true }, () => undefined);
    const before = await client.stats();
    assert.ok(before.taskWorker, 'the task worker reports its tensors when idle');
    const seen: Progress[] = [];
    const ac = new AbortController();
    const pending = train(client, { steps: 1_000_000, leak: true }, (p) => seen.push(p), ac.signal);
    await reports(20, seen);
    ac.abort();
    const r = await pending;
    assert.equal(r.status, 'cancelled', JSON.stringify(r).slice(0, 300));
    const c = r as Extract<RunTaskResult, { status: 'cancelled' }>;
    assert.equal(c.message, 'cancelled', 'a clean stop, no worker restart');
    const partial = c.result as { stopped: number; losses: number[] };
    assert.ok(partial.stopped >= 20 && partial.stopped < 1_000_000, `stopped at step ${partial.stopped}`);
    const later = await client.stats();
    assert.equal(later.taskWorker!.numTensors, before.taskWorker!.numTensors, 'leaked tensors, weights, optimizer slots and leaked variables are all released');
    assert.equal(later.taskWorker!.restarts, before.taskWorker!.restarts, 'the task worker was not replaced');
  });

  it('a new run starts at once after a cancel and trains normally', async () => {
    const ac = new AbortController();
    const seen: Progress[] = [];
    const first = train(client, { steps: 1_000_000 }, (p) => seen.push(p), ac.signal);
    await reports(5, seen);
    ac.abort();
    const fresh: Progress[] = [];
    const second = train(client, { steps: 10 }, (p) => fresh.push(p));
    assert.equal((await first).status, 'cancelled');
    const r = await second;
    assert.equal(r.status, 'done');
    assert.equal(fresh.length, 10);
  });

  it('a task cancelled before its turn is dropped without running', async () => {
    const ac = new AbortController();
    const seen: Progress[] = [];
    const running = train(client, { steps: 1_000_000 }, () => undefined, ac.signal);
    const queuedAc = new AbortController();
    const queued = train(client, { steps: 50 }, (p) => seen.push(p), queuedAc.signal);
    await new Promise((r) => setTimeout(r, 200));
    queuedAc.abort();
    ac.abort();
    assert.equal((await running).status, 'cancelled');
    const q = await queued;
    assert.equal(q.status, 'cancelled');
    assert.equal((q as Extract<RunTaskResult, { status: 'cancelled' }>).message, 'cancelled before it started');
    assert.equal(seen.length, 0);
  });

  it('checks do not wait for a running task: they answer while it is still training', async () => {
    const seen: Progress[] = [];
    const ac = new AbortController();
    let taskEnded = false;
    const pending = train(client, { steps: 1_000_000 }, (p) => seen.push(p), ac.signal).finally(() => (taskEnded = true));
    await reports(3, seen);
    for (let i = 0; i < 3; i++) {
      const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: WORK + `// ${i}` }], checkIds: ['returns-two'], limits: CHECK_LIMITS });
      assert.equal(r.results[0].status, 'pass');
      assert.equal(taskEnded, false, 'the check answered while the task still ran');
    }
    const stepsBefore = seen.length;
    await reports(stepsBefore + 3, seen);
    ac.abort();
    assert.equal((await pending).status, 'cancelled');
  });

  it('the learner function a task calls throws: an error with the learner\'s line', async () => {
    const r = await train(client, { steps: 10, learnerSchedule: true }, () => undefined, undefined, THROWING_SCHEDULE);
    assert.equal(r.status, 'error');
    const e = r as Failed;
    assert.match(e.error.message, /no rate for step 3/);
    assert.equal(e.error.location?.file, 'work.ts');
    assert.equal(e.error.location?.line, 4);
  });

  it('code that does not compile: an error with the diagnostics, nothing runs', async () => {
    const seen: Progress[] = [];
    const r = await train(client, { steps: 10 }, (p) => seen.push(p), undefined, 'export function two(): number { return 2 ');
    assert.equal(r.status, 'error');
    assert.ok((r as Failed).compileErrors.length > 0);
    assert.equal(seen.length, 0);
  });

  it('an unknown task and a result that is not plain data are named', async () => {
    const unknown = await client.runTask({ labId: 'fixture-lab', files: [], task: 'nope', input: {}, limits: TASK_LIMITS }, () => undefined);
    assert.equal(unknown.status, 'error');
    assert.match((unknown as Failed).error.message, /this lab has no "nope" task/);
    const bad = await client.runTask({ labId: 'fixture-lab', files: [], task: 'bad-result', input: {}, limits: TASK_LIMITS }, () => undefined);
    assert.equal(bad.status, 'error');
    assert.match((bad as Failed).error.message, /could not be cloned/);
  });

  it('its own time limit, not the checks\': a task that runs past it is stopped cleanly', async () => {
    const seen: Progress[] = [];
    const r = await train(client, { steps: 1_000_000 }, (p) => seen.push(p), undefined, WORK, { timeoutMs: 1500, memoryMb: 256 });
    assert.equal(r.status, 'timeout');
    assert.match((r as Failed).error.message, /stopped at its time limit of 1\.5 s/);
    assert.ok(seen.length > 0);
  });

  it('a task that never looks at the stop flag: its worker is replaced after the grace, and the next task runs', async () => {
    const restarts = (await client.stats()).taskWorker!.restarts;
    const r = await client.runTask({ labId: 'fixture-lab', files: [], task: 'ignores-stop', input: {}, limits: { timeoutMs: 500, memoryMb: 256 } }, () => undefined);
    assert.equal(r.status, 'timeout');
    assert.match((r as Failed).error.message, /did not stop within 5 s of being asked, so its worker was restarted/);
    const next = await train(client, { steps: 5 }, () => undefined);
    assert.equal(next.status, 'done');
    assert.equal((await client.stats()).taskWorker!.restarts, restarts + 1);
  });

  it('SIGKILL of the sidecar during a task: a clear error naming the task, and the next run works', async () => {
    const seen: Progress[] = [];
    const pending = train(client, { steps: 1_000_000 }, (p) => seen.push(p));
    await reports(3, seen);
    process.kill(client.pid!, 'SIGKILL');
    await assert.rejects(pending, (e: Error) => e.name === 'SidecarCrashedError' && /killed by SIGKILL during the task "train"; start it again/.test(e.message));
    const r = await train(client, { steps: 5 }, () => undefined);
    assert.equal(r.status, 'done');
    const check = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: WORK }], checkIds: ['returns-two'], limits: CHECK_LIMITS });
    assert.equal(check.results[0].status, 'pass');
  });

  it('aborting before the task is sent rejects with AbortError', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(train(client, { steps: 5 }, () => undefined, ac.signal), (e: Error) => e.name === 'AbortError');
  });
});
