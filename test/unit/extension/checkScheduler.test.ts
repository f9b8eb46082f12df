// When checks run, as the controller asks the scheduler: the same text joins the run in flight
// (a save right after typing does not abort and restart it), newer text aborts it, a save of text
// already checked runs nothing, and the CodeLens provider can wait for the run in flight.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckScheduler } from '../../../src/checks/runScheduler';
import { RunTrace } from '../../../src/checks/runTrace';

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
});
