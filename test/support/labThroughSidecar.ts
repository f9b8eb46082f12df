// What the "through the real sidecar" test of every later lab does the same way: scaffold a lab
// folder (solution or starter), grade it with the real engine, and time warm visible-check runs
// as after a keystroke (new text each run, so nothing comes from the transpile cache).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine } from '../../core/checks/engine';
import { findBuildPaths } from '../../core/compute/paths';
import type { SidecarClient } from '../../core/compute/sidecarClient';
import { gradeLab, type GradeReport } from '../../core/grading/gradeReport';
import { findLab, loadLabs } from '../../core/labs/labLoader';
import type { Lab } from '../../core/labs/manifest';
import { scaffoldLab } from '../../core/labs/scaffold';
import type { RunLimits, SourceFile } from '../../core/protocol/sidecar';
import { repoRoot } from './repoRoot';
import { testSidecar } from './sidecar';

export interface LabSidecar {
  readonly client: SidecarClient;
  readonly engine: CheckEngine;
  readonly lab: Lab;
}

/** One real sidecar and check engine for the lab, started before the enclosing suite and disposed after it. */
export function labSidecar(labId: string, limits: RunLimits): LabSidecar {
  let state: LabSidecar | undefined;
  before(() => {
    const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, labId);
    assert.ok(lab, `lab ${labId} does not load`);
    const client = testSidecar();
    state = { client, engine: new CheckEngine(client, () => limits), lab };
  });
  after(async () => state?.client.dispose());
  const get = (): LabSidecar => {
    assert.ok(state, 'labSidecar is used before its suite started');
    return state;
  };
  return {
    get client() {
      return get().client;
    },
    get engine() {
      return get().engine;
    },
    get lab() {
      return get().lab;
    },
  };
}

/** Grades the starter: zero, every check "not started" with the starter's message. */
export async function expectStarterNotStarted(engine: CheckEngine, lab: Lab): Promise<GradeReport> {
  const report = await gradeLab(engine, lab, scaffolded(lab, false), { extensionVersion: '9.9.9' });
  assert.equal(report.score, 0);
  const started = report.checks.filter((c) => !(c.status === 'not-started' && /is not started yet/.test(c.message)));
  assert.deepEqual(started.map((c) => `${c.id}: ${c.status} ${c.message}`), []);
  return report;
}

/** A fresh lab folder with the starter, or the solution, and the learner types. */
export function scaffolded(lab: Lab, withSolution: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), `tl-${lab.manifest.id}-`));
  scaffoldLab(lab, dir, { withSolution, typesDir: join(findBuildPaths(__dirname).buildRoot, 'types') });
  return dir;
}

/** Grades the solution: every check passes, hidden ones included, for the full score. */
export async function expectSolutionFullMarks(engine: CheckEngine, lab: Lab): Promise<GradeReport> {
  const report = await gradeLab(engine, lab, scaffolded(lab, true), { extensionVersion: '9.9.9' });
  assert.deepEqual(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), []);
  assert.equal(report.score, lab.manifest.checks.reduce((s, c) => s + c.points, 0));
  assert.ok(report.checks.some((c) => c.hidden));
  return report;
}

export interface WarmRuns {
  times: number[];
  /** The five slowest checks of the last run, "id N ms". */
  slowest: string[];
}

/** `runs` warm runs of the visible checks on `files` (one warm-up first); every check must pass. */
export async function warmVisibleRuns(client: SidecarClient, lab: Lab, files: SourceFile[], runs: number, limits: RunLimits, editPath = files[0].path): Promise<WarmRuns> {
  const visible = lab.manifest.checks.filter((c) => !c.hidden).map((c) => c.id);
  const run = async (i: number) => {
    const edited = files.map((f) => (f.path === editPath ? { ...f, text: f.text + `\n// edit ${i}\n` } : f));
    const t0 = performance.now();
    const r = await client.runChecks({ labId: lab.manifest.id, files: edited, checkIds: visible, limits });
    const ms = performance.now() - t0;
    assert.deepEqual(r.results.filter((x) => x.status !== 'pass').map((x) => `${x.id}: ${x.message}`), []);
    return { ms, perCheck: r.results.map((x) => [x.id, x.durationMs] as const) };
  };
  await run(-1);
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await run(i));
  const slowest = all[all.length - 1].perCheck
    .slice()
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([id, ms]) => `${id} ${ms} ms`);
  return { times: all.map((r) => r.ms), slowest };
}
