// `transformer-labs grade-all`: the terminal side of core/grading/classGrading.ts — the progress
// bar, Ctrl+C, and the CSV and JSON rewritten after every row so a stop or a crash keeps them.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { SidecarClient } from '../core/compute/sidecarClient';
import { gradeClass, type ClassRow } from '../core/grading/classGrading';
import { classSummary, readPreviousRows, writeClassOutputs, type ClassReport } from '../core/grading/classReport';
import { findSubmissions, type Submission } from '../core/grading/submissions';
import type { Lab } from '../core/labs/manifest';
import type { RunLimits } from '../core/protocol/sidecar';
import type { CliIo } from './cliIo';

export interface GradeAllArgs {
  submissionsDir: string;
  labId?: string;
  jobs?: number;
  out: string;
  resume: boolean;
  labs: Lab[];
  newClient: () => SidecarClient;
  limits: RunLimits;
  extensionVersion: string;
  io: CliIo;
}

export function jsonFileFor(csvFile: string): string {
  return csvFile.toLowerCase().endsWith('.csv') ? csvFile.slice(0, -4) + '.json' : csvFile + '.json';
}

// Drawn only as a submission starts or ends, so `total` is at least 1.
function progressLine(done: number, total: number, started: number, current: string, columns = 100): string {
  const width = 28;
  const filled = Math.round((done / total) * width);
  const secs = (Date.now() - started) / 1000;
  const rate = done > 0 ? ` ${(done / secs).toFixed(2)}/s` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs.toFixed(0)} s${rate}  ${current}`.slice(0, columns - 1);
}

/** Returns the exit code: 0 when the batch ran to its end, 130 when Ctrl+C stopped it. */
export async function gradeAll(a: GradeAllArgs): Promise<number> {
  const io = a.io;
  const submissions = findSubmissions(resolve(a.submissionsDir));
  const csvFile = resolve(a.out);
  const jsonFile = jsonFileFor(csvFile);
  const previous = a.resume ? readPreviousRows(jsonFile) : undefined;
  const jobs = a.jobs ?? availableParallelism();
  const tty = io.errTty;
  const started = Date.now();
  const rows: ClassRow[] = [];
  const inFlight = new Set<string>();
  const report = (): ClassReport => ({
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    extensionVersion: a.extensionVersion,
    limits: a.limits,
    rows: [...rows].sort((x, y) => x.learner.localeCompare(y.learner)),
  });
  // The bar is ended by a newline before anything else is written below it, and only when one
  // is on screen (no blank line when Ctrl+C comes before the first submission starts).
  let barShown = false;
  const draw = () => {
    if (!tty) return;
    barShown = true;
    io.errWrite(`\r\x1b[K${progressLine(rows.length, submissions.length, started, [...inFlight].join(', '), io.errColumns)}`);
  };
  const endBar = () => {
    if (barShown) io.errWrite('\n');
    barShown = false;
  };
  io.err(`grading ${submissions.length} submission(s) from ${resolve(a.submissionsDir)} on ${jobs} sidecar(s)${previous ? `, ${previous.size} earlier row(s) to reuse` : ''}`);

  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) return io.exitNow(130);
    endBar();
    io.err('stopping: the submissions in progress are dropped, the rows graded are kept (Ctrl+C again quits at once)');
    stop.abort();
  };
  const offInterrupt = io.onInterrupt(onSigint);
  try {
    const result = await gradeClass({
      submissions,
      labs: a.labs,
      labId: a.labId,
      jobs,
      newClient: a.newClient,
      limits: a.limits,
      extensionVersion: a.extensionVersion,
      previous,
      signal: stop.signal,
      onStart: (s: Submission) => {
        inFlight.add(s.learner);
        draw();
      },
      onRow: (row) => {
        inFlight.delete(row.learner);
        rows.push(row);
        writeClassOutputs(csvFile, jsonFile, report(), a.labs);
        if (tty) draw();
        else {
          const what = row.score !== null ? `${row.score}/${row.maxScore}` : `not graded: ${row.error}`;
          io.err(`${rows.length}/${submissions.length} ${row.learner}: ${what}${row.resumed ? ' (unchanged, kept)' : ''}${row.flags.length ? ` [${row.flags.join(', ')}]` : ''}`);
        }
      },
    });
    endBar();
    writeClassOutputs(csvFile, jsonFile, report(), a.labs);
    const secs = (Date.now() - started) / 1000;
    io.out(classSummary(result.rows));
    io.out(`\n${result.rows.length} row(s) in ${secs.toFixed(1)} s (${(result.rows.length / secs).toFixed(2)} submissions/s)\nwrote ${csvFile}\nwrote ${jsonFile}`);
    if (result.interrupted) {
      io.out(`stopped by Ctrl+C after ${result.rows.length} of ${submissions.length}: run again with --resume to grade the rest`);
      return 130;
    }
    return 0;
  } finally {
    offInterrupt();
  }
}
