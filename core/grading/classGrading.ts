// Grades a class: a pool of sidecars, one submission at a time each. Every submission ends as a
// row — graded, or with the reason it could not be — so one broken, empty, looping or hostile
// submission never stops the batch. Each row's numbers come from gradeLab, the function
// `transformer-labs grade` and Grade Lab use, so a batch gives what grading each folder alone gives.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckEngine, readLabFiles } from '../checks/engine';
import { SidecarCrashedError, type SidecarClient } from '../compute/sidecarClient';
import { findLab } from '../labs/labLoader';
import type { Lab } from '../labs/manifest';
import { findLabWorkspace } from '../labs/scaffold';
import type { CheckStatus, RunLimits } from '../protocol/sidecar';
import { GRADE_REPORT_FILE, gradeLab, type GradeReport } from './gradeReport';
import { describeSubmission, fingerprint, locateLabFolder, refusedExerciseFiles, unpackSubmission, type Submission } from './submissions';
import { ZipError } from './zipReader';

/** What a flag in the CSV means; the row's `notes` say it for this learner. */
export const FLAGS = {
  'not-graded': 'no score: the row says why',
  'compile-error': 'the code does not compile, so no check ran',
  timeout: 'a check run hit the time limit (a loop that never ends?)',
  memory: 'a check run hit the memory limit',
  'lab-mismatch': "the folder's .transformer-labs/lab.json names another lab than --lab",
  'report-files-differ': "the learner's grade-report.json lists file hashes that do not match the files",
  'report-score-differs': "the learner's grade-report.json claims another score than the re-grade",
  'report-unreadable': "the learner's grade-report.json is not a grade report",
} as const;
export type Flag = keyof typeof FLAGS;

export interface ClassRow {
  learner: string;
  /** The folder or zip, as found in the submissions folder. */
  source: string;
  labId: string | null;
  labVersion: string | null;
  /** null when the submission could not be graded (see `error`). */
  score: number | null;
  maxScore: number | null;
  percent: number | null;
  /** Points earned per check id. */
  points: Record<string, number>;
  statuses: Record<string, CheckStatus>;
  flags: Flag[];
  /** One sentence per flag or problem, for this learner. */
  notes: string[];
  /** Why there is no score. */
  error?: string;
  durationMs: number;
  /** Where this submission's time went (absent for rows copied by --resume from older runs). */
  phases?: SubmissionPhases;
  /** sha256 over the lab version and the exercise files graded (what --resume compares). */
  fingerprint?: string;
  /** Copied from an earlier run by --resume. */
  resumed?: boolean;
  report?: GradeReport;
}

/** Milliseconds per phase of one submission's grading, for the bench and the slowest list. */
export interface SubmissionPhases {
  /** Unpacking, finding the lab folder, reading and hashing its files. */
  prepareMs: number;
  /** Starting a sidecar: 0 unless this submission was the first on its slot or followed a crash. */
  sidecarStartMs: number;
  /** The check runs (a run that hit a limit is followed by a run of the checks it kept from running). */
  checksMs: number;
  checkRuns: number;
  typeCheckMs: number;
}

export interface ClassGradingOptions {
  submissions: Submission[];
  labs: Lab[];
  /** Grade every submission as this lab (--lab); else each folder's .transformer-labs/lab.json says. */
  labId?: string;
  jobs: number;
  newClient: () => SidecarClient;
  limits: RunLimits;
  extensionVersion: string;
  /** Rows of an earlier run by learner: a row with the same fingerprint is kept, not re-graded. */
  previous?: Map<string, ClassRow>;
  signal?: AbortSignal;
  /**
   * Wall-clock limit for one submission, sidecar start and type check included. By default
   * it leaves room for every check of the lab to hit the time limit (grading re-runs the checks
   * after one that did), so a looping submission is graded as `grade` grades it alone.
   */
  submissionTimeoutMs?: number;
  onStart?: (s: Submission) => void;
  onRow?: (row: ClassRow) => void;
}

export interface ClassResult {
  rows: ClassRow[];
  /** The batch was stopped (Ctrl+C): submissions in flight or not started have no row. */
  interrupted: boolean;
}

class Skipped extends Error {}

function failedRow(s: Submission, started: number, error: string, partial: Partial<ClassRow> = {}): ClassRow {
  return {
    learner: s.learner,
    source: describeSubmission(s),
    labId: null,
    labVersion: null,
    score: null,
    maxScore: null,
    percent: null,
    points: {},
    statuses: {},
    ...partial,
    flags: ['not-graded', ...(partial.flags ?? [])],
    notes: partial.notes ?? [],
    error,
    durationMs: Date.now() - started,
  };
}

