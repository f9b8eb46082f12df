// A lab written with `new-lab`, outside the build, loaded with `--labs`: the packaged CLI
// (dist/cli.js) validates it and grades it through the real sidecar, and its checks.ts —
// transpiled at run time — runs under the same containment as the built-in labs' checks.
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';

const CLI = join(repoRoot(), 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, cwd: tmpdir() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, without blocking this process (the test's own listener must answer meanwhile). */
function cliAsync(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: tmpdir() });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

interface Report {
  score: number;
  maxScore: number;
  checks: { id: string; status: string; message: string; hidden?: boolean }[];
}

describe('an external lab from new-lab, loaded with --labs (dist/cli.js)', function () {
  this.timeout(300_000);
  let root: string;
  let labs: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'tl-external-'));
    labs = join(root, 'labs');
    const r = cli('new-lab', join(labs, 'softmax-lab'));
    assert.equal(r.code, 0, r.err);
  });

  it('new-lab refuses a folder that is not empty, and changes nothing in it', () => {
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.md'), 'mine');
    const r = cli('new-lab', dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /taken is not empty \(it holds notes\.md\): new-lab writes only into a new or empty folder/);
    assert.equal(readFileSync(join(dir, 'notes.md'), 'utf8'), 'mine');
    assert.equal(existsSync(join(dir, 'lab.json')), false);
  });

  it('validate accepts the template as it is, view included', () => {
    const r = cli('validate', join(labs, 'softmax-lab'));
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /ok {4}the solution gets full marks, hidden checks included \(7\/7\)/);
    assert.match(r.out, /ok {4}the starter compiles and gets less than full marks \(0\/7\)/);
    assert.match(r.out, /ok {4}the view "softmax" runs on the solution/);
  });

  it('grades the solution at full marks and the starter below, from a folder of labs or the lab folder itself', () => {
    const key = join(root, 'key');
    const alice = join(root, 'alice');
    assert.equal(cli('new', 'softmax-lab', key, '--solution', '--labs', labs).code, 0);
    assert.equal(cli('new', 'softmax-lab', alice, '--labs', join(labs, 'softmax-lab')).code, 0);
    const full = cli('grade', key, '--json', '--labs', labs);
    assert.equal(full.code, 0, full.err);
    const fullReport = JSON.parse(full.out) as Report;
    assert.deepEqual([fullReport.score, fullReport.maxScore], [7, 7]);
    const starter = JSON.parse(cli('grade', alice, '--json', '--labs', join(labs, 'softmax-lab')).out) as Report;
    assert.equal(starter.score, 0);
    assert.deepEqual(new Set(starter.checks.map((c) => c.status)), new Set(['not-started']));
    // A planted mistake (no shift by the largest score) fails the visible overflow check and its hidden variant.
    const file = join(alice, 'softmax.ts');
    writeFileSync(file, 'export function softmax(s: number[]): number[] {\n  const e = s.map(Math.exp);\n  const t = e.reduce((a, b) => a + b, 0);\n  return e.map((x) => x / t);\n}\n');
    const unstable = JSON.parse(cli('grade', alice, '--json', '--labs', labs).out) as Report;
    const status = Object.fromEntries(unstable.checks.map((c) => [c.id, c.status]));
    assert.deepEqual(status, { 'softmax-small': 'pass', 'softmax-large': 'fail', 'softmax-empty': 'pass', 'softmax-large-negative': 'fail' });
    assert.match(unstable.checks.find((c) => c.id === 'softmax-large')!.message, /softmax\(\[1000, 1001, 1002\]\)/);
  });

  it('grade-all grades a class of the external lab with --labs: the same points as grading each folder', () => {
    const subs = join(root, 'class');
    assert.equal(cli('new', 'softmax-lab', join(subs, 'carol'), '--solution', '--labs', labs).code, 0);
    assert.equal(cli('new', 'softmax-lab', join(subs, 'dave'), '--labs', labs).code, 0);
    const out = join(root, 'grades.csv');
    const r = cli('grade-all', subs, '--labs', labs, '--jobs', '1', '--out', out);
    assert.equal(r.code, 0, r.err);
    const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 5).join(','));
    assert.deepEqual(rows.sort(), ['carol,softmax-lab,1.0.0,7,7', 'dave,softmax-lab,1.0.0,0,7']);
  });

  it('a lab file that does not compile is named with its line, and nothing is graded', () => {
    const lab = join(root, 'syntax-labs', 'broken-syntax');
    assert.equal(cli('new-lab', lab).code, 0);
    appendFileSync(join(lab, 'reference.ts'), 'export const oops = ;\n');
    const ws = join(root, 'syntax-ws');
    assert.equal(cli('new', 'broken-syntax', ws, '--solution', '--labs', join(root, 'syntax-labs')).code, 0);
    const r = cli('grade', ws, '--labs', join(root, 'syntax-labs'));
    assert.equal(r.code, 1);
    assert.match(r.err, /broken-syntax[\\/]reference\.ts:9:21 does not compile: Expression expected/);
    assert.equal(existsSync(join(ws, 'grade-report.json')), false);
  });

  it('without --labs the lab is unknown; a --labs path that does not exist is named and the built-in labs still work', () => {
    const r = cli('grade', join(root, 'key'));
    assert.equal(r.code, 2);
    assert.match(r.err, /holds lab "softmax-lab", which this version of Transformer Labs does not have/);
    const l = cli('list', '--labs', join(root, 'nowhere'));
    assert.equal(l.code, 0);
    assert.match(l.err, /warning: lab path .*nowhere: does not exist/);
    assert.match(l.out, /01-attention/);
  });

  it('a broken lab.json in --labs is named by file and field; the other labs load', () => {
    const broken = join(root, 'more-labs', 'broken');
    assert.equal(cli('new-lab', broken).code, 0);
    const m = JSON.parse(readFileSync(join(broken, 'lab.json'), 'utf8'));
    m.checks[1].points = -1;
    writeFileSync(join(broken, 'lab.json'), JSON.stringify(m));
    const r = cli('list', '--labs', join(root, 'more-labs'), '--labs', labs);
    assert.match(r.err, /lab path .*more-labs: .*broken.lab\.json: checks\[1\]\.points/);
    assert.match(r.out, /softmax-lab {2}A stable softmax/);
  });

  describe('its checks run contained', () => {
    let server: Server;
    let hits = 0;
    let hostile: string;
    let report: Report;
    let stderr: string;
    const secret = () => join(root, 'secret.txt');
    const written = () => join(root, 'written-by-a-check.txt');

    before(async () => {
      server = createServer((_req, res) => {
        hits++;
        res.end('reached');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      writeFileSync(secret(), 'the instructor key 1234');
      hostile = join(root, 'hostile-labs', 'hostile');
      assert.equal(cli('new-lab', hostile).code, 0);
      // The lab's own checks try what a check must not do: read or write files, use the network,
      // import a Node.js module.
      appendFileSync(
        join(hostile, 'checks.ts'),
        `
declare const process: { getBuiltinModule(id: string): any };
declare const require: (id: string) => unknown;
checks['softmax-small'] = () => { throw new CheckFailure('read: ' + process.getBuiltinModule('node:fs').readFileSync(${JSON.stringify(secret())}, 'utf8')); };
checks['softmax-large'] = async () => { const r = await fetch(${JSON.stringify(url)}); throw new CheckFailure('fetched: ' + (await r.text())); };
checks['softmax-empty'] = () => { process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(written())}, 'x'); };
checks['softmax-large-negative'] = () => { require('fs'); };
`,
      );
      const ws = join(root, 'hostile-key');
      assert.equal(cli('new', 'hostile', ws, '--solution', '--labs', join(root, 'hostile-labs')).code, 0);
      const r = await cliAsync('grade', ws, '--json', '--labs', join(root, 'hostile-labs'));
      assert.equal(r.code, 0, r.err);
      report = JSON.parse(r.out) as Report;
      stderr = r.err;
    });

    after(() => server.close());

    const check = (id: string) => report.checks.find((c) => c.id === id)!;

    it('a file read outside the extension is refused by the permission model', () => {
      assert.equal(check('softmax-small').status, 'error');
      assert.match(check('softmax-small').message, /ERR_ACCESS_DENIED|Access to this API has been restricted/);
      assert.doesNotMatch(JSON.stringify(report), /instructor key 1234/);
    });

    it('a file write is refused', () => {
      assert.equal(check('softmax-empty').status, 'error');
      assert.equal(existsSync(written()), false);
    });

    it('importing a Node.js module is refused with a message that names what may be imported', () => {
      assert.equal(check('softmax-large-negative').status, 'error');
      assert.match(check('softmax-large-negative').message, /imports "fs": a lab's checks run contained and may import only "transformer-labs\/checks" and files of their lab folder/);
    });

    it('the network is out of reach where the OS isolates it, as for the built-in checks', () => {
      if (/✓ new network and PID namespaces/.test(stderr)) {
        assert.equal(check('softmax-large').status, 'error');
        assert.equal(hits, 0, 'a check reached the local listener');
      } else {
        // Where unshare is not allowed, the report says so instead (the built-in checks are no better off).
        assert.match(stderr, /containment of the submission:/);
        assert.doesNotMatch(stderr, /✓ new network/);
      }
    });
  });
});
