// `transformer-labs grade-all` on a generated class of 100 Lab 1 submissions (correct, wrong,
// unstarted and looping ones), through the packaged CLI, with --jobs 2 and --jobs 1.
// Run alone: node out/bench/gradeAll.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../core/compute/paths';
import type { ClassReport } from '../core/grading/classReport';
import { generateClass } from '../test/support/classSubmissions';
import { type BenchRow, printTable } from './stats';

const SUBMISSIONS = 100;
const TARGET_S = 120;

function run(cli: string, subs: string, out: string, jobs: number): { seconds: number; report: ClassReport } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'grade-all', subs, '--lab', '01-attention', '--jobs', String(jobs), '--out', out], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`grade-all --jobs ${jobs} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { seconds, report: JSON.parse(readFileSync(out.replace(/\.csv$/, '.json'), 'utf8')) as ClassReport };
}

export function gradeAllBench(): BenchRow[] {
  const root = findBuildPaths(__dirname).packageRoot;
  const cli = join(root, 'dist', 'cli.js');
  const work = mkdtempSync(join(tmpdir(), 'tl-bench-grade-all-'));
  try {
    const subs = join(work, 'class');
    const kinds = generateClass(subs, SUBMISSIONS);
    const two = run(cli, subs, join(work, 'two.csv'), 2);
    const one = run(cli, subs, join(work, 'one.csv'), 1);
    const graded = two.report.rows.filter((r) => r.score !== null).length;
    const same = two.report.rows.every((r, i) => r.score === one.report.rows[i].score);
    const mix = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
    return [
      {
        measure: `grade-all, ${SUBMISSIONS} Lab 1 submissions (${mix}), --jobs 2`,
        value: `${two.seconds.toFixed(1)} s, ${(SUBMISSIONS / two.seconds).toFixed(2)} submissions/s, ${graded} graded`,
        target: `< ${TARGET_S} s, all graded`,
        ok: two.seconds < TARGET_S && graded === SUBMISSIONS,
      },
      {
        measure: 'grade-all --jobs 1, same class',
        value: `${one.seconds.toFixed(1)} s, ${(SUBMISSIONS / one.seconds).toFixed(2)} submissions/s`,
        target: 'same scores as --jobs 2',
        ok: same,
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
