// The command line's options and exit codes, run in this process and without a sidecar, so that
// they are quick enough to run against every mutant of cli/run.ts's option handling (issue 18):
// the bounds of --time-limit and --memory-limit, an option without its value, --backend, the
// usage text on a usage error (exit 2) and not on a failure (exit 1), and list's text and JSON.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { cli } from '../../support/cliInProcess';



interface ManifestCheck {
  hidden: boolean;
  points: number;
  bonus?: boolean;
}
const lab1 = JSON.parse(readFileSync(join(repoRoot(), 'labs', '01-attention', 'lab.json'), 'utf8')) as { version: string; title: string; summary: string; checks: ManifestCheck[] };

describe('transformer-labs CLI: options and exit codes', function () {
  this.timeout(60_000);

  it('accepts each limit at both ends of its range and refuses one past either end', async () => {
    for (const [name, lo, hi] of [['--time-limit', 200, 120000], ['--memory-limit', 64, 8192]] as const) {
      for (const ok of [lo, hi]) assert.equal((await cli('list', name, String(ok))).code, 0, `${name} ${ok}`);
      for (const bad of [lo - 1, hi + 1]) {
        const r = await cli('list', name, String(bad));
        assert.equal(r.code, 2, `${name} ${bad}`);
        assert.ok(r.err.startsWith(`transformer-labs: ${name} must be a whole number of ${name === '--time-limit' ? 'ms' : 'MB'} from ${lo} to ${hi}, not "${bad}"\n`), r.err);
      }
    }
    assert.equal((await cli('list', '--time-limit', '1e3')).code, 2, 'digits only');
    assert.equal((await cli('list', '--time-limit', ' 500')).code, 2, 'digits only');
  });

  it('an option without its value is a usage error, also when another option follows', async () => {
    for (const args of [['list', '--time-limit'], ['list', '--memory-limit', '--json'], ['list', '--backend']]) {
      const r = await cli(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, new RegExp(`^transformer-labs: ${args[1]} needs a value\\n\\nUsage: transformer-labs <command>`));
    }
  });

  it('--backend takes only the known preferences', async () => {
    for (const b of ['auto', 'wasm', 'cpu']) assert.equal((await cli('list', '--backend', b)).code, 0, b);
    const r = await cli('list', '--backend', 'tpu');
    assert.equal(r.code, 2);
    assert.match(r.err, /^transformer-labs: --backend must be auto, gpu, webgpu, node, wasm or cpu\n/);
  });

  it('a usage error prints the usage after the message; --help and --version win over the rest', async () => {
    const r = await cli('frobnicate');
    assert.equal(r.code, 2);
    assert.match(r.err, /^transformer-labs: unknown command "frobnicate"\n\nUsage: transformer-labs <command>\n/);
    assert.equal(r.out, '');
    const help = await cli('list', '--help');
    assert.deepEqual([help.code, help.err], [0, '']);
    assert.match(help.out, /^Usage: transformer-labs <command>\n\n {2}list /);
    const version = await cli('grade', '--version');
    assert.deepEqual([version.code, version.out.trim()], [0, JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).version]);
  });

  it('without arguments prints the usage and exits 2; --help alone exits 0', async () => {
    const none = await cli();
    assert.equal(none.code, 2);
    assert.match(none.out, /^Usage: transformer-labs <command>\n/);
    const help = await cli('--help');
    assert.equal(help.code, 0);
    assert.equal(help.out, none.out);
  });

  it('options and flags are taken before the command as well as after it', async () => {
    const before = await cli('--json', '--backend', 'wasm', 'list');
    assert.equal(before.code, 0, before.err);
    assert.deepEqual(JSON.parse(before.out), JSON.parse((await cli('list', '--json')).out));
    // Options that list does not use are still consumed, or the first would be taken for the command.
    const emptyDir = mkdtempSync(join(tmpdir(), 'tl-cli-labs-'));
    for (const opt of [['--classroom'], ['--solution'], ['--resume'], ['--max-n', '64'], ['--targets', 'attention'], ['--lab', '01-attention'], ['--jobs', '2'], ['--out', 'x'], ['--id', 'x'], ['--labs', emptyDir], ['--time-limit', '500'], ['--memory-limit', '256']]) {
      const r = await cli(...opt, 'list');
      assert.equal(r.code, 0, `${opt.join(' ')} list: ${r.err}`);
      assert.ok(r.out.startsWith('01-attention  '), opt.join(' '));
    }
  });

  it('--labs may be repeated: each path that is not a lab is a warning, and the built-in labs still list', async () => {
    const r = await cli('list', '--labs', '/nonexistent/one', '--labs', '/nonexistent/two');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, 'warning: lab path /nonexistent/one: does not exist\nwarning: lab path /nonexistent/two: does not exist\n');
    assert.ok(r.out.startsWith('01-attention  '));
  });

  it('a failure that is not a usage error exits 1 with the reason and no usage', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-cli-opt-'));
    const blocker = join(parent, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = await cli('new', '01-attention', join(blocker, 'lab1'));
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^transformer-labs: .*(ENOTDIR|not a directory)/);
    assert.doesNotMatch(r.err, /Usage:/);
  });

  it('list prints each lab\'s counts, points and bonus points, and its summary', async () => {
    const r = await cli('list');
    assert.equal(r.code, 0, r.err);
    const points = lab1.checks.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0);
    const bonus = lab1.checks.filter((c) => c.bonus).reduce((s, c) => s + c.points, 0);
    const hidden = lab1.checks.filter((c) => c.hidden).length;
    assert.ok(bonus > 0, 'Lab 1 has a bonus exercise');
    const lines = r.out.split('\n');
    const at = lines.indexOf(`01-attention  ${lab1.title}  (v${lab1.version}, ${lab1.checks.length} checks, ${hidden} hidden, ${points} points) + ${bonus} bonus points`);
    assert.ok(at >= 0, r.out);
    assert.equal(lines[at + 1], `    ${lab1.summary}`);
    // A lab without a bonus exercise says nothing about bonus points.
    const lab2 = lines.find((l) => l.startsWith('02-transformer-block  '));
    assert.ok(lab2 && !lab2.includes('bonus'), lab2);
    assert.match(lab2, /^02-transformer-block  .*\(v[\d.]+, \d+ checks, \d+ hidden, \d+ points\)$/);
  });

  it('list --json is one JSON document of every manifest with hasSolution, and nothing else on stdout', async () => {
    const r = await cli('list', '--json');
    assert.equal(r.code, 0, r.err);
    const labs = JSON.parse(r.out) as { id: string; order: number; summary: string; hasSolution: boolean }[];
    assert.equal(labs[0].summary, lab1.summary);
    assert.deepEqual(labs.map((l) => l.order), [...labs.map((l) => l.order)].sort((a, b) => a - b));
    assert.ok(labs.every((l) => l.hasSolution === true));
    assert.ok(r.out.startsWith('[\n  {\n    "id": "01-attention"'), 'indented by two spaces');
  });
});
