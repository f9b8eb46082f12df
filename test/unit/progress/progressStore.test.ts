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

  it('persists across a reload', async () => {
    const a = new ProgressStore(join(dir, 'progress.json'));
    a.load();
    await a.update('01-attention', (p) => ({ ...p, bestScore: 12, maxScore: 32 }));
    const b = new ProgressStore(join(dir, 'progress.json'));
    b.load();
    assert.equal(b.get('01-attention')?.bestScore, 12);
    assert.equal(b.corruption, undefined);
  });

  it('serializes concurrent updates (none is lost) and leaves no temp files', async () => {
    const s = new ProgressStore(join(dir, 'progress.json'));
    s.load();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.update('lab', (p) => ({ ...p, checksPassed: [...p.checksPassed, `c${i}`] }))));
    const saved = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8'));
    assert.equal(saved.labs.lab.checksPassed.length, 20);
    assert.deepEqual(readdirSync(dir), ['progress.json']);
  });

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