/** The learner's own grade-report.json against the re-grade: hashes and score. */
export function integrityFlags(labFolder: string, regrade: GradeReport): { flags: Flag[]; notes: string[] } {
  const file = join(labFolder, GRADE_REPORT_FILE);
  if (!existsSync(file)) return { flags: [], notes: [] };
  let claimed: Partial<GradeReport>;
  try {
    claimed = JSON.parse(readFileSync(file, 'utf8')) as Partial<GradeReport>;
    if (typeof claimed !== 'object' || claimed === null || typeof claimed.score !== 'number' || !Array.isArray(claimed.files)) throw new Error('no score or files');
  } catch (err) {
    return { flags: ['report-unreadable'], notes: [`${GRADE_REPORT_FILE} is not a grade report (${(err as Error).message})`] };
  }
  const flags: Flag[] = [];
  const notes: string[] = [];
  const claimedHashes = new Map(claimed.files!.map((f) => [String(f?.path), String(f?.sha256)]));
  const differ = regrade.files.filter((f) => claimedHashes.get(f.path) !== f.sha256).map((f) => f.path);
  if (differ.length > 0 || claimed.labId !== regrade.labId) {
    flags.push('report-files-differ');
    notes.push(
      claimed.labId !== regrade.labId
        ? `${GRADE_REPORT_FILE} is a report of lab "${String(claimed.labId)}", not ${regrade.labId}`
        : `${GRADE_REPORT_FILE} lists other hashes for ${differ.join(', ')} than the files submitted (edited after grading, or the report was copied)`,
    );
  }
  // A learner build's report holds the visible checks only: compare it with those.
  const visibleOnly = claimed.instructorChecks !== undefined;
  const regraded = visibleOnly ? regrade.checks.filter((c) => !c.hidden).reduce((s, c) => s + c.earned, 0) : regrade.score;
  const regradedMax = visibleOnly ? regrade.checks.filter((c) => !c.hidden).reduce((s, c) => s + c.points, 0) : regrade.maxScore;
  if (claimed.score !== regraded) {
    flags.push('report-score-differs');
    notes.push(`${GRADE_REPORT_FILE} claims ${claimed.score}/${String(claimed.maxScore)}; the re-grade gives ${regraded}/${regradedMax}${visibleOnly ? ' on the visible checks' : ''}`);
  }
  return { flags, notes };
}

function rowFromReport(s: Submission, lab: Lab, report: GradeReport, started: number, print: string, extra: { flags: Flag[]; notes: string[] }): ClassRow {
  const flags = new Set<Flag>(extra.flags);
  if (report.compileErrors.length > 0) flags.add('compile-error');
  if (report.checks.some((c) => c.status === 'timeout')) flags.add('timeout');
  if (report.checks.some((c) => c.status === 'memory')) flags.add('memory');
  const notes = [...extra.notes];
  if (report.compileErrors.length > 0) {
    const d = report.compileErrors[0];
    notes.push(`${d.file}:${d.line}:${d.column} does not compile: ${d.message}`);
  }
  const stopped = report.checks.find((c) => c.status === 'timeout' || c.status === 'memory');
  if (stopped) notes.push(stopped.message);
  const threw = report.checks.find((c) => c.status === 'error');
  if (threw) notes.push(`${threw.id}: ${threw.message}`);
  return {
    learner: s.learner,
    source: describeSubmission(s),
    labId: lab.manifest.id,
    labVersion: lab.manifest.version,
    score: report.score,
    maxScore: report.maxScore,
    percent: report.percent,
    points: Object.fromEntries(report.checks.map((c) => [c.id, c.earned])),
    statuses: Object.fromEntries(report.checks.map((c) => [c.id, c.status])),
    flags: [...flags],
    notes,
    durationMs: Date.now() - started,
    fingerprint: print,
    report,
  };
}

/** Which lab a submission is, and where its lab folder is; throws a sentence when it cannot tell. */
function identify(dir: string, opts: ClassGradingOptions): { lab: Lab; folder: string; flags: Flag[]; notes: string[] } {
  const forced = opts.labId ? findLab(opts.labs, opts.labId) : undefined;
  const exerciseFiles = (forced ? [forced] : opts.labs).flatMap((l) => l.manifest.files.map((f) => f.path));
  const folder = locateLabFolder(dir, exerciseFiles);
  if (!folder) {
    throw new Error(`no lab folder in it: neither .transformer-labs/lab.json nor ${[...new Set(exerciseFiles)].slice(0, 3).join(', ')} (empty, or more than one folder inside)`);
  }
  const marker = findLabWorkspace(folder, { quiet: true });
  if (forced) {
    if (marker && marker.labId !== forced.manifest.id) {
      return { lab: forced, folder, flags: ['lab-mismatch'], notes: [`.transformer-labs/lab.json says "${marker.labId}"; graded as ${forced.manifest.id} (--lab)`] };
    }
    return { lab: forced, folder, flags: [], notes: [] };
  }
  if (!marker) throw new Error('no readable .transformer-labs/lab.json says which lab it is: pass --lab <id>');
  const lab = findLab(opts.labs, marker.labId);
  if (!lab) throw new Error(`it is lab "${marker.labId}", which this version of Transformer Labs does not have`);
  return { lab, folder, flags: [], notes: [] };
}

function describeError(err: unknown): string {
  if (err instanceof ZipError) return `the zip cannot be read: ${err.message}`;
  if (err instanceof SidecarCrashedError) return `the compute process crashed on it twice (${err.message})`;
  return (err as Error)?.message ?? String(err);
}

