// Lab 5's test helpers: the lab, its files, and lab folders scaffolded from the solution or the
// starter as Open Lab writes them (for runs through the real sidecar).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { Lab } from '../../../core/labs/manifest';
import { scaffoldLab } from '../../../core/labs/scaffold';
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

/** A fresh lab folder (solution or starter), as Open Lab writes it. */
export function workspace(lab: Lab, withSolution: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'tl-lab05-'));
  scaffoldLab(lab, dir, { withSolution, typesDir: join(findBuildPaths(__dirname).buildRoot, 'types') });
  return dir;
}

