// Progress survives restarts; writes are atomic; a corrupted file is set aside and
// reported, never silently reset.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressStore } from '../../../core/progress/progressStore';

describe('progress store', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tl-progress-'))));

  it('writes schema version 1, and sets aside a file of another version rather than misread it', async () => {
    const file = join(dir, 'progress.json');
    const a = new ProgressStore(file);
    a.load();
    await a.update('01-attention', (p) => ({ ...p, bestScore: 3 }));
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).schemaVersion, 1);
    writeFileSync(file, JSON.stringify({ schemaVersion: 2, labs: { '01-attention': { bestScore: 5, checksPassed: [] } } }));
    const b = new ProgressStore(file);
    b.load();
    assert.ok(b.corruption, 'a version-2 file is reported');
    assert.equal(b.get('01-attention'), undefined);
  });

  it('keeps the best score when two windows grade: the update sees the other window\'s score', async () => {
    const file = join(dir, 'progress.json');
    const a = new ProgressStore(file);
    const b = new ProgressStore(file);
    a.load();
    b.load();
    const best = (score: number) => <P extends { bestScore?: number }>(p: P): P => ({ ...p, bestScore: Math.max(p.bestScore ?? 0, score) });
    await a.update('01-attention', best(20));
    await b.update('01-attention', best(12));
    assert.equal(b.get('01-attention')?.bestScore, 20);
    const c = new ProgressStore(file);
    c.load();
    assert.equal(c.get('01-attention')?.bestScore, 20);
    assert.deepEqual(c.get('01-attention')?.checksPassed, [], 'checksPassed defaults to none');
  });

  it('persists across a reload', async () => {
    const a = new ProgressStore(join(dir, 'progress.json'));
    a.load();
    await a.update('01-attention', (p) => ({ ...p, bestScore: 12, maxScore: 32 }));
    const b = new ProgressStore(join(dir, 'progress.json'));
    b.load();
    assert.equal(b.get('01-attention')?.bestScore, 12);
    assert.equal(b.corruption, undefined);
  });

  it('two windows on one file: neither overwrites the other\'s labs, and each sees the other\'s updates', async () => {
    const file = join(dir, 'progress.json');
    const a = new ProgressStore(file);
    const b = new ProgressStore(file);
    a.load();
    b.load();
    await a.update('01-attention', (p) => ({ ...p, workspace: '/course/lab1', bestScore: 20, maxScore: 32 }));
    // b loaded before a wrote: it must not write its stale copy back.
    await b.update('02-transformer-block', (p) => ({ ...p, workspace: '/course/lab2' }));
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(saved.labs['01-attention'].workspace, '/course/lab1');
    assert.equal(saved.labs['02-transformer-block'].workspace, '/course/lab2');
    assert.equal(b.get('01-attention')?.workspace, '/course/lab1', 'b sees the Lab 1 folder a recorded');
    assert.equal(a.get('02-transformer-block')?.workspace, '/course/lab2', 'a sees b\'s update without reloading');
    // The best score is kept whichever window grades last.
    const best = (score: number) => <P extends { bestScore?: number }>(p: P): P => ({ ...p, bestScore: Math.max(p.bestScore ?? 0, score) });
    await b.update('01-attention', best(12) as never);
    assert.equal(a.get('01-attention')?.bestScore, 20);
    await Promise.all([a.update('03-positional-encodings', (p) => ({ ...p, bestScore: 5 })), b.update('06-mini-gpt', (p) => ({ ...p, bestScore: 7 }))]);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8')).labs).sort(), ['01-attention', '02-transformer-block', '03-positional-encodings', '06-mini-gpt']);
    assert.deepEqual(readdirSync(dir), ['progress.json'], 'no lock or temp file left');
  });

  it('takes over the lock of a window that died holding it', async () => {
    const file = join(dir, 'progress.json');
    writeFileSync(`${file}.lock`, '999999999');
    const s = new ProgressStore(file);
    s.load();
    const t0 = Date.now();
    await s.update('lab', (p) => ({ ...p, bestScore: 1 }));
    assert.ok(Date.now() - t0 < 2000, 'no wait for a dead holder');
    assert.equal(s.get('lab')?.bestScore, 1);
  });

  it('serializes concurrent updates (none is lost) and leaves no temp files', async () => {
    const s = new ProgressStore(join(dir, 'progress.json'));
    s.load();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.update('lab', (p) => ({ ...p, checksPassed: [...p.checksPassed, `c${i}`] }))));
    const saved = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8'));
    assert.equal(saved.labs.lab.checksPassed.length, 20);
    assert.deepEqual(readdirSync(dir), ['progress.json']);
  });

  it('reads a lab record without checksPassed as none passed', () => {
    const file = join(dir, 'progress.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, labs: { lab: { bestScore: 3 } } }));
    const s = new ProgressStore(file);
    s.load();
    assert.deepEqual(s.get('lab'), { bestScore: 3, checksPassed: [] });
  });

  for (const [what, text, reason] of [
    ['truncated JSON', '{"schemaVersion":1,"labs":{"01-att', /^not valid JSON \(.+\)$/],
    ['a field of the wrong type', '{"schemaVersion":1,"labs":{"x":{"bestScore":"lots"}}}', /^labs\.x\.bestScore: .*expected number/],
    ['no object at the top', '[1, 2]', /^\(top level\): .*expected object/],
  ] as const) {
    it(`says why a file with ${what} was set aside`, () => {
      const file = join(dir, 'progress.json');
      writeFileSync(file, text);
      const s = new ProgressStore(file);
      s.load();
      assert.equal(s.corruption?.file, file);
      assert.match(s.corruption!.reason, reason);
    });
  }

  for (const [what, text] of [
    ['truncated JSON', '{"schemaVersion":1,"labs":{"01-att'],
    ['the wrong shape', '{"schemaVersion":1,"labs":{"x":{"bestScore":"lots"}}}'],
  ]) {
    it(`sets aside a file with ${what}, reports it, and keeps its bytes`, () => {
      const file = join(dir, 'progress.json');
      writeFileSync(file, text);
      const s = new ProgressStore(file);
      s.load(new Date('2026-11-25T03:00:00Z'));
      assert.ok(s.corruption, 'corruption reported');
      assert.equal(existsSync(file), false);
      assert.equal(readFileSync(s.corruption!.movedTo, 'utf8'), text);
      assert.match(s.corruption!.movedTo, /progress\.corrupt-2026-11-25T03-00-00-000Z\.json$/);
      assert.deepEqual(s.all(), {});
    });
  }
});
