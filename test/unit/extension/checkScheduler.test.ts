// When checks run, as the controller asks the scheduler: the same text joins the run in flight
// (a save right after typing does not abort and restart it), newer text aborts it, a save of text
// already checked runs nothing, and the CodeLens provider can wait for the run in flight.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckScheduler } from '../../../src/checks/runScheduler';
import { epochMs, RunTrace } from '../../../src/checks/runTrace';

type Texts = { path: string; text: string }[];
const t = (text: string): Texts => [{ path: 'attention.ts', text }];

/** A run that takes `ms` and records its text, and whether it saw its signal abort. */
function runner(ms: number) {
  const started: string[] = [];
  const aborted: string[] = [];
  const launch = (text: string) => async (signal: AbortSignal) => {
    started.push(text);
    await sleep(ms);
    if (signal.aborted) {
      aborted.push(text);
      return undefined;
    }
    return text;
  };
  return { started, aborted, launch };
}

describe('CheckScheduler', () => {
  it('a save right after typing joins the run of the same text instead of aborting it', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const r = runner(40);
    const typing = s.run(t('a'), r.launch('a'), { join: true });
    const save = s.run(t('a'), r.launch('a'), { join: true, skipIfChecked: true });
    assert.equal(save, typing, 'the same promise');
    assert.equal(await typing, 'a');
    assert.deepEqual(r.started, ['a']);
    assert.deepEqual(r.aborted, []);
  });

  it('newer text aborts the run in flight; only the newest answers', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const r = runner(40);
    const first = s.run(t('a'), r.launch('a'), { join: true });
    const second = s.run(t('b'), r.launch('b'), { join: true });
    assert.equal(await first, undefined);
    assert.equal(await second, 'b');
    assert.deepEqual(r.aborted, ['a']);
  });

  it('a save of text that was already checked runs nothing; Run Checks on it runs again', async () => {
    let checked: Texts | undefined;
    const s = new CheckScheduler<string>(() => checked);
    const r = runner(5);
    checked = t('a');
    assert.equal(await s.run(t('a'), r.launch('a'), { join: true, skipIfChecked: true }), undefined);
    assert.deepEqual(r.started, []);
    assert.equal(await s.run(t('a'), r.launch('a'), { join: true }), 'a');
    assert.equal(await s.run(t('b'), r.launch('b'), { join: true, skipIfChecked: true }), 'b');
  });

  it('without join (limits changed) the same text runs again', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const r = runner(30);
    const first = s.run(t('a'), r.launch('a'), { join: true });
    const again = s.run(t('a'), r.launch('a'));
    assert.notEqual(again, first);
    assert.equal(await first, undefined);
    assert.equal(await again, 'a');
  });

  it('is busy from the first keystroke to the answer, and whenIdle resolves then', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const r = runner(30);
    assert.equal(s.busy, false);
    // The controller publishes inside the run, before it ends: that is what a waiting lens needs.
    let answered: string | undefined;
    const publishing = (text: string) => async (signal: AbortSignal) => (answered = await r.launch(text)(signal));
    s.schedule(20, () => void s.run(t('a'), publishing('a')));
    assert.equal(s.busy, true, 'the typing pause counts');
    const idle = s.whenIdle(5000).then(() => answered);
    await sleep(30);
    assert.equal(s.busy, true, 'the run in flight counts');
    assert.equal(await idle, 'a', 'idle only once the run has answered');
    assert.equal(s.busy, false);
  });

  it('whenIdle gives up after its limit', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    void s.run(t('a'), () => new Promise(() => undefined));
    const t0 = Date.now();
    await s.whenIdle(30);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(s.busy, true);
    s.dispose();
  });
});

