// The instructor's command line, run in this process (support/cliInProcess.ts), with real sidecars.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { cli, cliWith } from '../../support/cliInProcess';
import { writeLab1Folder } from '../../support/classSubmissions';
import { alive, childrenOf } from '../../support/procTree';


/** Lab 1's manifest: the counts the CLI prints come from it. */
const LAB1 = JSON.parse(readFileSync(join(repoRoot(), 'labs', '01-attention', 'lab.json'), 'utf8')) as {
  version: string;
  checks: { hidden: boolean; points: number; bonus?: boolean }[];
};
// Bonus checks are reported apart from the score.
const LAB1_POINTS = LAB1.checks.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0);


/** This process's live children (Linux /proc): a command that started a sidecar must have stopped it. */
function children(): Set<number> {
  return new Set(childrenOf('self').filter(alive));
}

/** The children started by `run` and still alive after it returned. */
async function leftRunning<T>(run: () => Promise<T>): Promise<{ result: T; left: number[] }> {
  const before = children();
  const result = await run();
  return { result, left: [...children()].filter((p) => !before.has(p)) };
}

describe('transformer-labs CLI', function () {
  this.timeout(60_000);

  it('list shows each lab with its checks and points', async () => {
    const r = await cli('list');
    assert.equal(r.code, 0, r.err);
    const hidden = LAB1.checks.filter((c) => c.hidden).length;
    assert.match(r.out, new RegExp(`01-attention\\s+Attention from scratch\\s+\\(v${LAB1.version.replace(/\./g, '\\.')}, ${LAB1.checks.length} checks, ${hidden} hidden, ${LAB1_POINTS} points\\)`));
  });

  it('new + grade: prints the report, writes grade-report.json, exits 0 whatever the score', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'alice');
    assert.equal((await cli('new', '01-attention', dir)).code, 0);
    const { result: r, left } = await leftRunning(() => cli('grade', dir, '--json'));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(left, [], 'grade stopped the sidecar it started');
    const report = JSON.parse(r.out);
    assert.equal(report.score, 0);
    assert.equal(report.maxScore, LAB1_POINTS);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'grade-report.json'), 'utf8')).score, 0);
    assert.doesNotMatch(r.err, /GitHub Classroom/, 'only with --classroom');
  });

  it('new --solution from a source checkout grades full marks', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'key');
    assert.equal((await cli('new', '1', dir, '--solution')).code, 0);
    const r = await cli('grade', dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`${LAB1_POINTS}/${LAB1_POINTS} points \\(100%\\)`));
    // The instructor sees what contained the submission (wasm here: the permission model holds).
    assert.match(r.err, /containment of the submission:\n  ✓ Node's permission model: it reads only the extension's own files/);
    assert.match(r.err, /  ✓ an empty environment/);
  });

  it('grade --classroom appends GitHub Classroom\'s result to $GITHUB_OUTPUT: one test per graded check, hidden ones named so', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'classroom');
    assert.equal((await cli('new', '01-attention', dir)).code, 0);
    const output = join(dir, '..', 'github-output');
    const graded = LAB1.checks.filter((c) => !c.bonus);
    const starter = await cliWith(['grade', dir, '--classroom'], { env: { GITHUB_OUTPUT: output } });
    assert.equal(starter.code, 0, starter.err);
    assert.match(starter.err, new RegExp(`^GitHub Classroom: Points 0/${LAB1_POINTS}$`, 'm'));
    writeFileSync(join(dir, 'attention.ts'), readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8'));
    const solved = await cliWith(['grade', dir, '--classroom'], { env: { GITHUB_OUTPUT: output } });
    assert.match(solved.err, new RegExp(`^GitHub Classroom: Points ${LAB1_POINTS}/${LAB1_POINTS}$`, 'm'));
    const lines = readFileSync(output, 'utf8').split('\n');
    assert.equal(lines.length, 3, 'one line per run, each ended by a newline');
    const [before, after] = lines.slice(0, 2).map((l) => {
      assert.match(l, /^result=[A-Za-z0-9+/]+=*$/);
      return JSON.parse(Buffer.from(l.slice('result='.length), 'base64').toString('utf8')) as {
        version: number;
        status: string;
        max_score: number;
        tests: { name: string; status: string; score: number; message: string }[];
      };
    });
    for (const r of [before, after]) {
      assert.equal(r.version, 1);
      assert.equal(r.max_score, LAB1_POINTS);
      assert.equal(r.tests.length, graded.length);
      assert.equal(r.tests.filter((t) => t.name.endsWith(' (hidden)')).length, graded.filter((c) => c.hidden).length);
      assert.ok(r.tests.every((t) => t.name.startsWith('01-attention: ')), r.tests[0].name);
    }
    assert.equal(before.status, 'fail');
    assert.ok(before.tests.every((t) => t.status === 'fail' && t.score === 0 && /\nhint: /.test(t.message)));
    assert.equal(after.status, 'pass');
    assert.ok(after.tests.every((t) => t.status === 'pass' && t.message === ''));
    assert.equal(after.tests.reduce((s, t) => s + t.score, 0), LAB1_POINTS);

    const outside = await cliWith(['grade', dir, '--classroom'], { env: { GITHUB_OUTPUT: '' } });
    assert.match(outside.err, /^GitHub Classroom: Points \d+\/\d+ \(no \$GITHUB_OUTPUT: not written\)$/m);
  });

  it('new for a lab built on Lab 1 checks the Lab 1 beside it: the reference while it does not pass, the learner\'s own code once it does', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    assert.equal((await cli('new', '01-attention', join(parent, 'lab1'))).code, 0);
    const { result: early, left } = await leftRunning(() => cli('new', '02-transformer-block', join(parent, 'lab2')));
    assert.equal(early.code, 0, early.err);
    assert.deepEqual(left, [], 'new stopped the sidecar it checked Lab 1 with');
    assert.match(early.out, /attention\.ts uses the course's reference: in your Lab 1 \(.*lab1\/attention\.ts\), .*multiHeadAttention \(not started\)/);
    assert.doesNotMatch(readFileSync(join(parent, 'lab2', 'attention.ts'), 'utf8'), /Your own code/);

    writeFileSync(join(parent, 'lab1', 'attention.ts'), readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8'));
    const later = await cli('new', '06-mini-gpt', join(parent, 'lab6'));
    assert.equal(later.code, 0, later.err);
    assert.match(later.out, /attention\.ts is your own code from Lab 1 \(.*lab1\/attention\.ts\)/);
    assert.match(readFileSync(join(parent, 'lab6', 'attention.ts'), 'utf8'), /^\/\/ Your own code from lab "01-attention"/);
  });

  it('grade on a folder that is not a lab says so and exits non-zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    const r = await cli('grade', dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /is not a lab folder/);
    assert.equal(existsSync(join(dir, 'grade-report.json')), false);
  });

  it('hint opens the next hint of a function, shows the ones opened before, and records them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'bob');
    assert.equal((await cli('new', '01-attention', dir)).code, 0);
    const hints = (JSON.parse(readFileSync(join(repoRoot(), 'labs', '01-attention', 'lab.json'), 'utf8')) as { hints: Record<string, string[]> }).hints.softmax;
    assert.ok(hints.length >= 2, 'Lab 1 has progressive hints for softmax');
    const first = await cli('hint', dir, 'softmax');
    assert.equal(first.code, 0, first.err);
    assert.equal(first.out, `hint 1 of ${hints.length}: ${hints[0]}\n`);
    const second = await cli('hint', dir, 'softmax');
    assert.equal(second.out, `hint 1 of ${hints.length}: ${hints[0]}\nhint 2 of ${hints.length}: ${hints[1]}\n`);
    const report = JSON.parse((await cli('grade', dir, '--json')).out);
    assert.deepEqual(report.hintsOpened, { softmax: { opened: 2, of: hints.length } });
    const bad = await cli('hint', dir, 'nope');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /01-attention has no function "nope"; its functions: softmax, attendOne/);
  });

  it('an unknown command or lab prints usage and exits 2', async () => {
    assert.equal((await cli('frobnicate')).code, 2);
    const r = await cli('new', 'no-such-lab', mkdtempSync(join(tmpdir(), 'tl-cli-')));
    assert.equal(r.code, 2);
    assert.match(r.err, /no lab "no-such-lab"; known: 01-attention, 02-transformer-block, /);
  });

  it('--version prints the package version; --help prints usage and exits 0; no arguments print usage and exit 2', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
    const v = await cli('--version');
    assert.deepEqual([v.code, v.out], [0, `${pkg.version}\n`]);
    const help = await cli('--help');
    assert.equal(help.code, 0);
    for (const word of ['list', 'new <lab> <dir>', 'grade <dir>', 'hint', '--time-limit', '--memory-limit', '--backend']) assert.ok(help.out.includes(word) || help.err.includes(word), `usage names ${word}`);
    const none = await cli();
    assert.equal(none.code, 2);
    assert.equal(none.out + none.err, help.out + help.err, 'the same usage text');
  });

  it('list --json gives every lab\'s manifest and whether its solution ships', async () => {
    const r = await cli('list', '--json');
    assert.equal(r.code, 0, r.err);
    const labs = JSON.parse(r.out) as { id: string; version: string; checks: unknown[]; hasSolution: boolean }[];
    const ids = labs.map((l) => l.id);
    assert.deepEqual(ids.slice(0, 3), ['01-attention', '02-transformer-block', '03-positional-encodings']);
    const one = labs[0];
    assert.equal(one.version, LAB1.version);
    assert.equal(one.checks.length, LAB1.checks.length);
    assert.equal(one.hasSolution, true, 'a source checkout has the solutions');
  });

  it('grade --json prints the whole report, the same as grade-report.json', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'carol');
    assert.equal((await cli('new', '01-attention', dir)).code, 0);
    const r = await cli('grade', dir, '--json');
    assert.equal(r.code, 0, r.err);
    const printed = JSON.parse(r.out);
    assert.deepEqual(printed, JSON.parse(readFileSync(join(dir, 'grade-report.json'), 'utf8')));
    assert.deepEqual(Object.keys(printed).sort(), ['backend', 'bonus', 'checks', 'compileErrors', 'extensionVersion', 'files', 'gradedAt', 'hintsOpened', 'labId', 'labTitle', 'labVersion', 'maxScore', 'percent', 'quiz', 'schemaVersion', 'score', 'total', 'typeErrors']);
    assert.equal(printed.schemaVersion, 3);
    assert.equal(printed.quiz.score, 0, 'no question answered yet');
    assert.ok(printed.bonus.maxScore > 0, 'Lab 1 has a bonus exercise, counted apart');
    assert.deepEqual(printed.total, { score: 0, maxScore: printed.maxScore + printed.quiz.maxScore, percent: 0 });
    assert.equal(printed.checks.length, LAB1.checks.length, 'hidden checks included');
    assert.ok(printed.checks.every((c: { status: string; earned: number }) => c.status === 'not-started' && c.earned === 0));
  });

  it('--time-limit is applied: a loop that never ends is stopped at the limit given', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'dave');
    assert.equal((await cli('new', '01-attention', dir, '--solution')).code, 0);
    const file = join(dir, 'attention.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('export function softmax(xs: Vector): Vector {', 'export function softmax(xs: Vector): Vector {\n  while (xs.length >= 0) { /* never ends */ }'));
    const r = await cli('grade', dir, '--json', '--time-limit', '700');
    assert.equal(r.code, 0, r.err);
    const softmax = (JSON.parse(r.out).checks as { function: string; status: string; message: string }[]).filter((c) => c.function === 'softmax');
    assert.ok(softmax.length > 0);
    const timedOut = softmax.find((c) => c.status === 'timeout');
    assert.ok(timedOut, JSON.stringify(softmax.map((c) => c.status)));
    assert.match(timedOut.message, /timed out after 700 ms/);
  });

  it('after one check runs past the limit, every later check that reaches the loop is stopped at a fifth of it (at least 1 s), and says so', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'fay');
    assert.equal((await cli('new', '01-attention', dir, '--solution')).code, 0);
    const file = join(dir, 'attention.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('export function softmax(xs: Vector): Vector {', 'export function softmax(xs: Vector): Vector {\n  while (xs.length >= 0) { /* never ends */ }'));
    const r = await cli('grade', dir, '--json', '--time-limit', '3000');
    assert.equal(r.code, 0, r.err);
    const timedOut = (JSON.parse(r.out).checks as { id: string; status: string; message: string }[]).filter((c) => c.status === 'timeout');
    // softmax's checks and the loop-based attention's that call it: the first waits out 3 s, the rest 1 s each.
    assert.ok(timedOut.length >= 5, JSON.stringify(timedOut.map((c) => c.id)));
    assert.match(timedOut[0].message, /^timed out after 3000 ms in check /);
    for (const c of timedOut.slice(1)) assert.match(c.message, /^timed out after 1000 ms in check "[^"]+": an earlier check already ran past the full time limit \(3000 ms\)/, c.id);
  });

  it('--memory-limit is applied to the learner code\'s heap: an allocation loop is stopped at the limit given', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-cli-')), 'erin');
    assert.equal((await cli('new', '01-attention', dir, '--solution')).code, 0);
    const file = join(dir, 'attention.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('export function softmax(xs: Vector): Vector {', 'export function softmax(xs: Vector): Vector {\n  const hog: number[][] = [];\n  for (;;) hog.push(new Array(100000).fill(xs.length + hog.length));'));
    const r = await cli('grade', dir, '--json', '--memory-limit', '96', '--time-limit', '60000');
    assert.equal(r.code, 0, r.err);
    const memory = (JSON.parse(r.out).checks as { function: string; status: string; message: string }[]).find((c) => c.function === 'softmax' && c.status === 'memory');
    assert.ok(memory, 'a softmax check reports memory');
    assert.match(memory.message, /used more than 96 MB/);
  });

  it('new says what it created in one line: with the solution it says so and plans no reuse; it names what is missing', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    const plain = await cli('new', '01-attention', join(parent, 'a'));
    assert.equal(plain.code, 0, plain.err);
    assert.equal(plain.out, `created 01-attention in ${join(parent, 'a')}\n`, 'a lab built on no other: nothing about reuse');
    // Lab 2 builds on Lab 1, but the reference solution needs no Lab 1: no reuse planned, no line about it.
    const key = await cli('new', '02-transformer-block', join(parent, 'b'), '--solution');
    assert.equal(key.code, 0, key.err);
    assert.equal(key.out, `created 02-transformer-block in ${join(parent, 'b')} (with the reference solution)\n`);
    const missing = await cli('new', '01-attention');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^transformer-labs: new needs <lab> and <dir>$/m);
  });

  it('new keeps a file the learner already has, and then says nothing about reusing it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    mkdirSync(join(parent, 'lab2'));
    writeFileSync(join(parent, 'lab2', 'attention.ts'), '// mine\n');
    const r = await cli('new', '02-transformer-block', join(parent, 'lab2'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^kept your existing attention\.ts$/m);
    assert.doesNotMatch(r.out, /attention\.ts (uses|is your own)/, r.out);
    assert.equal(readFileSync(join(parent, 'lab2', 'attention.ts'), 'utf8'), '// mine\n');
  });

  it('grade-all checks --jobs (1 to 64) and --lab before grading; an empty folder gives an empty CSV beside the JSON with the limits', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tl-cli-'));
    const empty = join(root, 'class');
    mkdirSync(empty);
    for (const jobs of ['0', '65', '1.5', 'two']) {
      const r = await cli('grade-all', empty, '--jobs', jobs, '--out', join(root, 'x.csv'));
      assert.equal(r.code, 2, `--jobs ${jobs}`);
      assert.match(r.err, /^transformer-labs: --jobs must be a whole number from 1 to 64$/m);
    }
    const unknown = await cli('grade-all', empty, '--lab', 'nope', '--out', join(root, 'x.csv'));
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^transformer-labs: no lab "nope"; known: 01-attention, /m);
    assert.equal(existsSync(join(root, 'x.csv')), false, 'nothing written on a usage error');
    for (const jobs of ['1', '64']) {
      const r = await cli('grade-all', empty, '--jobs', jobs, '--lab', '1', '--out', join(root, `j${jobs}.csv`), '--time-limit', '4000');
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, new RegExp(`^grading 0 submission\\(s\\) from .* on ${jobs} sidecar\\(s\\)$`, 'm'));
      const json = JSON.parse(readFileSync(join(root, `j${jobs}.json`), 'utf8')) as { rows: unknown[]; limits: { timeoutMs: number; memoryMb: number } };
      assert.deepEqual(json.rows, []);
      assert.equal(json.limits.timeoutMs, 4000);
      assert.ok(json.limits.memoryMb > 0);
    }
    // --lab grades every submission as that lab, and flags one whose folder says another.
    const cls = join(root, 'class');
    writeLab1Folder(join(cls, 'amy'), readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8'), { labId: '06-mini-gpt' });
    const forced = await cli('grade-all', cls, '--lab', '1', '--out', join(root, 'forced.csv'));
    assert.equal(forced.code, 0, forced.err);
    const [amy] = (JSON.parse(readFileSync(join(root, 'forced.json'), 'utf8')) as { rows: { labId: string; flags: string[]; score: number; maxScore: number }[] }).rows;
    assert.deepEqual([amy.labId, amy.flags, amy.score], ['01-attention', ['lab-mismatch'], amy.maxScore]);
    // Without --out: grades.csv in the working folder.
    const here = await cliWith(['grade-all', empty], { cwd: root });
    assert.equal(here.code, 0, here.err);
    assert.ok(existsSync(join(root, 'grades.csv')) && existsSync(join(root, 'grades.json')));
    const noDir = await cli('grade-all');
    assert.equal(noDir.code, 2);
    assert.match(noDir.err, /^transformer-labs: grade-all needs <submissions>: a folder with one subfolder or \.zip per learner$/m);
  });

  it('refuses a limit that is not a whole number in range, before doing anything', async () => {
    for (const [flagName, value] of [['--time-limit', 'abc'], ['--time-limit', '10'], ['--time-limit', '1.5'], ['--memory-limit', '100000'], ['--memory-limit', '-5']]) {
      const r = await cli('list', flagName, value);
      assert.equal(r.code, 2, `${flagName} ${value}`);
      assert.match(r.err, new RegExp(`${flagName} must be a whole number of (ms|MB) from \\d+ to \\d+, not "${value.replace('.', '\\.')}"`));
      assert.equal(r.out, '');
    }
  });
});
