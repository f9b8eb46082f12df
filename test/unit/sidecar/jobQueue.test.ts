// The worker's job queue: one job at a time, check runs before views that have not started, and
// a failing job never blocks the ones behind it.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobQueue } from '../../../sidecar/runner/jobQueue';

describe('JobQueue', () => {
  it('runs one job at a time; a check overtakes views that wait, not the one running', async () => {
    const q = new JobQueue();
    const order: string[] = [];
    let running = 0;
    const job = (name: string, ms: number) => async () => {
      running++;
      assert.equal(running, 1, 'never two at once');
      await sleep(ms);
      order.push(name);
      running--;
      return name;
    };
    const all = [q.run('view', job('view 1 (running)', 30)), q.run('view', job('view 2', 5)), q.run('view', job('view 3', 5)), q.run('checks', job('check', 5))];
    assert.equal(q.length, 3);
    await Promise.all(all);
    assert.deepEqual(order, ['view 1 (running)', 'check', 'view 2', 'view 3']);
  });

  it('keeps checks in their order, and goes on after a job that throws', async () => {
    let after = 0;
    const q = new JobQueue(() => after++);
    const order: string[] = [];
    const ok = (n: string) => async () => void order.push(n);
    const failing = q.run('checks', async () => {
      throw new Error('boom');
    });
    const rest = [q.run('checks', ok('c1')), q.run('view', ok('v')), q.run('checks', ok('c2'))];
    await assert.rejects(failing, /boom/);
    await Promise.all(rest);
    assert.deepEqual(order, ['c1', 'c2', 'v']);
    assert.equal(after, 4, 'the after-hook runs after every job, the failing one too');
  });
});
