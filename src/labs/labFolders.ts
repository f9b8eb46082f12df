// Which workspace folder a lab lives in, in a workspace with several folders (multi-root).
// No `vscode` here: the registry and Open Lab pass the folders in, and the unit tests call it directly.
import { readdirSync } from 'node:fs';
import { findLabWorkspace } from '../../core/labs/scaffold';

/**
 * The lab folder to check: the one the learner chose if it is still there, else the first.
 * `ambiguous` when there are several and the learner has not chosen: they must be told, not
 * left to find out which one the checks look at.
 */
export function chooseActiveLab<T extends { dir: string }>(found: readonly T[], chosen?: string): { active?: T; ambiguous: boolean } {
  // Stryker disable next-line ConditionalExpression: no folder's dir is undefined, so find() answers undefined as well
  const remembered = chosen === undefined ? undefined : found.find((f) => f.dir === chosen);
  if (remembered) return { active: remembered, ambiguous: false };
  return { active: found[0], ambiguous: found.length > 1 };
}

/** Whether a folder can take lab `labId`: it already holds that lab, it is empty (no visible files, no other lab), or neither. */
export function folderFit(dir: string, labId: string): 'same-lab' | 'empty' | 'taken' {
  let visible: string[];
  try {
    visible = readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return 'taken';
  }
  // Another lab's marker makes a folder taken even when it shows no files.
  const marker = findLabWorkspace(dir, { quiet: true });
  if (marker) return marker.labId === labId ? 'same-lab' : 'taken';
  return visible.length === 0 ? 'empty' : 'taken';
}

/**
 * The workspace folders Open Lab may use for lab `labId`, best first: folders that already hold
 * it (reopening), then empty ones, each in workspace order. Every folder is considered, not the first.
 */
export function foldersForLab(dirs: readonly string[], labId: string): { dir: string; fit: 'same-lab' | 'empty' }[] {
  const fits = dirs.map((dir) => ({ dir, fit: folderFit(dir, labId) }));
  return [...fits.filter((f) => f.fit === 'same-lab'), ...fits.filter((f) => f.fit === 'empty')] as { dir: string; fit: 'same-lab' | 'empty' }[];
}
