// Finds a learner's earlier lab workspace (e.g. their Lab 1 folder) so that a later lab can
// start from the learner's own code instead of the course's reference.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findLabWorkspace } from './scaffold';

export interface ReusedFile {
  /** The exercise file in the new lab, e.g. "attention.ts". */
  path: string;
  /** Where the learner's version was copied from. */
  from: string;
  fromLab: string;
}

/**
 * The first folder holding lab `labId`, among `roots` and their direct subfolders (the parent of
 * the new lab's folder is the usual root: labs are created side by side). Unreadable folders are
 * skipped; the search never fails.
 */
export function findLabWorkspaceFor(labId: string, roots: string[]): string | undefined {
  const seen = new Set<string>();
  for (const root of roots) {
    for (const dir of [root, ...subfolders(root)]) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      try {
        if (findLabWorkspace(dir, { quiet: true })?.labId === labId) return dir;
      } catch {
        // a broken marker is that workspace's problem, not this lab's
      }
    }
  }
  return undefined;
}

function subfolders(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((n) => !n.startsWith('.') && n !== 'node_modules')
      .map((n) => join(root, n))
      .filter((p) => {
        try {
          return statSync(p).isDirectory();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

/** The learner's text for a reused file, with a header saying where it came from. */
export function reusedText(sourceFile: string, fromLab: string): string | undefined {
  if (!existsSync(sourceFile)) return undefined;
  const text = readFileSync(sourceFile, 'utf8');
  return (
    `// Your own code from lab "${fromLab}" (${sourceFile}), copied when this lab was opened.\n` +
    `// This lab builds on it. To use the course's reference instead, replace this file with:\n` +
    `//   import { referenceAttention } from '@transformer-labs/helpers';\n` +
    `//   export const { causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention } = referenceAttention;\n` +
    text
  );
}
