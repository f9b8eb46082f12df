// What the "through the real sidecar" test of every later lab does the same way: scaffold a lab
// folder (solution or starter), grade it with the real engine, and time warm visible-check runs
// as after a keystroke (new text each run, so nothing comes from the transpile cache).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckEngine } from '../../core/checks/engine';
import { findBuildPaths } from '../../core/compute/paths';
import type { SidecarClient } from '../../core/compute/sidecarClient';
import { gradeLab, type GradeReport } from '../../core/grading/gradeReport';
import type { Lab } from '../../core/labs/manifest';
import { scaffoldLab } from '../../core/labs/scaffold';
import type { RunLimits, SourceFile } from '../../core/protocol/sidecar';

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