/**
 * How long one submission may take: every check of the lab may hit the time limit, each in a run
 * of its own (CheckEngine re-runs the checks a limit kept from running), plus a minute for the
 * sidecar's start, the type check and the worker restarts between those runs.
 */
export function submissionDeadlineMs(lab: Lab, limits: RunLimits): number {
  return (lab.manifest.checks.length + 1) * limits.timeoutMs + 60_000;
}

/** Starts the slot's sidecar (a no-op when it runs), giving up when `signal` aborts. */
async function startClient(client: SidecarClient, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new Error('stopped before the sidecar started');
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('stopped while the sidecar started'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    await Promise.race([client.start(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

export async function gradeClass(opts: ClassGradingOptions): Promise<ClassResult> {
  const queue = [...opts.submissions];
  const rows: ClassRow[] = [];
  const deadlineFor = (lab: Lab) => opts.submissionTimeoutMs ?? submissionDeadlineMs(lab, opts.limits);
  const clients: (SidecarClient | undefined)[] = [];

  const gradeOne = async (slot: number, s: Submission): Promise<ClassRow> => {
    const started = Date.now();
    const since = (t: number) => Math.round(performance.now() - t);
    const t0 = performance.now();
    let unpacked;
    try {
      unpacked = unpackSubmission(s);
    } catch (err) {
      return failedRow(s, started, describeError(err));
    }
    try {
      let who;
      try {
        who = identify(unpacked.dir, opts);
      } catch (err) {
        return failedRow(s, started, describeError(err));
      }
      const { lab, folder } = who;
      const labFields = { labId: lab.manifest.id, labVersion: lab.manifest.version, flags: who.flags, notes: who.notes };
      const refused = refusedExerciseFiles(lab, folder);
      if (refused.length > 0) return failedRow(s, started, `not read: ${refused.join('; ')}`, labFields);
      let print: string;
      let files;
      try {
        files = readLabFiles(lab, folder);
        print = fingerprint(lab, files);
      } catch (err) {
        return failedRow(s, started, describeError(err), labFields);
      }
      const before = opts.previous?.get(s.learner);
      if (before && before.fingerprint === print && before.score !== null) return { ...before, resumed: true };
      const phases: SubmissionPhases = { prepareMs: since(t0), sidecarStartMs: 0, checksMs: 0, checkRuns: 0, typeCheckMs: 0 };
      const deadline = deadlineFor(lab);

      const ac = new AbortController();
      const onStop = () => ac.abort();
      opts.signal?.addEventListener('abort', onStop, { once: true });
      // A stop that came while this submission was being announced (onStart) fires no event now.
      if (opts.signal?.aborted) ac.abort();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        ac.abort();
      }, deadline);
      const client = (clients[slot] ??= opts.newClient());
      try {
        const tStart = performance.now();
        await startClient(client, ac.signal);
        phases.sidecarStartMs = since(tStart);
        const timed: Pick<SidecarClient, 'runChecks'> = {
          runChecks: async (params, signal) => {
            const t = performance.now();
            try {
              return await client.runChecks(params, signal);
            } finally {
              phases.checkRuns++;
              phases.checksMs += since(t);
            }
          },
        };
        const engine = new CheckEngine(timed, () => opts.limits);
        const report = await gradeLab(engine, lab, folder, {
          extensionVersion: opts.extensionVersion,
          typeCheck: async (files, signal) => {
            const t = performance.now();
            try {
              return (await client.typeCheck({ files }, signal)).typeErrors;
            } finally {
              phases.typeCheckMs += since(t);
            }
          },
          signal: ac.signal,
          files,
        });
        const integrity = integrityFlags(folder, report);
        const row = rowFromReport(s, lab, report, started, print, {
          flags: [...who.flags, ...integrity.flags],
          notes: [...who.notes, ...integrity.notes],
        });
        return { ...row, phases };
      } catch (err) {
        if (opts.signal?.aborted) throw new Skipped();
        // A sidecar that was stopped mid-run or crashed is replaced before the next submission.
        clients[slot] = undefined;
        void client.dispose();
        const why = timedOut ? `grading it took longer than ${Math.round(deadline / 1000)} s and was stopped` : describeError(err);
        return failedRow(s, started, why, { ...labFields, fingerprint: print });
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onStop);
      }
    } finally {
      unpacked.cleanup();
    }
  };

  const worker = async (slot: number) => {
    for (;;) {
      if (opts.signal?.aborted) return;
      const s = queue.shift();
      if (!s) return;
      opts.onStart?.(s);
      try {
        const row = await gradeOne(slot, s);
        if (opts.signal?.aborted && !row.resumed && row.score === null) return;
        rows.push(row);
        opts.onRow?.(row);
      } catch (err) {
        if (err instanceof Skipped) return;
        throw err;
      }
    }
  };

  try {
    const jobs = Math.max(1, Math.min(opts.jobs, queue.length || 1));
    await Promise.all(Array.from({ length: jobs }, (_, i) => worker(i)));
  } finally {
    await Promise.all(clients.map((c) => c?.dispose()));
  }
  rows.sort((a, b) => a.learner.localeCompare(b.learner));
  return { rows, interrupted: opts.signal?.aborted === true };
}
