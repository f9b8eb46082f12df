// Decides, when a later lab is created, whether a file it builds on (Labs 2 and 6: attention.ts)
// starts as the learner's own earlier code or as the course's reference: the learner's code only
// when every function the new lab needs passes the earlier lab's visible checks, run through the
// sidecar. Otherwise the reference, with the functions that do not pass yet named. Shared by Open
// Lab, the switch command and the CLI's `new`; no vscode.
import { join } from 'node:path';
import type { CheckEngine, CheckRun } from '../checks/engine';
import { readLabFiles } from '../checks/engine';
import type { Lab } from './manifest';
import { findLabWorkspaceFor, neededFunctions } from './reuse';
import { t } from '../l10n';

/** How one needed function of the earlier lab does on that lab's visible checks. */
export interface FunctionVerdict {
  name: string;
  passed: number;
  total: number;
  status: 'pass' | 'not-started' | 'fail';
  /** The first failing check's message. */
  message?: string;
}

interface DecisionBase {
  /** The file of the new lab, e.g. "attention.ts". */
  path: string;
  /** The earlier lab's id and its title for messages ("Lab 1"). */
  fromLab: string;
  fromTitle: string;
  /** The earlier lab's file, when its folder was found. */
  from?: string;
  needed: string[];
  verdicts: FunctionVerdict[];
}

export type ReuseDecision =
  | (DecisionBase & { use: 'own'; from: string })
  | (DecisionBase & { use: 'reference'; why: 'not-found' | 'not-passing' | 'not-checked'; detail?: string });

/** Runs the earlier lab's visible checks of `functions` on the learner's files of that lab. */
export type EarlierChecks = Pick<CheckEngine, 'run'>;

export interface PlanOptions {
  /** Every lab, to find the earlier one. */
  labs: Lab[];
  /** Where the learner's earlier labs may be (recorded folders, the new folder's parent, open folders). */
  roots: string[];
  /** The check engine on a sidecar; absent (or `trusted: false`) means the code cannot be checked here. */
  checks?: EarlierChecks;
  /** Running checks runs the learner's code: only in a trusted workspace. */
  trusted?: boolean;
  signal?: AbortSignal;
}

/** Per-function verdicts from a check run, in the order of `functions`. */
export function verdictsOf(run: CheckRun, functions: string[]): FunctionVerdict[] {
  return functions.map((name) => {
    const mine = run.outcomes.filter((o) => o.spec.function === name);
    const passed = mine.filter((o) => o.status === 'pass').length;
    const failure = mine.find((o) => o.status !== 'pass' && o.status !== 'not-started') ?? mine.find((o) => o.status !== 'pass');
    const status: FunctionVerdict['status'] =
      passed === mine.length ? 'pass' : mine.every((o) => o.status === 'pass' || o.status === 'not-started') && passed === 0 ? 'not-started' : 'fail';
    return { name, passed, total: mine.length, status, message: status === 'pass' ? undefined : failure?.message };
  });
}

/** Checks the learner's earlier lab for one reused file of `lab`. */
export async function decideReuse(lab: Lab, path: string, opts: PlanOptions): Promise<ReuseDecision> {
  const file = lab.manifest.files.find((f) => f.path === path);
  if (!file?.reuseFrom) throw new Error(`${path} of lab "${lab.manifest.id}" is not built on an earlier lab`);
  const earlierLab = opts.labs.find((l) => l.manifest.id === file.reuseFrom!.lab);
  const needed = neededFunctions(lab, file);
  const base = {
    path,
    fromLab: file.reuseFrom.lab,
    fromTitle: earlierLab ? t('Lab {0}', earlierLab.manifest.order) : t('lab "{0}"', file.reuseFrom.lab),
    needed,
    verdicts: [] as FunctionVerdict[],
  };
  const dir = findLabWorkspaceFor(file.reuseFrom.lab, opts.roots);
  if (!dir || !earlierLab) return { ...base, use: 'reference', why: 'not-found' };
  const from = join(dir, file.reuseFrom.path);
  if (!opts.checks || opts.trusted === false) {
    return { ...base, from, use: 'reference', why: 'not-checked', detail: t('checks run your code, so they run only in a trusted workspace') };
  }
  let run: CheckRun;
  try {
    run = await opts.checks.run(earlierLab, readLabFiles(earlierLab, dir), { includeHidden: false, functions: needed, signal: opts.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    return { ...base, from, use: 'reference', why: 'not-checked', detail: (err as Error).message };
  }
  const verdicts = verdictsOf(run, needed);
  if (run.compileErrors.length > 0) {
    const e = run.compileErrors[0];
    return { ...base, from, verdicts, use: 'reference', why: 'not-passing', detail: t('{0}:{1} does not compile ({2})', e.file, e.line, e.message) };
  }
  return verdicts.every((v) => v.status === 'pass') ? { ...base, from, verdicts, use: 'own' } : { ...base, from, verdicts, use: 'reference', why: 'not-passing' };
}

/** Decides every reused file of `lab`. */
export async function planReuse(lab: Lab, opts: PlanOptions): Promise<ReuseDecision[]> {
  const out: ReuseDecision[] = [];
  for (const f of lab.manifest.files) if (f.reuseFrom) out.push(await decideReuse(lab, f.path, opts));
  return out;
}

/** "attention (2 of 6 checks pass), multiHeadAttention (not started)". */
export function notPassing(verdicts: FunctionVerdict[]): string {
  return verdicts
    .filter((v) => v.status !== 'pass')
    .map((v) => (v.status === 'not-started' ? t('{0} (not started)', v.name) : t('{0} ({1} of {2} checks pass)', v.name, v.passed, v.total)))
    .join(', ');
}

/** One or two sentences for the learner about a decision (the notification, the CLI). */
export function describeReuse(d: ReuseDecision): string {
  if (d.use === 'own') {
    return t("{0} is your own code from {1} ({2}): {3} pass {1}'s checks.", d.path, d.fromTitle, d.from, d.needed.join(', '));
  }
  switch (d.why) {
    case 'not-found':
      return t("{0} uses the course's reference: your {1} folder was not found (open it once, or create this lab beside it).", d.path, d.fromTitle);
    case 'not-checked':
      return d.detail
        ? t("{0} uses the course's reference: your {1} code ({2}) could not be checked ({3}).", d.path, d.fromTitle, String(d.from), d.detail)
        : t("{0} uses the course's reference: your {1} code ({2}) could not be checked.", d.path, d.fromTitle, String(d.from));
    case 'not-passing': {
      const which = notPassing(d.verdicts);
      const what = which || d.detail || t('some checks');
      const args = [d.path, d.fromTitle, String(d.from), what] as const;
      // "do" after a list, "does" after one function: whole sentences, as a translator needs both.
      if (which && d.detail) {
        return which.includes(',')
          ? t("{0} uses the course's reference: in your {1} ({2}), {3} do not pass {1}'s checks yet ({4}).", ...args, d.detail)
          : t("{0} uses the course's reference: in your {1} ({2}), {3} does not pass {1}'s checks yet ({4}).", ...args, d.detail);
      }
      return which.includes(',')
        ? t("{0} uses the course's reference: in your {1} ({2}), {3} do not pass {1}'s checks yet.", ...args)
        : t("{0} uses the course's reference: in your {1} ({2}), {3} does not pass {1}'s checks yet.", ...args);
    }
  }
}
