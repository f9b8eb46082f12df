// A class's submissions: every subfolder or .zip of one folder is one learner's lab folder.
// Zips unpack into a private temporary folder; the submissions themselves are never written.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Lab } from '../labs/manifest';
import type { SourceFile } from '../protocol/sidecar';
import { readZip } from './zipReader';

export interface Submission {
  /** The folder or zip name without ".zip": the learner column of the CSV. */
  learner: string;
  /** Absolute path of the folder or the .zip. */
  source: string;
  kind: 'folder' | 'zip';
}

/** Larger exercise files are refused before they are read (a lab file is a few kB). */
export const MAX_EXERCISE_FILE_BYTES = 2 * 1024 * 1024;

const MARKER = join('.transformer-labs', 'lab.json');

export function findSubmissions(root: string): Submission[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (err) {
    throw new Error(`cannot read the submissions folder ${root} (${(err as Error).message})`);
  }
  const out: Submission[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') || name === '__MACOSX') continue;
    const source = join(root, name);
    const st = lstatSync(source);
    if (st.isDirectory()) out.push({ learner: name, source, kind: 'folder' });
    else if (st.isFile() && name.toLowerCase().endsWith('.zip')) out.push({ learner: name.slice(0, -4), source, kind: 'zip' });
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The lab folder inside a submission: the folder itself when it holds the marker or an exercise
 * file, else its only subfolder (a zip of "alice/"), two levels at most.
 */
export function locateLabFolder(dir: string, exerciseFiles: string[]): string | undefined {
  let cur = dir;
  for (let depth = 0; depth < 3; depth++) {
    if (isFile(join(cur, MARKER)) || exerciseFiles.some((f) => isFile(join(cur, f)))) return cur;
    const subdirs = readdirSync(cur).filter((n) => !n.startsWith('.') && n !== '__MACOSX' && lstatSync(join(cur, n)).isDirectory());
    const files = readdirSync(cur).filter((n) => !n.startsWith('.') && isFile(join(cur, n)));
    if (subdirs.length !== 1 || files.length > 0) return undefined;
    cur = join(cur, subdirs[0]);
  }
  return undefined;
}

export interface Unpacked {
  /** The folder to search for the lab folder. */
  dir: string;
  cleanup(): void;
}

/** A folder as is; a zip unpacked (with the zip reader's limits) into a temporary folder. */
export function unpackSubmission(s: Submission): Unpacked {
  if (s.kind === 'folder') return { dir: s.source, cleanup: () => undefined };
  const files = readZip(readFileSync(s.source));
  const dir = mkdtempSync(join(tmpdir(), 'tl-submission-'));
  try {
    for (const f of files) {
      const target = join(dir, ...f.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.data);
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Exercise files that are not read: larger than MAX_EXERCISE_FILE_BYTES, or not regular files
 * (a symbolic link could make the grader read any file of the instructor's machine).
 */
export function refusedExerciseFiles(lab: Lab, labFolder: string): string[] {
  return lab.manifest.files
    .map((f) => {
      let st;
      try {
        st = lstatSync(join(labFolder, f.path));
      } catch {
        return undefined;
      }
      if (!st.isFile()) return `${f.path} is not a regular file (a link or a folder)`;
      return st.size > MAX_EXERCISE_FILE_BYTES ? `${f.path} is ${st.size} bytes (the limit is ${MAX_EXERCISE_FILE_BYTES})` : undefined;
    })
    .filter((x): x is string => x !== undefined);
}

/** One hash of what is graded: the lab's version and each exercise file's path and text. */
export function fingerprint(lab: Lab, files: SourceFile[]): string {
  const h = createHash('sha256').update(`${lab.manifest.id}@${lab.manifest.version}\n`);
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    h.update(`${f.path}\n${createHash('sha256').update(f.text, 'utf8').digest('hex')}\n`);
  }
  return h.digest('hex');
}

export function describeSubmission(s: Submission): string {
  return s.kind === 'zip' ? basename(s.source) : `${basename(s.source)}/`;
}
