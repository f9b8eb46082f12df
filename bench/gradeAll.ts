// `transformer-labs grade-all` on a generated class of 100 Lab 1 submissions (correct, wrong,
// unstarted and looping ones), through the packaged CLI, with --jobs 2 and --jobs 1.
// Run alone: node out/bench/gradeAll.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../core/checks/timeLimits';
import { findBuildPaths } from '../core/compute/paths';
import type { ClassRow } from '../core/grading/classGrading';
import type { ClassReport } from '../core/grading/classReport';
import { generateClass } from '../test/support/classSubmissions';
import { type BenchRow, printTable } from './stats';

const SUBMISSIONS = 100;
const TARGET_S = 120;

interface Timed {
  seconds: number;
  report: ClassReport;
  /** The 1-minute load average before and after: the machine is shared, so say how busy it was. */
  load: [number, number];
}

function run(cli: string, subs: string, out: string, jobs: number): Timed {
  const loadBefore = loadavg()[0];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'grade-all', subs, '--lab', '01-attention', '--jobs', String(jobs), '--out', out], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`grade-all --jobs ${jobs} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { seconds, report: JSON.parse(readFileSync(out.replace(/\.csv$/, '.json'), 'utf8')) as ClassReport, load: [loadBefore, loadavg()[0]] };
}

const loadText = (t: Timed) => `load ${t.load[0].toFixed(1)}→${t.load[1].toFixed(1)}`;

/** Seconds summed over the submissions, per phase, and for the kinds that cost the most. */
function phaseText(rows: ClassRow[], kindOf: (learner: string) => string): string {
  const s = (f: (r: ClassRow) => number, which = rows) => (which.reduce((a, r) => a + (r.phases ? f(r) : 0), 0) / 1000).toFixed(1);
  const runs = rows.reduce((a, r) => a + (r.phases?.checkRuns ?? 0), 0);
  const kinds = [...new Set(rows.map((r) => kindOf(r.learner)))];
  const perKind = kinds.map((k) => {
    const of = rows.filter((r) => kindOf(r.learner) === k);
    return `${k} ${s((r) => r.durationMs, of)} s`;
  });
  return (
    `checks ${s((r) => r.phases!.checksMs)} s in ${runs} runs, type check ${s((r) => r.phases!.typeCheckMs)} s, ` +
    `sidecar starts ${s((r) => r.phases!.sidecarStartMs)} s, reading ${s((r) => r.phases!.prepareMs)} s; by kind: ${perKind.join(', ')}`
  );
}

export function gradeAllBench(): BenchRow[] {
  const root = findBuildPaths(__dirname).packageRoot;
  const cli = join(root, 'dist', 'cli.js');
  const work = mkdtempSync(join(tmpdir(), 'tl-bench-grade-all-'));
  try {
    const subs = join(work, 'class');
    const kinds = generateClass(subs, SUBMISSIONS);
    // generateClass names each folder learner-NNN-<kind>.
    const kindOf = (learner: string) => learner.replace(/^learner-\d+-/, '');
    const two = run(cli, subs, join(work, 'two.csv'), 2);
    const one = run(cli, subs, join(work, 'one.csv'), 1);
    const graded = two.report.rows.filter((r) => r.score !== null).length;
    const same = two.report.rows.every((r, i) => r.score === one.report.rows[i].score);
    const mix = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
    return [
      {
        measure: `grade-all, ${SUBMISSIONS} Lab 1 submissions (${mix}; the default ${DEFAULT_LIMITS.timeoutMs / 1000}-s time limit), --jobs 2`,
        value: `${two.seconds.toFixed(1)} s, ${(SUBMISSIONS / two.seconds).toFixed(2)} submissions/s, ${graded} graded (${loadText(two)})`,
        target: `< ${TARGET_S} s, all graded`,
        ok: two.seconds < TARGET_S && graded === SUBMISSIONS,
      },
      {
        measure: 'grade-all --jobs 1, same class',
        value: `${one.seconds.toFixed(1)} s, ${(SUBMISSIONS / one.seconds).toFixed(2)} submissions/s (${loadText(one)})`,
        target: 'same scores as --jobs 2',
        ok: same,
      },
      {
        measure: 'grade-all --jobs 2, time per phase summed over submissions',
        value: phaseText(two.report.rows, kindOf),
        target: 'where the time goes',
        ok: two.report.rows.every((r) => r.resumed || r.phases !== undefined || r.score === null),
      },
      { measure: 'grade-all speed-up, --jobs 2 over --jobs 1', value: `${(one.seconds / two.seconds).toFixed(2)}×`, target: '> 1×', ok: one.seconds > two.seconds },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  printTable(gradeAllBench());
}