describe('CheckScheduler: cancelling, idling and disposing', () => {
  /** Which comes first: `p`, or `ms` passing (the limits here are far apart, so the verdict does not depend on load). */
  const first = (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => 'settled'), sleep(ms).then(() => 'timer')]);

  it('cancelScheduled drops the pending run and frees whoever waits for it', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    let fired = 0;
    s.schedule(30, () => fired++);
    const idle = s.whenIdle(60_000);
    s.cancelScheduled();
    assert.equal(s.busy, false);
    assert.equal(await first(idle, 5000), 'settled');
    await sleep(60);
    assert.equal(fired, 0);
  });

  it('whenIdle resolves at once when nothing is scheduled or running, and as soon as a run ends otherwise', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    assert.equal(await first(s.whenIdle(60_000), 5000), 'settled', 'idle already');
    const r = runner(20);
    const run = s.run(t('a'), r.launch('a'));
    assert.equal(await first(s.whenIdle(60_000), 5000), 'settled', 'the run ended long before the limit');
    assert.equal(await run, 'a');
  });

  it('knows which signal is the latest while runs overlap', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const signals: AbortSignal[] = [];
    const launch = async (signal: AbortSignal) => {
      signals.push(signal);
      await sleep(20);
      return 'done';
    };
    const a = s.run(t('a'), launch);
    assert.equal(s.isLatest(signals[0]), true);
    const b = s.run(t('b'), launch);
    assert.equal(s.isLatest(signals[0]), false);
    assert.equal(s.isLatest(signals[1]), true);
    await Promise.all([a, b]);
    assert.equal(s.isLatest(signals[1]), false, 'a run that ended is no longer the latest');
  });

  it('an aborted run that ends late leaves the newer run joinable', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const started: string[] = [];
    const launch = (text: string, ms: number) => async (signal: AbortSignal) => {
      started.push(text);
      await sleep(ms);
      return signal.aborted ? undefined : text;
    };
    const a = s.run(t('a'), launch('a', 10), { join: true });
    const b = s.run(t('b'), launch('b', 150), { join: true });
    assert.equal(await a, undefined, 'a was aborted by b, and has ended');
    assert.equal(s.run(t('b'), launch('b', 150), { join: true }), b, 'a save of b joins b');
    assert.equal(await b, 'b');
    assert.deepEqual(started, ['a', 'b']);
  });

  it('a run that ends after dispose still settles', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const r = runner(20);
    const run = s.run(t('a'), r.launch('a'));
    s.dispose();
    assert.equal(await run, undefined, 'aborted by dispose, and it resolves rather than throws');
  });

  it('a run that ended is not joined: the same text later runs again', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    const r = runner(5);
    assert.equal(await s.run(t('a'), r.launch('a'), { join: true }), 'a');
    assert.equal(await s.run(t('a'), r.launch('a'), { join: true }), 'a');
    assert.deepEqual(r.started, ['a', 'a']);
  });

  it('dispose aborts the run in flight, drops the pending one and frees the waiters', async () => {
    const s = new CheckScheduler<string>(() => undefined);
    let signal: AbortSignal | undefined;
    void s.run(t('a'), (sig) => ((signal = sig), new Promise(() => undefined)));
    let fired = 0;
    s.schedule(30, () => fired++);
    const idle = s.whenIdle(60_000);
    s.dispose();
    assert.equal(signal?.aborted, true);
    assert.equal(await first(idle, 5000), 'settled');
    await sleep(60);
    assert.equal(fired, 0);
    assert.equal(s.busy, false);
  });
});

