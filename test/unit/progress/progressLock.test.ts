// The progress file's lock and its re-read cache (issue 18's mutation run left them unguarded):
// a live holder is waited for, a dead, stale or hung one is taken over, a lock that cannot be
// created is an error, and a file another window rewrote is read again only when it changed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressStore } from '../../../core/progress/progressStore';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `p` has settled after the event loop has had `ms` to run. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  p.then(() => (settled = true), () => (settled = true));
  await sleep(ms);
  return settled;
}

describe('progress store: the lock shared by windows', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tl-progress-lock-'));
    file = join(dir, 'progress.json');
  });

  it('waits while a live window holds the lock, then writes once it is released', async () => {
    writeFileSync(`${file}.lock`, String(process.pid));
    const s = new ProgressStore(file);
    s.load();
    const pending = s.update('lab', (p) => ({ ...p, bestScore: 4 }));
    assert.equal(await settledWithin(pending, 400), false, 'the update waits for the holder');
    assert.equal(existsSync(file), false, 'nothing written while another window holds the lock');
    unlinkSync(`${file}.lock`);
    await pending;
    assert.equal(s.get('lab')?.bestScore, 4);
  });

  it('honours a fresh lock whose content is not a usable pid (a negative one is never signalled)', async () => {
    // kill(-n, 0) would ask about a process group and answer "gone": the lock must still count.
    writeFileSync(`${file}.lock`, '-999999');
    const s = new ProgressStore(file);
    const pending = s.update('lab', (p) => ({ ...p, bestScore: 2 }));
    assert.equal(await settledWithin(pending, 400), false);
    unlinkSync(`${file}.lock`);
    await pending;
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).labs.lab.bestScore, 2);
  });

  it('takes over a stale lock (older than 10 s) even when its pid is alive', async () => {
    writeFileSync(`${file}.lock`, String(process.pid));
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    const s = new ProgressStore(file);
    const pending = s.update('lab', (p) => ({ ...p, bestScore: 5 }));
    assert.equal(await settledWithin(pending, 1500), true, 'no wait for a stale lock');
    assert.equal(s.get('lab')?.bestScore, 5);
    assert.deepEqual(readdirSync(dir), ['progress.json'], 'the stale lock is gone');
  });

  it('gives up waiting for a hung holder after about 5 s and takes the lock over', async () => {
    writeFileSync(`${file}.lock`, String(process.pid));
    const s = new ProgressStore(file);
    const t0 = Date.now();
    const pending = s.update('lab', (p) => ({ ...p, bestScore: 6 }));
    assert.equal(await settledWithin(pending, 1000), false);
    await pending;
    // After the 5-s wait, not at the 10-s staleness: the margin (4 s) absorbs a loaded machine.
    const waited = Date.now() - t0;
    assert.ok(waited >= 4900 && waited < 9000, `took over after ${waited} ms`);
    assert.equal(s.get('lab')?.bestScore, 6);
  });

  it('holds the lock with its own pid while applying the change, and closes what it opened', async () => {
    const s = new ProgressStore(file);
    s.load();
    await s.update('warm-up', (p) => p);
    const fds = readdirSync('/proc/self/fd').length;
    let inside = '';
    await s.update('lab', (p) => {
      inside = readFileSync(`${file}.lock`, 'utf8');
      return { ...p, bestScore: 1 };
    });
    assert.equal(inside, String(process.pid));
    assert.equal(readdirSync('/proc/self/fd').length, fds, 'no file descriptor left open');
    assert.equal(existsSync(`${file}.lock`), false);
    assert.ok(readFileSync(file, 'utf8').endsWith('}\n'), 'the file ends with a newline');
  });

  it('an update whose lock cannot be created fails with the reason instead of waiting forever', async () => {
    // The lock's name is 5 characters longer than the file's: too long for the file system.
    const long = join(dir, `${'p'.repeat(250)}.json`);
    const s = new ProgressStore(long);
    await assert.rejects(s.update('lab', (p) => p), /ENAMETOOLONG/);
  });
});

describe('progress store: reading what another window wrote', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tl-progress-read-'));
    file = join(dir, 'progress.json');
  });

  const body = (score: number) => JSON.stringify({ schemaVersion: 1, labs: { lab: { bestScore: score, checksPassed: [] } } });

  /** A whole second, so that setting it back restores the exact mtime the store saw. */
  const T = Math.floor(Date.now() / 1000) - 100;

  /** Rewrites the file with `text` of the same size at the same mtime, as if it had not changed. */
  function rewriteUnnoticed(text: string): void {
    assert.equal(statSync(file).mtimeMs, T * 1000);
    writeFileSync(file, text);
    utimesSync(file, T, T);
  }

  it('re-reads the file only when its time or size changed (not on every get)', async () => {
    writeFileSync(file, body(3));
    utimesSync(file, T, T);
    const s = new ProgressStore(file);
    s.load();
    rewriteUnnoticed(body(7));
    assert.equal(s.get('lab')?.bestScore, 3, 'same mtime and size after load(): the copy in memory is used');
    writeFileSync(file, body(12));
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    assert.equal(s.get('lab')?.bestScore, 12, 'a change on disk is read');
  });

  it('keeps its copy when the file another window left is unreadable or of the wrong shape', () => {
    writeFileSync(file, body(3));
    const s = new ProgressStore(file);
    s.load();
    const later = new Date(Date.now() + 5_000);
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, labs: { lab: { bestScore: 'many' } } }));
    utimesSync(file, later, later);
    assert.equal(s.get('lab')?.bestScore, 3);
    writeFileSync(file, '{"schemaVersion":1,');
    assert.equal(s.get('lab')?.bestScore, 3);
    unlinkSync(file);
    assert.equal(s.get('lab')?.bestScore, 3);
    assert.equal(s.corruption, undefined, 'only load() sets a file aside');
  });
});
