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

  // Its own run, not the `before` hook's: a mutation tool switches a mutant on per test, after the
  // hooks have run, so only output made inside the test can show a mutant's effect.
  it('says what it grades, one line per row as it is graded (off a terminal), the rows sorted, and the rate at the end', async () => {
    const cls = join(root, 'lines');
    // a-loop finishes last (its checks wait for the 3-s limit) and sorts first; it carries two flags.
    writeLab1Folder(join(cls, 'a-loop'), lab1Attention('looping', 1), { labId: '06-mini-gpt' });
    writeLab1Folder(join(cls, 'b-wrong'), lab1Attention('wrong-softmax', 2));
    mkdirSync(join(cls, 'c-empty'));
    const out = join(root, 'lines.csv');
    const t0 = Date.now();
    const run = await cli(['grade-all', cls, '--lab', '01-attention', '--jobs', '2', '--out', out, ...LIMIT]);
    const wallSecs = (Date.now() - t0) / 1000;
    assert.equal(run.code, 0, run.err);
    const report = readJson(join(root, 'lines.json'));
    assert.match(run.err, new RegExp(`^grading 3 submission\\(s\\) from ${cls.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on 2 sidecar\\(s\\)$`, 'm'));
    assert.doesNotMatch(run.err, /\n\n|\r/, 'off a terminal: no bar, no blank line');
    const lines = run.err.split('\n').filter((l) => /^\d+\/\d+ /.test(l));
    assert.equal(lines.length, 3, run.err);
    lines.forEach((l, i) => assert.ok(l.startsWith(`${i + 1}/3 `), l));
    assert.match(lines[2], /^3\/3 a-loop: /, 'the looping submission ends last');
    const a = rowOf(report, 'a-loop');
    const b = rowOf(report, 'b-wrong');
    assert.deepEqual([...a.flags].sort(), ['lab-mismatch', 'timeout']);
    assert.ok(b.score! > 0 && b.score! < b.maxScore!, `b-wrong ${b.score}/${b.maxScore}`);
    assert.equal(lines.find((l) => l.includes(' a-loop: ')), `3/3 a-loop: ${a.score}/${a.maxScore} [${a.flags.join(', ')}]`);
    assert.match(lines.find((l) => l.includes(' b-wrong: '))!, new RegExp(`^\\d/3 b-wrong: ${b.score}/${b.maxScore}$`));
    assert.match(lines.find((l) => l.includes(' c-empty: '))!, /^\d\/3 c-empty: not graded: no lab folder in it/);
    assert.deepEqual(report.rows.map((r) => r.learner), ['a-loop', 'b-wrong', 'c-empty'], 'rows by learner, not by the order they finished in');
    assert.deepEqual(readFileSync(out, 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(',')[0]), ['a-loop', 'b-wrong', 'c-empty']);
    const end = /\n(\d+) row\(s\) in (\d+\.\d) s \((\d+\.\d\d) submissions\/s\)\nwrote (.*)\nwrote (.*)\n/.exec(run.out);
    assert.ok(end, run.out);
    const [rowsDone, secs, rate] = [Number(end[1]), Number(end[2]), Number(end[3])];
    assert.equal(rowsDone, 3);
    assert.ok(secs >= 3 && secs <= wallSecs + 0.1, `${secs} s, the test measured ${wallSecs} s`);
    // Both printed rounded: the seconds to 0.1, the rate to 0.01.
    assert.ok(rate >= 3 / (secs + 0.05) - 0.005 && rate <= 3 / (secs - 0.05) + 0.005, `${rate}/s for 3 rows in ${secs} s`);
    assert.deepEqual([end[4], end[5]], [out, join(root, 'lines.json')]);
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

  it('in a terminal, draws one progress bar in place with the rate, cut to the terminal\'s width, and ends it with a newline', async () => {
    const cls = join(root, 'tty');
    writeLab1Folder(join(cls, 'amy'), lab1Attention('correct', 3));
    writeLab1Folder(join(cls, 'bob'), lab1Attention('looping', 4));
    const t0 = Date.now();
    const wide = await cli(['grade-all', cls, '--jobs', '2', '--out', join(root, 'tty.csv'), ...LIMIT], { tty: { columns: 120 } });
    const wallSecs = (Date.now() - t0) / 1000;
    assert.equal(wide.code, 0, wide.err);
    const frames = wide.err.split('\r\x1b[K').slice(1);
    assert.ok(frames.length >= 4, `a frame as each submission starts and ends: ${JSON.stringify(wide.err)}`);
    assert.match(frames[0], /^\[\.{28}\] 0\/2 \d+ s  amy$/, 'none done yet: no rate; the one in progress named');
    assert.match(frames[1], /^\[\.{28}\] 0\/2 \d+ s  amy, bob$/, 'both in progress, named');
    assert.ok(frames.some((f) => /^\[#{14}\.{14}\] 1\/2 \d+ s \d+\.\d\d\/s  bob$/.test(f)), 'half the bar after one of two, the one left named');
    const last = /^\[#{28}\] 2\/2 (\d+) s (\d+\.\d\d)\/s  \n/.exec(frames[frames.length - 1]);
    assert.ok(last, `all done, the rate, then the newline that ends the bar: ${JSON.stringify(frames[frames.length - 1])}`);
    // bob's checks wait for the 3-s limit, so at least 3 s have passed; the seconds are rounded to 1.
    const [secs, rate] = [Number(last[1]), Number(last[2])];
    assert.ok(secs >= 3 && secs <= wallSecs + 0.5, `${secs} s on the bar, the test measured ${wallSecs} s`);
    assert.ok(rate >= 2 / (secs + 0.5) - 0.005 && rate <= 2 / (secs - 0.5) + 0.005, `${rate}/s for 2 in ${secs} s`);
    assert.doesNotMatch(wide.err, /^\d\/2 amy:/m, 'no line per row in a terminal');
    const narrow = await cli(['grade-all', cls, '--out', join(root, 'tty.csv'), ...LIMIT], { tty: { columns: 20 } });
    assert.match(narrow.err, new RegExp(`^grading 2 submission\\(s\\) from .* on ${availableParallelism()} sidecar\\(s\\)$`, 'm'), 'without --jobs, one sidecar per core');
    const narrowFrames = narrow.err.split('\r\x1b[K').slice(1).map((f) => f.split('\n')[0]);
    assert.ok(narrowFrames.every((f) => f.length === 19), `each frame one character short of 20 columns: ${JSON.stringify(narrowFrames)}`);
  });

  it('in a terminal, Ctrl+C ends the bar\'s line before saying it stops, and adds no blank line when no bar is drawn yet', async () => {
    const cls = join(root, 'tty-stop');
    for (let i = 0; i < 2; i++) writeLab1Folder(join(cls, `l${i}`), lab1Attention('looping', i));
    const run = (pressAt: 'first frame' | 'at once') => {
      let press: (() => void) | undefined;
      let pressed = false;
      return cli(['grade-all', cls, '--jobs', '1', '--out', join(root, 'tty-stop.csv'), ...LIMIT], {
        tty: { columns: 80 },
        onInterruptHandler: (p) => {
          press = p;
          if (pressAt === 'at once') p();
        },
        onOutput: (stream, _text, all) => {
          if (pressAt === 'first frame' && stream === 'err' && !pressed && all.includes('\r\x1b[K')) {
            pressed = true;
            press!();
          }
        },
      });
    };
    const midBar = await run('first frame');
    assert.equal(midBar.code, 130, midBar.err);
    assert.match(midBar.err, /\r\x1b\[K\[\.{28}\] 0\/2 \d+ s  l0\nstopping:/, JSON.stringify(midBar.err));
    assert.doesNotMatch(midBar.err, /\n\n/, JSON.stringify(midBar.err));
    // Pressed while l0 was announced, before its grading listened for the stop: it is still dropped.
    assert.match(midBar.out, /stopped by Ctrl\+C after 0 of 2/);
    assert.equal(midBar.err.split('\r\x1b[K').length, 2, 'no frame after the stop');
    const first = await run('at once');
    assert.equal(first.code, 130, first.err);
    assert.doesNotMatch(first.err, /\r/, 'nothing started, so no bar');
    assert.match(first.err, /^grading 2 submission\(s\) from .*\nstopping:/m, JSON.stringify(first.err));
    assert.doesNotMatch(first.err, /\n\n/, JSON.stringify(first.err));
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
