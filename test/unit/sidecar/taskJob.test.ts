// A task on a worker that shares no memory with the sidecar (the contained check process):
// the stop is only a message, seen when the task yields between steps. Runs the real check
// process, contained as the sidecar contains it, and the fixture lab's training task.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import type { RunTaskResult } from '../../../core/protocol/sidecar';
import { ChecksFirst, runTaskJob, TaskJob } from '../../../sidecar/runner/taskJob';
import { transpile } from '../../../sidecar/runner/transpile';
import { WORKER_FILE, WorkerPool } from '../../../sidecar/runner/workerPool';
import { prepareContainment } from '../../../sidecar/runner/containment';
import { FIXTURE_LABS } from '../../support/sidecar';

const LAB_MODULE = join(FIXTURE_LABS, 'fixture-lab', 'checks.js');
const WORK = transpile([{ path: 'work.ts', text: 'export function two(): number { return 2; }\n' }]).files;

describe('sidecar: a task whose worker shares no memory', function () {
  this.timeout(120_000);
  let pool: WorkerPool;
  const checksFirst = new ChecksFirst();

  before(async () => {
    const containment = await prepareContainment({ backend: 'wasm', labsDist: FIXTURE_LABS, workerFile: WORKER_FILE });
    pool = new WorkerPool({ backend: 'wasm', log: () => undefined, containment });
    await pool.start(256);
  });
  after(async () => pool.dispose());

  function job(task: string, input: unknown, signal: AbortSignal, onProgress: (p: unknown) => void = () => undefined, limits = { timeoutMs: 60_000, memoryMb: 256 }): TaskJob {
    return { labModule: LAB_MODULE, files: WORK, task, input, limits, signal, onProgress };
  }
  type Failed = Extract<RunTaskResult, { status: 'error' | 'timeout' | 'memory' }>;

  it('a cancel message stops the task between steps, cleanly, with every tensor released', async () => {
    await runTaskJob(pool, job('train', { steps: 2, lr: 0.02, seed: 1, leak: true }, new AbortController().signal), checksFirst);
    const before = await pool.stats();
    const ac = new AbortController();
    let steps = 0;
    const pending = runTaskJob(pool, job('train', { steps: 1_000_000, lr: 0.02, seed: 1, leak: true }, ac.signal, () => steps++), checksFirst, { sharedMemory: false });
    while (steps < 10) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    const r = await pending;
    assert.equal(r.status, 'cancelled');
    assert.equal((r as Extract<RunTaskResult, { status: 'cancelled' }>).message, 'cancelled', 'stopped by the message, no worker restart');
    assert.ok(((r as { result: { stopped: number } }).result.stopped) >= 10);
    assert.equal((await pool.stats()).numTensors, before.numTensors);
    assert.equal(pool.restarts, 0);
  });

  it('a task that never yields cannot see the message: its worker is replaced after the grace', async () => {
    const ac = new AbortController();
    const pending = runTaskJob(pool, job('ignores-stop', {}, ac.signal), checksFirst, { sharedMemory: false, graceMs: 300 });
    setTimeout(() => ac.abort(), 200);
    const r = await pending;
    assert.equal(r.status, 'cancelled');
    assert.match((r as Extract<RunTaskResult, { status: 'cancelled' }>).message, /did not stop within 0\.3 s of being asked, so its worker was restarted/);
    assert.equal(pool.restarts, 1);
    const next = await runTaskJob(pool, job('train', { steps: 3, lr: 0.02, seed: 1 }, new AbortController().signal), checksFirst, { sharedMemory: false });
    assert.equal(next.status, 'done');
  });

  it('a job cancelled while it waited is dropped before it starts', async () => {
    const ac = new AbortController();
    ac.abort();
    let progress = 0;
    const r = await runTaskJob(pool, job('train', { steps: 3, lr: 0.02, seed: 1 }, ac.signal, () => progress++), checksFirst, { sharedMemory: false });
    assert.equal(r.status, 'cancelled');
    assert.equal((r as Extract<RunTaskResult, { status: 'cancelled' }>).message, 'cancelled before it started');
    assert.equal(progress, 0);
  });

  it('a task that stops when asked ends at its time limit as "timeout", its worker kept, its listeners removed', async () => {
    const restarts = pool.restarts;
    const ac = new AbortController();
    let progress = 0;
    const r = await runTaskJob(pool, job('train', { steps: 1_000_000, lr: 0.02, seed: 1 }, ac.signal, () => progress++, { timeoutMs: 800, memoryMb: 256 }), checksFirst, { sharedMemory: false });
    assert.equal(r.status, 'timeout');
    assert.equal((r as Failed).error.message, 'stopped at its time limit of 0.8 s');
    assert.ok(progress > 0, 'it ran until then');
    assert.equal(pool.restarts, restarts, 'no worker restart');
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0, 'the abort listener is removed');
    // Progress of that job no longer reaches its listener once it ended.
    const after = progress;
    await runTaskJob(pool, job('train', { steps: 3, lr: 0.02, seed: 1 }, new AbortController().signal), checksFirst, { sharedMemory: false });
    assert.equal(progress, after);
  });

  it('a task that never yields is timed out, its worker replaced after the grace, and says so', async () => {
    const restarts = pool.restarts;
    const r = await runTaskJob(pool, job('ignores-stop', {}, new AbortController().signal, undefined, { timeoutMs: 400, memoryMb: 256 }), checksFirst, { sharedMemory: false, graceMs: 300 });
    assert.equal(r.status, 'timeout');
    assert.equal((r as Failed).error.message, 'timed out after 0.4 s; it did not stop within 0.3 s of being asked, so its worker was restarted');
    assert.equal(pool.restarts, restarts + 1);
  });

  it('a task that throws or returns what cannot be sent is an error; one that grows without end is stopped at the memory limit', async () => {
    const unknown = await runTaskJob(pool, job('nope', {}, new AbortController().signal), checksFirst, { sharedMemory: false });
    assert.equal(unknown.status, 'error');
    assert.match((unknown as Failed).error.message, /this lab has no "nope" task/);
    const bad = await runTaskJob(pool, job('bad-result', {}, new AbortController().signal), checksFirst, { sharedMemory: false });
    assert.equal(bad.status, 'error');
    assert.match((bad as Failed).error.message, /could not be cloned/);
    const grows = await runTaskJob(pool, job('grows', {}, new AbortController().signal, undefined, { timeoutMs: 60_000, memoryMb: 96 }), checksFirst, { sharedMemory: false });
    assert.equal(grows.status, 'memory', JSON.stringify(grows));
    assert.equal((grows as Failed).error.message, 'used more than 96 MB of memory: look for an array or tensor that grows without end');
    const next = await runTaskJob(pool, job('train', { steps: 2, lr: 0.02, seed: 1 }, new AbortController().signal), checksFirst, { sharedMemory: false });
    assert.equal(next.status, 'done');
  });
});
