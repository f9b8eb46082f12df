// Checks first: the count of running checks reaches every running task's shared control
// memory, and a task's aborted() sleeps while it is non-zero (bounded), waking on a stop.
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { ChecksFirst } from '../../../sidecar/runner/taskJob';
import { CONTROL, CONTROL_BYTES } from '../../../sidecar/runner/taskMessages';
import { abortedHook } from '../../../sidecar/runner/taskRunner';

const control = () => new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));

describe('sidecar: checks first while a task runs', () => {
  it('publishes the number of running checks to attached tasks only, until they detach', () => {
    const cf = new ChecksFirst();
    const a = control();
    const b = control();
    const detachA = cf.attach(a);
    const leave1 = cf.enter();
    const leave2 = cf.enter();
    assert.equal(a[CONTROL.checksRunning], 2);
    assert.equal(b[CONTROL.checksRunning], 0, 'not attached');
    cf.attach(b);
    assert.equal(b[CONTROL.checksRunning], 2, 'a task attached mid-check sees the current count');
    leave1();
    leave1();
    assert.equal(a[CONTROL.checksRunning], 1, 'leaving twice counts once');
    detachA();
    leave2();
    assert.equal(a[CONTROL.checksRunning], 1, 'a detached task is no longer told');
    assert.equal(b[CONTROL.checksRunning], 0);
  });

  it('aborted() returns at once with no check running, and reports the stop flag', () => {
    const c = control();
    const aborted = abortedHook(1, c, 10_000);
    assert.equal(aborted(), false);
    c[CONTROL.stop] = 1;
    c[CONTROL.checksRunning] = 1;
    assert.equal(aborted(), true, 'a stop wins over waiting for checks');
  });

  it('aborted() sleeps while a check runs and wakes when it ends (another thread ends it)', async () => {
    const c = control();
    c[CONTROL.checksRunning] = 1;
    // Another thread plays the main thread: ends the check after a moment and notifies.
    const w = new Worker(
      `const { workerData } = require('node:worker_threads');
       const c = new Int32Array(workerData);
       setTimeout(() => { Atomics.store(c, 1, 0); Atomics.notify(c, 1); }, 300);`,
      { eval: true, workerData: c.buffer },
    );
    await new Promise((r) => w.once('online', r));
    const t0 = Date.now();
    const stopped = abortedHook(1, c, 20_000)();
    const waited = Date.now() - t0;
    await w.terminate();
    assert.equal(stopped, false);
    assert.ok(waited >= 200, `slept while the check ran (${waited} ms)`);
    assert.ok(waited < 15_000, `woke when it ended, not at the cap (${waited} ms)`);
  });

  it('aborted() sleeps at most its cap when a check never ends', () => {
    const c = control();
    c[CONTROL.checksRunning] = 1;
    const t0 = Date.now();
    assert.equal(abortedHook(1, c, 150)(), false);
    assert.ok(Date.now() - t0 >= 140, 'waited about the cap');
  });
});
