// What the course view shows for one lab, computed from data alone (no vscode, unit-tested): the
// lab's state (not started, in progress, all visible checks pass, graded with its score), each
// exercise function's checks with their status and the first failure's message, the mastery
// questions' score and the bonus exercise apart.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRADE_REPORT_FILE } from '../grading/gradeReport';
import type { Lab } from '../labs/manifest';
import type { CheckStatus } from '../protocol/sidecar';
import type { QuizSummary } from '../quiz/quizAnswers';
import type { RecordedResult } from './checkRecord';

export type LabState = 'not-started' | 'in-progress' | 'visible-pass' | 'graded';
export type FunctionStateKind = 'pass' | 'fail' | 'not-started' | 'partial' | 'unknown';

export interface CheckState {
  id: string;
  title: string;
  function: string;
  /** 'unknown': not checked yet (no run since the lab was created, or the lab folder does not exist). */
  status: CheckStatus | 'unknown';
  message?: string;
  bonus: boolean;
}

export interface FunctionState {
  name: string;
  file: string;
  /** Every check of this function is a bonus check. */
  bonus: boolean;
  state: FunctionStateKind;
  passed: number;
  total: number;
  /** The first check that failed or errored (not-started ones are not failures). */
  firstFailure?: CheckState;
  checks: CheckState[];
}

export interface GradeSummary {
  score: number;
  maxScore: number;
  gradedAt: string;
  quiz?: { score: number; maxScore: number };
  bonus?: { score: number; maxScore: number };
}

export interface LabStatus {
  labId: string;
  state: LabState;
  /** Visible, non-bonus checks. */
  passed: number;
  total: number;
  functions: FunctionState[];
  graded?: GradeSummary;
  quiz?: { score: number; maxScore: number; answered: number; total: number };
  /** The lab's code does not compile: the first error. */
  compileError?: string;
}

export interface LabStatusInput {
  /** The lab's folder exists. */
  created: boolean;
  /** The visible checks' latest results (live for the open lab, else the folder's record). */
  results?: readonly RecordedResult[];
  compileError?: string;
  graded?: GradeSummary;
  quiz?: QuizSummary;
}

const FAILED: ReadonlySet<string> = new Set(['fail', 'error', 'timeout', 'memory']);

function functionState(checks: CheckState[]): FunctionStateKind {
  if (checks.length === 0 || checks.every((c) => c.status === 'unknown' || c.status === 'not-run')) return 'unknown';
  if (checks.some((c) => FAILED.has(c.status))) return 'fail';
  if (checks.every((c) => c.status === 'pass')) return 'pass';
  if (checks.every((c) => c.status === 'not-started' || c.status === 'unknown' || c.status === 'not-run')) return 'not-started';
  return 'partial';
}

export function labStatus(lab: Lab, input: LabStatusInput): LabStatus {
  const m = lab.manifest;
  const byId = new Map((input.created ? (input.results ?? []) : []).map((r) => [r.id, r]));
  const visible = m.checks.filter((c) => !c.hidden);
  const checkStates: CheckState[] = visible.map((c) => {
    const r = byId.get(c.id);
    return { id: c.id, title: c.title, function: c.function, status: r?.status ?? 'unknown', message: r && r.status !== 'pass' ? r.message : undefined, bonus: c.bonus };
  });
  const functions: FunctionState[] = m.files.flatMap((f) =>
    f.functions
      .filter((fn) => !f.reuseFrom) // a reused file is an earlier lab's exercise
      .map((name) => {
        const checks = checkStates.filter((c) => c.function === name);
        return {
          name,
          file: f.path,
          bonus: checks.length > 0 && checks.every((c) => c.bonus),
          state: functionState(checks),
          passed: checks.filter((c) => c.status === 'pass').length,
          total: checks.length,
          firstFailure: checks.find((c) => FAILED.has(c.status)),
          checks,
        };
      }),
  );
  const counted = checkStates.filter((c) => !c.bonus);
  const passed = counted.filter((c) => c.status === 'pass').length;
  const started = checkStates.some((c) => c.status !== 'unknown' && c.status !== 'not-started' && c.status !== 'not-run') || (input.quiz?.answered ?? 0) > 0;
  const state: LabState = input.graded
    ? 'graded'
    : counted.length > 0 && passed === counted.length
      ? 'visible-pass'
      : input.created && (started || input.compileError)
        ? 'in-progress'
        : 'not-started';
  const q = input.quiz;
  return {
    labId: m.id,
    state,
    passed,
    total: counted.length,
    functions,
    graded: input.graded,
    quiz: q ? { score: q.score, maxScore: q.maxScore, answered: q.answered, total: q.total } : undefined,
    compileError: input.created ? input.compileError : undefined,
  };
}

/** The last grade of a lab folder (its grade-report.json), if it was graded. */
export function readGradeSummary(dir: string, labId: string): GradeSummary | undefined {
  const file = join(dir, GRADE_REPORT_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (r.labId !== labId || typeof r.score !== 'number' || typeof r.maxScore !== 'number' || typeof r.gradedAt !== 'string') return undefined;
    const pair = (x: unknown) => (x && typeof x === 'object' && typeof (x as GradeSummary).score === 'number' ? { score: (x as GradeSummary).score, maxScore: (x as GradeSummary).maxScore } : undefined);
    return { score: r.score, maxScore: r.maxScore, gradedAt: r.gradedAt, quiz: pair(r.quiz), bonus: pair(r.bonus) };
  } catch {
    return undefined;
  }
}

/** The function to continue with: the first (non-bonus) one whose visible checks do not all pass. */
export function nextFunction(status: LabStatus): FunctionState | undefined {
  return status.functions.find((f) => !f.bonus && f.state !== 'pass') ?? status.functions.find((f) => f.state !== 'pass');
}

/** Done for "Continue": every visible check passes (or the lab was graded). */
export function isDone(status: LabStatus): boolean {
  return status.state === 'visible-pass' || status.state === 'graded';
}
