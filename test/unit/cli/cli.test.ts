// The instructor's command line, run as a real process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';

const CLI = join(findBuildPaths(__dirname).buildRoot, 'cli', 'main.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('transformer-labs CLI', function () {
  this.timeout(60_000);

  it('list shows each lab with its checks and points', () => {
    const r = cli('list');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /01-attention\s+Attention from scratch\s+\(v1\.0\.0, 23 checks, 6 hidden, 32 points\)/);
  });

  it('new + grade: prints the report, writes grade-report.json, exits 0 whatever the score', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'alice');
    assert.equal(cli('new', '01-attention', dir).code, 0);
    const r = cli('grade', dir, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.score, 0);
    assert.equal(report.maxScore, 32);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'grade-report.json'), 'utf8')).score, 0);
  });

  it('new --solution from a source checkout grades 32/32', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'key');
    assert.equal(cli('new', '1', dir, '--solution').code, 0);
    const r = cli('grade', dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /32\/32 points \(100%\)/);
    // The instructor sees what contained the submission (wasm here: the permission model holds).
    assert.match(r.err, /containment of the submission:\n  ✓ Node's permission model: it reads only the extension's own files/);
    assert.match(r.err, /  ✓ an empty environment/);
  });

  it('grade on a folder that is not a lab says so and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    const r = cli('grade', dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /is not a lab folder/);
    assert.equal(existsSync(join(dir, 'grade-report.json')), false);
  });

  it('an unknown command or lab prints usage and exits 2', () => {
    assert.equal(cli('frobnicate').code, 2);
    const r = cli('new', 'no-such-lab', mkdtempSync(join(tmpdir(), 'tl-cli-')));
    assert.equal(r.code, 2);
    assert.match(r.err, /no lab "no-such-lab"; known: 01-attention/);
  });
});
