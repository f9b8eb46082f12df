// The instructor's command line, run as a real process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { repoRoot } from '../../support/repoRoot';

const CLI = join(findBuildPaths(__dirname).buildRoot, 'cli', 'main.js');

/** Lab 1's manifest: the counts the CLI prints come from it. */
const LAB1 = JSON.parse(readFileSync(join(repoRoot(), 'labs', '01-attention', 'lab.json'), 'utf8')) as {
  version: string;
  checks: { hidden: boolean; points: number }[];
};
const LAB1_POINTS = LAB1.checks.reduce((s, c) => s + c.points, 0);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('transformer-labs CLI', function () {
  this.timeout(60_000);

  it('list shows each lab with its checks and points', () => {
    const r = cli('list');
    assert.equal(r.code, 0, r.err);
    const hidden = LAB1.checks.filter((c) => c.hidden).length;
    assert.match(r.out, new RegExp(`01-attention\\s+Attention from scratch\\s+\\(v${LAB1.version.replace(/\./g, '\\.')}, ${LAB1.checks.length} checks, ${hidden} hidden, ${LAB1_POINTS} points\\)`));
  });

  it('new + grade: prints the report, writes grade-report.json, exits 0 whatever the score', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'alice');
    assert.equal(cli('new', '01-attention', dir).code, 0);
    const r = cli('grade', dir, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.score, 0);
    assert.equal(report.maxScore, LAB1_POINTS);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'grade-report.json'), 'utf8')).score, 0);
  });

  it('new --solution from a source checkout grades full marks', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'key');
    assert.equal(cli('new', '1', dir, '--solution').code, 0);
    const r = cli('grade', dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`${LAB1_POINTS}/${LAB1_POINTS} points \\(100%\\)`));
    // The instructor sees what contained the submission (wasm here: the permission model holds).
    assert.match(r.err, /containment of the submission:\n  ✓ Node's permission model: it reads only the extension's own files/);
    assert.match(r.err, /  ✓ an empty environment/);
  });

  it('new for a lab built on Lab 1 checks the Lab 1 beside it: the reference while it does not pass, the learner\'s own code once it does', () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    assert.equal(cli('new', '01-attention', join(parent, 'lab1')).code, 0);
    const early = cli('new', '02-transformer-block', join(parent, 'lab2'));
    assert.equal(early.code, 0, early.err);
    assert.match(early.out, /attention\.ts uses the course's reference: in your Lab 1 \(.*lab1\/attention\.ts\), .*multiHeadAttention \(not started\)/);
    assert.doesNotMatch(readFileSync(join(parent, 'lab2', 'attention.ts'), 'utf8'), /Your own code/);

    writeFileSync(join(parent, 'lab1', 'attention.ts'), readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8'));
    const later = cli('new', '06-mini-gpt', join(parent, 'lab6'));
    assert.equal(later.code, 0, later.err);
    assert.match(later.out, /attention\.ts is your own code from Lab 1 \(.*lab1\/attention\.ts\)/);
    assert.match(readFileSync(join(parent, 'lab6', 'attention.ts'), 'utf8'), /^\/\/ Your own code from lab "01-attention"/);
  });

  it('grade on a folder that is not a lab says so and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    const r = cli('grade', dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /is not a lab folder/);
    assert.equal(existsSync(join(dir, 'grade-report.json')), false);
  });

  it('hint opens the next hint of a function, shows the ones opened before, and records them', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'bob');
    assert.equal(cli('new', '01-attention', dir).code, 0);
    const hints = (JSON.parse(readFileSync(join(repoRoot(), 'labs', '01-attention', 'lab.json'), 'utf8')) as { hints: Record<string, string[]> }).hints.softmax;
    assert.ok(hints.length >= 2, 'Lab 1 has progressive hints for softmax');
    const first = cli('hint', dir, 'softmax');
    assert.equal(first.code, 0, first.err);
    assert.equal(first.out, `hint 1 of ${hints.length}: ${hints[0]}\n`);
    const second = cli('hint', dir, 'softmax');
    assert.equal(second.out, `hint 1 of ${hints.length}: ${hints[0]}\nhint 2 of ${hints.length}: ${hints[1]}\n`);
    const report = JSON.parse(cli('grade', dir, '--json').out);
    assert.deepEqual(report.hintsOpened, { softmax: { opened: 2, of: hints.length } });
    const bad = cli('hint', dir, 'nope');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /01-attention has no function "nope"; its functions: softmax, attendOne/);
  });

  it('an unknown command or lab prints usage and exits 2', () => {
    assert.equal(cli('frobnicate').code, 2);
    const r = cli('new', 'no-such-lab', mkdtempSync(join(tmpdir(), 'tl-cli-')));
    assert.equal(r.code, 2);
    assert.match(r.err, /no lab "no-such-lab"; known: 01-attention/);
  });
});
