import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Debouncer, LatestOnly, versionsChanged } from '../../../src/checks/runScheduler';

describe('Debouncer', () => {
  it('runs only the last task, once, after the quiet period', async () => {
    const d = new Debouncer();
    const ran: number[] = [];
    d.schedule(30, () => ran.push(1));
    await sleep(10);
    d.schedule(30, () => ran.push(2));
    assert.equal(d.pending, true);
    await sleep(15);
    assert.deepEqual(ran, [], 'the second schedule restarted the quiet period');
    await sleep(40);
    assert.deepEqual(ran, [2]);
    assert.equal(d.pending, false);
  });

  it('cancel drops the pending task', async () => {
    const d = new Debouncer();
    let ran = false;
    d.schedule(10, () => (ran = true));
    d.cancel();
    await sleep(30);
    assert.equal(ran, false);
  });
});

describe('LatestOnly', () => {
  it('aborts the previous run when a newer one begins', () => {
    const l = new LatestOnly();
    const first = l.begin();
    const second = l.begin();
    assert.equal(first.aborted, true);
    assert.equal(second.aborted, false);
    assert.equal(l.isLatest(first), false);
    assert.equal(l.isLatest(second), true);
  });

  it('ending an older run does not forget the newer one', () => {
    const l = new LatestOnly();
    const first = l.begin();
    const second = l.begin();
    l.end(first);
    assert.equal(l.running, true);
    l.end(second);
    assert.equal(l.running, false);
    assert.equal(second.aborted, false, 'a finished run is not aborted');
  });

  it('abortAll aborts the run in flight', () => {
    const l = new LatestOnly();
    const s = l.begin();
    l.abortAll();
    assert.equal(s.aborted, true);
    assert.equal(l.isLatest(s), false);
  });
});

describe('versionsChanged', () => {
  const at = (entries: [string, number | undefined][]) => new Map(entries);

  it('is false when every file has the version it had at the start', () => {
    assert.equal(versionsChanged(at([['a.ts', 3], ['b.ts', undefined]]), at([['a.ts', 3], ['b.ts', undefined]])), false);
  });

  it('is true when an editor was edited, opened or closed since the start', () => {
    assert.equal(versionsChanged(at([['a.ts', 3]]), at([['a.ts', 4]])), true);
    assert.equal(versionsChanged(at([['a.ts', undefined]]), at([['a.ts', 1]])), true);
    assert.equal(versionsChanged(at([['a.ts', 2]]), at([['a.ts', undefined]])), true);
  });

  it('is true when the set of files differs', () => {
    assert.equal(versionsChanged(at([['a.ts', 1]]), at([['b.ts', 1]])), true);
    assert.equal(versionsChanged(at([['a.ts', 1]]), at([['a.ts', 1], ['b.ts', 1]])), true);
  });
});