describe('RunTrace', () => {
  it('says how long each step took, from the last edit', () => {
    const tr = new RunTrace(7, 'typing', 1000);
    tr.mark('start', 1400);
    tr.mark('sidecar', 1403);
    tr.mark('worker', 1404);
    tr.mark('workerDone', 1450);
    tr.mark('answer', 1452);
    tr.mark('published', 1453);
    tr.mark('diagnostics', 1455);
    tr.mark('status', 1455);
    assert.equal(
      tr.format('status'),
      'trace run 7 (typing): edit, edit→start 400 ms, start→sidecar 3 ms, sidecar→worker 1 ms, worker→workerDone 46 ms, workerDone→answer 2 ms, answer→published 1 ms, published→diagnostics 2 ms, diagnostics→status 0 ms; 455 ms from the last edit to status',
    );
    tr.mark('lens', 1700);
    tr.mark('lens', 1900);
    assert.equal(tr.since('lens'), 700, 'the first lens counts');
    assert.equal(new RunTrace(1, 'command').since('start'), undefined);
  });

  it('stops at the mark asked for, counts the lens, and leaves out the total it cannot know', () => {
    const tr = new RunTrace(4, 'save', 0);
    tr.mark('start', 10);
    tr.mark('answer', 30);
    tr.mark('published', 31);
    assert.equal(tr.format('answer'), 'trace run 4 (save): edit, edit→start 10 ms, start→answer 20 ms; 30 ms from the last edit to answer');
    assert.equal(tr.has('published'), true);
    assert.equal(tr.has('lens'), false);
    assert.equal(tr.since('lens'), undefined, 'no lens yet');
    assert.equal(tr.format(), 'trace run 4 (save): edit, edit→start 10 ms, start→answer 20 ms, answer→published 1 ms', 'up to the status bar by default; no total without it');
    tr.mark('status', 35);
    tr.mark('lens', 50);
    assert.equal(tr.format('lens'), 'trace run 4 (save): edit, edit→start 10 ms, start→answer 20 ms, answer→published 1 ms, published→status 4 ms, status→lens 15 ms; 50 ms from the last edit to lens');
  });

  it('measures on the epoch clock, as the sidecar does', () => {
    assert.ok(Math.abs(epochMs() - Date.now()) < 1000, `${epochMs()} against ${Date.now()}`);
  });

  it('keeps the sidecar\'s times when its clock agrees with the host\'s', () => {
    const tr = new RunTrace(1, 'typing', 1000);
    tr.mark('start', 1400);
    tr.mark('answer', 1452);
    tr.markSidecar({ received: 1403, workerStarted: 1404, workerDone: 1450 });
    assert.match(tr.format('answer'), /start→sidecar 3 ms, sidecar→worker 1 ms, worker→workerDone 46 ms, workerDone→answer 2 ms;/);
  });

  it('centres the sidecar\'s span in the host\'s window when its clock is off, keeping its durations', () => {
    // As in a CI run: the sidecar's clock 500 ms ahead of the host's.
    for (const offset of [500, -500]) {
      const tr = new RunTrace(1, 'typing', 1000);
      tr.mark('start', 1400);
      tr.mark('answer', 1460);
      tr.markSidecar({ received: 1410 + offset, workerStarted: 1412 + offset, workerDone: 1450 + offset });
      assert.match(tr.format('answer'), /start→sidecar 10 ms, sidecar→worker 2 ms, worker→workerDone 38 ms, workerDone→answer 10 ms;/, `offset ${offset}`);
    }
    // Only a receipt (an older sidecar, or no worker): its trip is split the same way.
    const tr = new RunTrace(2, 'command');
    tr.mark('start', 100);
    tr.mark('answer', 120);
    tr.markSidecar({ received: 9000 });
    assert.equal(tr.format('answer'), 'trace run 2 (command): start, start→sidecar 10 ms, sidecar→answer 10 ms; 20 ms from the start to answer');
    // A sidecar span longer than the host's window (cannot happen unless a clock ran fast): no negative trips.
    const fast = new RunTrace(3, 'command');
    fast.mark('start', 0);
    fast.mark('answer', 10);
    fast.markSidecar({ received: 500, workerDone: 530 });
    assert.match(fast.format('answer'), /start→sidecar 0 ms, sidecar→workerDone 30 ms/);
  });

  it('moves nothing at the window\'s edges, or before the answer is in', () => {
    const at = (received: number, workerDone: number, marks: Partial<Record<'start' | 'answer', number>>) => {
      const tr = new RunTrace(1, 'command');
      if (marks.start !== undefined) tr.mark('start', marks.start);
      if (marks.answer !== undefined) tr.mark('answer', marks.answer);
      tr.markSidecar({ received, workerDone });
      return [tr.since('sidecar'), tr.since('workerDone')];
    };
    assert.deepEqual(at(100, 150, { start: 100, answer: 200 }), [0, 50], 'received as the run started');
    assert.deepEqual(at(150, 200, { start: 100, answer: 200 }), [50, 100], 'done as the answer came');
    assert.deepEqual(at(900, 950, { start: 100 }), [800, 850], 'no answer yet: nothing to place it in');
    assert.deepEqual(at(50, 60, { start: 100 }), [-50, -40], 'no answer yet, received before the start: kept as it is');
    assert.deepEqual(at(900, 950, { answer: 200 }), [0, 50], 'no start: kept as it is');
  });
});
