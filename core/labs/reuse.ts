// Finds a learner's earlier lab workspace (e.g. their Lab 1 folder) so that a later lab can
// start from the learner's own code instead of the course's reference.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExerciseFile, Lab } from './manifest';
import { findLabWorkspace, MARKER_DIR } from './scaffold';
import { t } from '../l10n';

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

/** The header a copied file starts with; switching back to the reference replaces the whole file. */
export const OWN_CODE_HEADER = '// Your own code from lab';

/** The learner's text for a reused file, with a header saying where it came from. */
export function reusedText(sourceFile: string, fromLab: string): string | undefined {
  if (!existsSync(sourceFile)) return undefined;
  const text = readFileSync(sourceFile, 'utf8');
  return (
    `${OWN_CODE_HEADER} "${fromLab}" (${sourceFile}), copied here.\n` +
    `// This lab builds on it. "Transformer Labs: Switch Between My Lab 1 Code and the Reference" puts the\n` +
    `// course's reference back (and your code again later); what it replaces is kept in .transformer-labs/backups/.\n` +
    text
  );
}

/**
 * Whether a reused file holds the course's reference (the starter's re-export from the helpers)
 * or code of the learner's own (copied by Open Lab, pasted, or written here).
 */
export function reusedFileKind(text: string): 'reference' | 'own' {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const reExportsReference = /from\s+['"]@transformer-labs\/helpers['"]/.test(code) && /\breferenceAttention\b/.test(code);
  return reExportsReference && !/\bfunction\b|=>/.test(code) ? 'reference' : 'own';
}

/**
 * The earlier lab's functions a later lab needs from a reused file: the ones the manifest lists for
 * it, and the ones the lab's other starter files import from it (Lab 2's block.ts imports
 * attention, causalMask, splitHeads, combineHeads and multiHeadAttention from './attention').
 */
export function neededFunctions(lab: Lab, file: ExerciseFile): string[] {
  const module = `./${file.path.replace(/\.ts$/, '')}`;
  const names = new Set(file.functions);
  const escaped = module.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  const importFrom = new RegExp(`import\\s*(?:type\\s*)?\\{([^}]*)\\}\\s*from\\s*['"]${escaped}(?:\\.ts)?['"]`, 'g');
  for (const other of lab.manifest.files) {
    if (other.path === file.path) continue;
    let text = '';
    try {
      text = readFileSync(join(lab.dir, other.starter), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(importFrom)) {
      for (const part of m[1].split(',')) {
        const name = part.trim().split(/\s+as\s+/)[0].replace(/^type\s+/, '').trim();
        if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
      }
    }
  }
  return [...names];
}

export interface SwitchResult {
  /** Where the replaced text was kept. */
  backup: string;
  now: 'reference' | 'own';
}

/**
 * Replaces a reused file of a lab workspace with the learner's earlier file (`to: 'own'`, from
 * `earlierFile`) or with the course's reference (the starter), after copying what it held to
 * .transformer-labs/backups/<time>/. Nothing is lost either way.
 */
export function switchReusedFile(lab: Lab, dir: string, filePath: string, to: 'reference' | 'own', earlierFile?: string, now = new Date()): SwitchResult {
  const f = lab.manifest.files.find((x) => x.path === filePath);
  if (!f?.reuseFrom) throw new Error(`${filePath} of lab "${lab.manifest.id}" is not built on an earlier lab`);
  let text: string | undefined;
  if (to === 'own') {
    if (!earlierFile) throw new Error(t('your lab "{0}" was not found, so there is no code of yours to put in {1}', f.reuseFrom.lab, filePath));
    text = reusedText(earlierFile, f.reuseFrom.lab);
    if (text === undefined) throw new Error(t('{0} is missing: open your lab "{1}" folder and save its {2}', earlierFile, f.reuseFrom.lab, f.reuseFrom.path));
  } else text = readFileSync(join(lab.dir, f.starter), 'utf8');
  const [backup] = backupFiles(dir, [filePath], now);
  writeFileSync(join(dir, filePath), text);
  return { backup: backup ?? t('(nothing to back up)'), now: to };
}

/** Copies the given files of a lab workspace to .transformer-labs/backups/<time>/; returns the copies made. */
export function backupFiles(dir: string, paths: string[], now = new Date()): string[] {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const out: string[] = [];
  for (const p of paths) {
    const source = join(dir, p);
    if (!existsSync(source)) continue;
    const target = join(dir, MARKER_DIR, 'backups', stamp, p);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target);
    out.push(target);
  }
  return out;
}
