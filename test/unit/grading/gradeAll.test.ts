// `transformer-labs grade-all` run in this process on real sidecars: the same numbers as grading
// each folder alone, a row with a reason for every broken submission, integrity flags, --resume
// and Ctrl+C.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassRow } from '../../../core/grading/classGrading';
import type { ClassReport } from '../../../core/grading/classReport';
import type { GradeReport } from '../../../core/grading/gradeReport';
import { lab1Attention, writeLab1Folder, zipEntriesRaw, zipFolder, type SubmissionKind } from '../../support/classSubmissions';
import { cliWith as cli, type CliResult } from '../../support/cliInProcess';
import { jsonFileFor } from '../../../cli/gradeAll';

const LIMIT = ['--time-limit', '3000'];


function readJson(file: string): ClassReport {
  return JSON.parse(readFileSync(file, 'utf8')) as ClassReport;
}

function rowOf(report: ClassReport, learner: string): ClassRow {
  const row = report.rows.find((r) => r.learner === learner);
  assert.ok(row, `no row for ${learner}: ${report.rows.map((r) => r.learner).join(', ')}`);
  return row;
}

function statuses(r: { checks: { id: string; status: string }[] }): Record<string, string> {
  return Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
}

describe('transformer-labs grade-all', function () {
  this.timeout(600_000);
  const kinds: SubmissionKind[] = ['correct', 'wrong-softmax', 'wrong-scale', 'starter', 'looping'];
  let root: string;
  let subs: string;
  let alone: string;
  let batch: ClassReport;
  let batchRun: CliResult;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'tl-grade-all-'));
    subs = join(root, 'subs');
    alone = join(root, 'alone');
    mkdirSync(subs);
    for (const k of kinds) writeLab1Folder(join(alone, k), lab1Attention(k, 7));
    for (const k of kinds) cpSync(join(alone, k), join(subs, k), { recursive: true });
    // The same correct folder, zipped under its own name as a file manager does.
    zipFolder(join(alone, 'wrong-scale'), join(subs, 'zipped.zip'), 'zipped');
    mkdirSync(join(subs, 'empty'));
    writeFileSync(join(subs, 'truncated.zip'), readFileSync(join(subs, 'zipped.zip')).subarray(0, 200));
    zipEntriesRaw(join(subs, 'escape.zip'), { '../../outside.ts': 'export const x = 1;' });
    // Learner code that tries to write a file and kill its process: it must not, and the batch goes on.
    writeLab1Folder(
      join(subs, 'hostile'),
      `import * as fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(join(root, 'pwned'))}, 'x');\nprocess.exit(3);\n` + lab1Attention('correct', 9),
    );
    writeLab1Folder(join(subs, 'other-lab'), lab1Attention('correct', 8), { labId: '06-mini-gpt' });
    batchRun = await cli(['grade-all', subs, '--lab', '01-attention', '--jobs', '2', '--out', join(root, 'grades.csv'), ...LIMIT]);
    batch = readJson(join(root, 'grades.json'));
  });

  it('grades every submission and gives the same numbers as grading each folder alone', async () => {
    assert.equal(batchRun.code, 0, batchRun.err);
    for (const k of kinds) {
      const one = await cli(['grade', join(alone, k), '--json', ...LIMIT]);
      assert.equal(one.code, 0, one.err);
      const single = JSON.parse(one.out) as GradeReport;
      const row = rowOf(batch, k);
      assert.deepEqual([row.score, row.maxScore, row.percent], [single.score, single.maxScore, single.percent], k);
      assert.deepEqual(row.statuses, statuses(single), k);
      assert.deepEqual(row.report!.files, single.files, k);
    }
    const correct = rowOf(batch, 'correct');
    assert.equal(correct.score, correct.maxScore);
    assert.ok(rowOf(batch, 'wrong-softmax').score! < correct.score!);
    const looping = rowOf(batch, 'looping');
    assert.ok(looping.flags.includes('timeout'));
    // Every check that reaches the loop hits a limit in a run of its own, as `grade` does alone:
    // the first the full 3 s, the later ones a limit each of 1 s (core/checks/timeLimits.ts).
    const timeouts = Object.values(looping.statuses).filter((st) => st === 'timeout').length;
    assert.ok(timeouts >= 4, `${timeouts} checks timed out`);
    assert.ok(looping.phases!.checkRuns > timeouts, `${looping.phases!.checkRuns} check runs for ${timeouts} timeouts`);
    assert.ok(looping.phases!.checksMs >= 3000 + (timeouts - 1) * 1000, `checks took ${looping.phases!.checksMs} ms`);
    assert.ok(looping.phases!.checksMs < timeouts * 3000, `the checks after the first time-out waited the full limit: ${looping.phases!.checksMs} ms for ${timeouts}`);
    assert.equal(correct.phases!.checkRuns, 1);
    assert.ok(correct.phases!.typeCheckMs > 0 && correct.phases!.typeCheckMs < correct.durationMs);
    assert.deepEqual(rowOf(batch, 'zipped').statuses, rowOf(batch, 'wrong-scale').statuses, 'a zip grades as its folder');
  });

  it('gives a broken, empty or hostile submission its row with the reason, and the CSV one line per learner', async () => {
    assert.match(rowOf(batch, 'empty').error!, /no lab folder in it/);
    assert.match(rowOf(batch, 'truncated').error!, /the zip cannot be read/);
    assert.match(rowOf(batch, 'escape').error!, /points outside the folder/);
    const hostile = rowOf(batch, 'hostile');
    assert.ok(hostile.score !== null && hostile.score < hostile.maxScore!, `hostile scored ${hostile.score}`);
    assert.match(hostile.notes.join(' '), /imports "node:fs": lab code runs in a sandbox/);
    assert.throws(() => readFileSync(join(root, 'pwned')), /ENOENT/, 'learner code wrote a file on the grader');
    const mismatch = rowOf(batch, 'other-lab');
    assert.ok(mismatch.flags.includes('lab-mismatch'));
    assert.equal(mismatch.score, mismatch.maxScore);

    const csv = readFileSync(join(root, 'grades.csv'), 'utf8').trim().split('\r\n');
    const header = csv[0].split(',');
    assert.deepEqual(header.slice(0, 6), ['learner', 'lab', 'version', 'score', 'max', 'percent']);
    assert.deepEqual(header.slice(-2), ['flags', 'error']);
    assert.equal(header.length, 8 + correctChecks(batch).length);
    assert.equal(csv.length, 1 + batch.rows.length);
    const wrong = csv.find((l) => l.startsWith('wrong-softmax,'))!.split(',');
    const row = rowOf(batch, 'wrong-softmax');
    assert.equal(Number(wrong[3]), row.score);
    assert.equal(Number(wrong[header.indexOf('softmax-large-logits')]), 0);
    assert.equal(Number(wrong[header.indexOf('softmax-sums-to-one')]), row.points['softmax-sums-to-one']);
    assert.match(csv.find((l) => l.startsWith('empty,'))!, /,not-graded,"no lab folder/);
    assert.match(batchRun.out, /checks most often not passed/);
    assert.match(batchRun.out, /slowest submissions/);
  });

  it('says what it grades, one line per row as it is graded (off a terminal), the rows sorted, and the rate at the end', () => {
    const n = batch.rows.length;
    assert.match(batchRun.err, new RegExp(`^grading ${n} submission\\(s\\) from ${subs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on 2 sidecar\\(s\\)$`, 'm'));
    const lines = batchRun.err.split('\n').filter((l) => /^\d+\/\d+ /.test(l));
    assert.equal(lines.length, n, lines.join('\n'));
    lines.forEach((l, i) => assert.ok(l.startsWith(`${i + 1}/${n} `), l));
    for (const r of batch.rows) {
      const line = lines.find((l) => l.includes(` ${r.learner}: `))!;
      const what = r.score !== null ? `${r.score}/${r.maxScore}` : `not graded: ${r.error}`;
      const flags = r.flags.length ? ` [${r.flags.join(', ')}]` : '';
      assert.equal(line.replace(/^\d+\/\d+ /, ''), `${r.learner}: ${what}${flags}`);
    }
    assert.ok(lines.some((l) => /\[.*timeout.*\]$/.test(l)), 'flags shown');
    assert.deepEqual(batch.rows.map((r) => r.learner), batch.rows.map((r) => r.learner).sort((x, y) => x.localeCompare(y)), 'rows by learner, whatever order they finished in');
    const end = /\n(\d+) row\(s\) in (\d+\.\d) s \((\d+\.\d\d) submissions\/s\)\nwrote (.*)\nwrote (.*)\n/.exec(batchRun.out);
    assert.ok(end, batchRun.out);
    const [rowsDone, secs, rate] = [Number(end[1]), Number(end[2]), Number(end[3])];
    assert.equal(rowsDone, n);
    assert.ok(secs > 1 && secs < 600, `${secs} s`);
    assert.ok(Math.abs(rate - n / secs) < 0.02 + n / secs / 50, `${rate}/s for ${n} rows in ${secs} s`);
    assert.deepEqual([end[4], end[5]], [join(root, 'grades.csv'), join(root, 'grades.json')]);
  });

  it('names the JSON beside the CSV', () => {
    assert.equal(jsonFileFor('/t/grades.csv'), '/t/grades.json');
    assert.equal(jsonFileFor('/t/GRADES.CSV'), '/t/GRADES.json');
    assert.equal(jsonFileFor('/t/grades'), '/t/grades.json');
    assert.equal(jsonFileFor('/t/grades.txt'), '/t/grades.txt.json');
  });

  it('flags a grade-report.json whose hashes or score do not match, and keeps unchanged rows with --resume', async () => {
    const cls = join(root, 'integrity');
    for (const name of ['honest', 'inflated', 'edited']) writeLab1Folder(join(cls, name), lab1Attention('wrong-softmax', name.length));
    for (const name of ['honest', 'inflated', 'edited']) assert.equal((await cli(['grade', join(cls, name), ...LIMIT])).code, 0);
    const inflated = JSON.parse(readFileSync(join(cls, 'inflated', 'grade-report.json'), 'utf8')) as GradeReport;
    writeFileSync(join(cls, 'inflated', 'grade-report.json'), JSON.stringify({ ...inflated, score: inflated.maxScore }));
    writeFileSync(join(cls, 'edited', 'attention.ts'), lab1Attention('correct', 3));
    const out = join(root, 'integrity.csv');
    const first = await cli(['grade-all', cls, '--jobs', '2', '--out', out, ...LIMIT]);
    assert.equal(first.code, 0, first.err);
    const r1 = readJson(join(root, 'integrity.json'));
    assert.deepEqual(rowOf(r1, 'honest').flags, []);
    assert.deepEqual(rowOf(r1, 'inflated').flags, ['report-score-differs']);
    assert.match(rowOf(r1, 'inflated').notes.join(' '), new RegExp(`claims ${inflated.maxScore}/${inflated.maxScore}; the re-grade gives ${inflated.score}/`));
    assert.deepEqual([...rowOf(r1, 'edited').flags].sort(), ['report-files-differ', 'report-score-differs']);
    assert.match(readFileSync(out, 'utf8'), /\ninflated,.*,report-score-differs,/);

    writeFileSync(join(cls, 'honest', 'attention.ts'), lab1Attention('correct', 4));
    const again = await cli(['grade-all', cls, '--jobs', '1', '--out', out, '--resume', ...LIMIT]);
    assert.equal(again.code, 0, again.err);
    const r2 = readJson(join(root, 'integrity.json'));
    assert.equal(rowOf(r2, 'inflated').resumed, true);
    assert.equal(rowOf(r2, 'edited').resumed, true);
    assert.equal(rowOf(r2, 'honest').resumed, undefined, 'a changed file is graded again');
    assert.match(again.err, /^grading 3 submission\(s\) from .* on 1 sidecar\(s\), 3 earlier row\(s\) to reuse$/m);
    assert.match(again.err, /^\d\/3 inflated: \d+\/\d+ \(unchanged, kept\) \[report-score-differs\]$/m);
    assert.match(again.err, /^\d\/3 honest: (\d+)\/\1( \[[a-z, -]+\])?$/m, 'graded again: full marks, no "kept"');
    assert.equal(rowOf(r2, 'honest').score, rowOf(r2, 'honest').maxScore);
    assert.equal(rowOf(r2, 'inflated').score, rowOf(r1, 'inflated').score);
  });

  it('stops on Ctrl+C, keeping the rows graded, and --resume grades only the rest', async () => {
    const cls = join(root, 'interrupt');
    for (let i = 0; i < 6; i++) writeLab1Folder(join(cls, `l${i}`), lab1Attention(i === 0 ? 'correct' : 'looping', i));
    const out = join(root, 'interrupt.csv');
    // Ctrl+C as the CLI receives it (its handler); the real signal is cliProcess.test.ts's.
    let press: (() => void) | undefined;
    let pressed = false;
    let removed = 0;
    const { code, out: stdout, err } = await cli(['grade-all', cls, '--jobs', '1', '--out', out, ...LIMIT], {
      onInterruptHandler: (p) => (press = p),
      onInterruptRemoved: () => removed++,
      onOutput: (stream, _text, all) => {
        if (stream === 'err' && !pressed && /^2\/6 /m.test(all)) {
          pressed = true;
          setImmediate(press!);
        }
      },
    });
    assert.equal(code, 130, err);
    assert.equal(removed, 1, 'the Ctrl+C handler is taken down when the batch ends');
    assert.match(stdout, /stopped by Ctrl\+C after \d of 6/);
    const kept = readJson(join(root, 'interrupt.json')).rows;
    assert.ok(kept.length >= 2 && kept.length < 6, `kept ${kept.length} rows`);
    assert.ok(kept.every((r) => r.score !== null), 'no half-graded row is kept');
    assert.equal(readFileSync(out, 'utf8').trim().split('\r\n').length, 1 + kept.length);

    const rest = await cli(['grade-all', cls, '--jobs', '2', '--out', out, '--resume', ...LIMIT]);
    assert.equal(rest.code, 0, rest.err);
    const all = readJson(join(root, 'interrupt.json')).rows;
    assert.equal(all.length, 6);
    assert.equal(all.filter((r) => r.resumed).length, kept.length);
  });

  it('in a terminal, draws one progress bar in place, cut to the terminal\'s width, and ends it with a newline', async () => {
    const cls = join(root, 'tty');
    writeLab1Folder(join(cls, 'amy'), lab1Attention('correct', 3));
    writeLab1Folder(join(cls, 'bob'), lab1Attention('wrong-softmax', 4));
    const wide = await cli(['grade-all', cls, '--jobs', '1', '--out', join(root, 'tty.csv'), ...LIMIT], { tty: { columns: 120 } });
    assert.equal(wide.code, 0, wide.err);
    const frames = wide.err.split('\r\x1b[K').slice(1);
    assert.ok(frames.length >= 4, `a frame as each submission starts and ends: ${JSON.stringify(wide.err)}`);
    assert.match(frames[0], /^\[\.{28}\] 0\/2 \d+ s  amy$/, 'none done yet: no rate; the one in progress named');
    const last = frames[frames.length - 1];
    assert.match(last, /^\[#{28}\] 2\/2 \d+ s \d+\.\d\d\/s  \n/, 'all done, the rate, then the newline that ends the bar');
    assert.ok(frames.some((f) => /^\[#{14}\.{14}\] 1\/2 /.test(f)), 'half the bar after one of two');
    assert.doesNotMatch(wide.err, /^1\/2 amy:/m, 'no line per row in a terminal');
    const narrow = await cli(['grade-all', cls, '--out', join(root, 'tty.csv'), ...LIMIT], { tty: { columns: 20 } });
    assert.match(narrow.err, new RegExp(`^grading 2 submission\\(s\\) from .* on ${availableParallelism()} sidecar\\(s\\)$`, 'm'), 'without --jobs, one sidecar per core');
    const narrowFrames = narrow.err.split('\r\x1b[K').slice(1).map((f) => f.split('\n')[0]);
    assert.ok(narrowFrames.every((f) => f.length === 19), `each frame one character short of 20 columns: ${JSON.stringify(narrowFrames)}`);
  });

  it('a second Ctrl+C asks to end the process at once with 130; the first only stops', async () => {
    const cls = join(root, 'twice');
    for (let i = 0; i < 3; i++) writeLab1Folder(join(cls, `l${i}`), lab1Attention('looping', i));
    let press: (() => void) | undefined;
    const exits: string[] = [];
    let started = false;
    const r = await cli(['grade-all', cls, '--jobs', '1', '--out', join(root, 'twice.csv'), ...LIMIT], {
      onInterruptHandler: (p) => (press = p),
      onExitNow: (code) => exits.push(`exit ${code}`),
      onOutput: (stream, _text, all) => {
        if (stream === 'err' && !started && /^grading 3 submission/m.test(all)) {
          started = true;
          setImmediate(() => {
            press!();
            exits.push('first press');
            press!();
          });
        }
      },
    });
    assert.deepEqual(exits, ['first press', 'exit 130']);
    assert.equal(r.exitNow, 130);
    assert.equal(r.err.match(/^stopping:/gm)?.length, 1, r.err);
  });
});

function correctChecks(report: ClassReport): string[] {
  return Object.keys(report.rows.find((r) => r.learner === 'correct')!.points);
}
