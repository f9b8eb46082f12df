import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Debouncer, LatestOnly, textsChanged } from '../../../src/checks/runScheduler';

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

  it('a signal it did not hand out, or a run that ended, is not the latest; ending or aborting nothing is harmless', () => {
    const l = new LatestOnly();
    assert.equal(l.isLatest(new AbortController().signal), false, 'nothing running');
    const s = l.begin();
    assert.equal(l.isLatest(new AbortController().signal), false, 'a signal from elsewhere');
    l.end(s);
    assert.equal(l.isLatest(s), false, 'a run that ended');
    assert.doesNotThrow(() => l.end(s));
    assert.doesNotThrow(() => l.abortAll());
    assert.equal(s.aborted, false);
  });

  it('abortAll aborts the run in flight', () => {
    const l = new LatestOnly();
    const s = l.begin();
    l.abortAll();
    assert.equal(s.aborted, true);
    assert.equal(l.isLatest(s), false);
  });
});

describe('textsChanged', () => {
  it('with several files: any one changed, one missing, one renamed, or an order change alone', () => {
    const two = [{ path: 'block.ts', text: 'b' }, { path: 'attention.ts', text: 'a' }];
    assert.equal(textsChanged(two, [{ path: 'attention.ts', text: 'a' }, { path: 'block.ts', text: 'b' }]), false, 'order alone is no change');
    assert.equal(textsChanged(two, [{ path: 'block.ts', text: 'b' }, { path: 'attention.ts', text: 'a!' }]), true, 'the second file changed');
    assert.equal(textsChanged(two, [{ path: 'block.ts', text: 'b!' }, { path: 'attention.ts', text: 'a' }]), true, 'the first file changed');
    assert.equal(textsChanged(two, [{ path: 'block.ts', text: 'b' }]), true, 'a file went missing');
    assert.equal(textsChanged(two, [{ path: 'block.ts', text: 'b' }, { path: 'other.ts', text: 'a' }]), true, 'same text under another name');
    assert.equal(textsChanged(two, [...two, { path: 'extra.ts', text: '' }]), true, 'a file more');
  });

  const checked = [{ path: 'attention.ts', text: 'a' }];

  it('is false when the same text is still there, even if the file was opened meanwhile', () => {
    assert.equal(textsChanged(checked, [{ path: 'attention.ts', text: 'a' }]), false);
  });

  it('is true after any edit, or when the set of files differs', () => {
    assert.equal(textsChanged(checked, [{ path: 'attention.ts', text: 'ab' }]), true);
    assert.equal(textsChanged(checked, []), true);
  });
});
