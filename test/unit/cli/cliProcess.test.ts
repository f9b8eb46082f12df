// The command line as a real process (out/cli/main.js): what only the process shows — the exit
// code reaching the shell, and Ctrl+C as a signal reaching grade-all (a second press, which ends the
// process at once, is gradeAll.test.ts's, in process). Everything else runs in the test's process (support/cliInProcess.ts).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { lab1Attention, writeLab1Folder } from '../../support/classSubmissions';
import { repoRoot } from '../../support/repoRoot';

const CLI = join(findBuildPaths(__dirname).buildRoot, 'cli', 'main.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** grade-all on `n` submissions whose code never ends, with SIGINT sent once grading starts. */
function interrupted(n: number): Promise<{ code: number | null; out: string; err: string }> {
  const cls = mkdtempSync(join(tmpdir(), 'tl-cli-sigint-'));
  for (let i = 0; i < n; i++) writeLab1Folder(join(cls, `l${i}`), lab1Attention('looping', i));
  const child = spawn(process.execPath, [CLI, 'grade-all', cls, '--jobs', '1', '--time-limit', '3000', '--out', join(cls, 'g.csv')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let sent = false;
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    if (!sent && /^grading \d+ submission/m.test(err)) {
      sent = true;
      setTimeout(() => child.kill('SIGINT'), 300);
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('transformer-labs CLI as a process', function () {
  this.timeout(120_000);

  it('exits with the code the command gives: 0 done, 1 failed, 2 usage (with the usage text)', () => {
    const version = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    const v = run('--version');
    assert.equal(v.code, 0, v.err);
    assert.equal(v.out.trim(), version);
    const usage = run('frobnicate');
    assert.equal(usage.code, 2);
    assert.match(usage.err, /unknown command "frobnicate"[\s\S]*Usage: transformer-labs <command>/);
    const full = mkdtempSync(join(tmpdir(), 'tl-cli-full-'));
    writeFileSync(join(full, 'x.txt'), 'x');
    const failed = run('new-lab', full);
    assert.equal(failed.code, 1, failed.out + failed.err);
    assert.doesNotMatch(failed.err, /Usage:/);
  });

  it('Ctrl+C stops grade-all with 130, keeping what was graded and saying how to resume', async () => {
    const r = await interrupted(3);
    assert.equal(r.code, 130, r.err);
    assert.match(r.err, /stopping: the submissions in progress are dropped/);
    assert.match(r.out, /stopped by Ctrl\+C after \d of 3: run again with --resume/);
  });
});
