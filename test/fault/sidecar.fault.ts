// The compute sidecar under faults and load: SIGKILL in the middle of checks (restarted,
// retried, nothing lost) and 1,000 consecutive runs of changing learner code (no tensor leak,
// bounded memory).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { alive, cmdline, cpuSeconds, descendants } from '../support/procTree';
import { join } from 'node:path';
import type { SidecarClient } from '../../core/compute/sidecarClient';
import { findLab, loadLabs } from '../../core/labs/labLoader';
import { repoRoot } from '../support/repoRoot';
import { testSidecar } from '../support/sidecar';
import { record } from './faultTable';

const root = repoRoot(__dirname);
const lab = findLab(loadLabs(join(root, 'labs')).labs, '01-attention')!;
const solution = readFileSync(join(root, 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8');
const visible = lab.manifest.checks.filter((c) => !c.hidden).map((c) => c.id);
const LIMITS = { timeoutMs: 10_000, memoryMb: 512 };

describe('fault: the compute sidecar', function () {
  this.timeout(600_000);
  let client: SidecarClient;
  before(async () => {
    // 25 deliberate kills in a row: lift the crash-loop guard that would (rightly) stop a real loop.
    client = testSidecar({ maxRestartsPerMinute: 100 });
    await client.start();
  });
  after(async () => client.dispose());

  it('SIGKILL in the middle of a check run: restarted, retried, every result reported (25 kills)', async () => {
    let survived = 0;
    let lost = 0;
    for (let i = 0; i < 25; i++) {
      const pid = client.pid!;
      // A slow but correct softmax keeps the run busy long enough to be killed inside it.
      const text = solution.replace('let max = -Infinity;', `let max = -Infinity; const until = Date.now() + 40; while (Date.now() < until) {} // ${i}`);
      const pending = client.runChecks({ labId: lab.manifest.id, files: [{ path: 'attention.ts', text }], checkIds: visible, limits: LIMITS });
      setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 20 + Math.random() * 150);
      const r = await pending;
      const complete = r.results.length === visible.length && r.results.every((x) => x.status === 'pass');
      if (complete && client.pid !== pid) survived++;
      else lost++;
    }
    record({ fault: 'SIGKILL of the sidecar mid-check', tried: 25, survived, lostData: lost });
    assert.equal(lost, 0);
  });

  /** A fresh sidecar whose check process spins in learner code: the processes below it once a second of CPU time is spent there. */
  async function spinningSidecar(): Promise<{ sidecar: SidecarClient; pid: number; below: number[] }> {
    const sidecar = testSidecar();
    await sidecar.start();
    const pid = sidecar.pid!;
    const endless = solution.replace('let max = -Infinity;', 'let max = -Infinity; for (;;) {}');
    void sidecar.runChecks({ labId: lab.manifest.id, files: [{ path: 'attention.ts', text: endless }], checkIds: visible, limits: { timeoutMs: 60_000, memoryMb: 512 } }).catch(() => undefined);
    // Killed only once the loop is spinning: the check process is started for the run, then spends CPU time.
    const spinning = Date.now() + 30_000;
    while (Date.now() < spinning && Math.max(0, ...descendants(pid).map(cpuSeconds)) < 1) await new Promise((r) => setTimeout(r, 200));
    const below = descendants(pid);
    if (Math.max(0, ...below.map(cpuSeconds)) < 1) {
      await sidecar.dispose();
      assert.fail(`the loop does not spin: ${below.map((p) => `${p} ${cpuSeconds(p)} s`).join(', ') || 'no process below the sidecar'}`);
    }
    return { sidecar, pid, below };
  }

  it('SIGKILL of the sidecar while learner code loops forever: its check process dies with it, not left spinning', async () => {
    const { sidecar, pid, below } = await spinningSidecar();
    try {
      process.kill(pid, 'SIGKILL');
      const gone = Date.now() + 10_000;
      while (Date.now() < gone && below.some(alive)) await new Promise((r) => setTimeout(r, 100));
      const left = below.filter(alive);
      record({ fault: 'SIGKILL of the sidecar during an endless loop', tried: 1, survived: left.length === 0 ? 1 : 0, lostData: 0 });
      assert.deepEqual(left.map((p) => `${p}: ${cmdline(p)}`), [], 'processes left running after the sidecar was killed');
    } finally {
      await sidecar.dispose();
    }
  });

  it('SIGKILL of the sidecar during an endless loop with nobody left to clean up: the kernel ends its check process', async () => {
    // The client kills the sidecar's process group when it sees the sidecar die. Here it cannot:
    // this process waits synchronously after the kill, as a client killed together with its sidecar
    // would never look (a test runner's or a shell's kill of the whole tree; once, a check process
    // spun on for half an hour after a mutation-testing run). What ends it then is the kernel
    // (setpriv --pdeathsig KILL around the wrapper, sidecar/runner/osIsolation.ts).
    const { sidecar, pid, below } = await spinningSidecar();
    try {
      process.kill(pid, 'SIGKILL');
      const pause = new Int32Array(new SharedArrayBuffer(4));
      const gone = Date.now() + 5_000;
      while (Date.now() < gone && below.some(alive)) Atomics.wait(pause, 0, 0, 50);
      const left = below.filter(alive);
      record({ fault: 'SIGKILL of the sidecar during an endless loop, client not looking', tried: 1, survived: left.length === 0 ? 1 : 0, lostData: 0 });
      assert.deepEqual(left.map((p) => `${p}: ${cmdline(p)}`), [], 'processes left running after the sidecar was killed');
    } finally {
      await sidecar.dispose();
    }
  });

  it('1,000 runs on changing code: live tensors back to baseline, resident memory grows < 50 MB', async () => {
    const warm = async (i: number) => {
      const text = solution.replace('const d = query.length;', `const d = query.length + ${i % 7} - ${i % 7};`) + `\n// run ${i}\n`;
      const r = await client.runChecks({ labId: lab.manifest.id, files: [{ path: 'attention.ts', text }], checkIds: visible, limits: LIMITS });
      assert.ok(r.results.every((x) => x.status === 'pass'), `run ${i}: ${r.results.find((x) => x.status !== 'pass')?.message}`);
    };
    for (let i = 0; i < 50; i++) await warm(-i - 1);
    const before = await client.stats();
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) await warm(i);
    const after = await client.stats();
    const growthMb = (after.rssBytes - before.rssBytes) / 1048576;
    console.log(`      1000 runs in ${((Date.now() - t0) / 1000).toFixed(1)} s; tensors ${before.numTensors} → ${after.numTensors}; rss ${(before.rssBytes / 1048576).toFixed(0)} → ${(after.rssBytes / 1048576).toFixed(0)} MB (${growthMb.toFixed(1)} MB)`);
    record({ fault: '1,000 consecutive check runs', tried: 1000, survived: after.numTensors === before.numTensors && growthMb < 50 ? 1000 : 0, lostData: 0 });
    assert.equal(after.numTensors, before.numTensors);
    assert.ok(growthMb < 50, `resident memory grew ${growthMb.toFixed(1)} MB`);
    assert.equal(after.workerRestarts, before.workerRestarts, 'no run hit a limit or crashed the worker');
  });
});
