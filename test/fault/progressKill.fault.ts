// 200 kills of a process while it writes progress: the file is always the old or the new
// state, never something in between.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressStore } from '../../core/progress/progressStore';
import { record } from './faultTable';

const WRITER = `
const { ProgressStore } = require(${JSON.stringify(join(__dirname, '..', '..', 'core', 'progress', 'progressStore'))});
const s = new ProgressStore(process.argv[1]);
s.load();
let n = s.get('lab')?.bestScore ?? 0;
(async () => { for (;;) { n++; await s.update('lab', (p) => ({ ...p, bestScore: n, checksPassed: Array.from({ length: n % 50 }, (_, i) => 'check-' + i) })); } })();
process.stdout.write('ready\\n');
`;

describe('fault: killing a process while it writes progress', function () {
  this.timeout(300_000);

  it('never leaves a corrupted or half-written progress file (200 SIGKILLs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-progress-kill-'));
    const file = join(dir, 'progress.json');
    let survived = 0;
    let lost = 0;
    let lastScore = 0;
    for (let i = 0; i < 200; i++) {
      const child = spawn(process.execPath, ['-e', WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((r) => child.stdout!.once('data', () => r()));
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 20));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const s = new ProgressStore(file);
      s.load();
      const score = s.get('lab')?.bestScore ?? 0;
      if (s.corruption || score < lastScore) lost++;
      else survived++;
      lastScore = score;
    }
    // A temp file or the lock of a killed writer may stay behind (the next writer takes a dead
    // writer's lock over); nothing may be set aside as corrupt.
    const leftovers = readdirSync(dir).filter((f) => f !== 'progress.json' && !f.endsWith('.tmp') && !f.endsWith('.lock'));
    record({ fault: 'SIGKILL while writing progress', tried: 200, survived, lostData: lost });
    assert.equal(lost, 0);
    assert.deepEqual(leftovers, [], 'no file was set aside as corrupt');
    assert.ok(existsSync(file));
    assert.ok(lastScore > 0, 'the writer made progress between kills');
  });
});
