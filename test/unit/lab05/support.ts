// Lab 5 through the real sidecar (tsc output, wasm backend, the product's sandbox flags): a lab
// folder scaffolded from the solution or the starter, files edited as a learner would, and
// visible or all checks run on them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLabFiles } from '../../../core/checks/engine';
import { findBuildPaths } from '../../../core/compute/paths';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { Lab } from '../../../core/labs/manifest';
import { scaffoldLab } from '../../../core/labs/scaffold';
import type { CheckResult } from '../../../core/protocol/sidecar';
import { repoRoot } from '../../support/repoRoot';

export const LAB_ID = '05-bert-fine-tuning';
export const LAB_DIR = join(repoRoot(), 'labs', LAB_ID);
export const FILES = ['batching.ts', 'classifier.ts', 'training.ts', 'metrics.ts'] as const;
export type LabFile = (typeof FILES)[number];
/** Generous: the first run encodes messages with the encoder on a shared machine. */
export const LIMITS = { timeoutMs: 60_000, memoryMb: 768 };

export function lab5(): Lab {
  return findLab(loadLabs(join(repoRoot(), 'labs')).labs, LAB_ID)!;
}

export function solution(file: LabFile): string {
  return readFileSync(join(LAB_DIR, 'solution', file), 'utf8');
}

/** The solution's text of `file` with `from` replaced by `to` (asserting that `from` is there). */
export function mutate(file: LabFile, from: string, to: string): string {
  const text = solution(file);
  assert.ok(text.includes(from), `the solution's ${file} no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** A fresh lab folder (solution or starter), as Open Lab writes it. */
export function workspace(lab: Lab, withSolution: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'tl-lab05-'));
  scaffoldLab(lab, dir, { withSolution, typesDir: join(findBuildPaths(__dirname).buildRoot, 'types') });
  return dir;
}

/** Runs the given checks on the solution with some files replaced. */
export async function runOn(client: SidecarClient, lab: Lab, texts: Partial<Record<LabFile, string>>, checkIds: string[]): Promise<Map<string, CheckResult>> {
  const files = FILES.map((path) => ({ path, text: texts[path] ?? solution(path) }));
  const r = await client.runChecks({ labId: lab.manifest.id, files, checkIds, limits: LIMITS });
  assert.deepEqual(r.compileErrors, [], `the edited files do not compile: ${JSON.stringify(r.compileErrors)}`);
  return new Map(r.results.map((x) => [x.id, x]));
}

export { readLabFiles };
