// A course workspace: one folder holding every lab, one subfolder per lab (named by the lab's id,
// created when the lab is first opened), each an ordinary lab folder (its own marker,
// instructions, tsconfig), so the CLI and a single-lab window treat it as before. The course
// marker (.transformer-labs/course.json) records which lab was open last, so a reload or
// "Continue" returns there. No vscode.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod/mini';
import '../zod';
import type { Lab } from '../labs/manifest';
import { findLabWorkspace, LabWorkspaceError, MARKER_DIR } from '../labs/scaffold';
import { writeFileAtomic } from '../util/atomicWrite';
import { readMarkerFile } from '../util/jsonFile';
import { t } from '../l10n';

export const COURSE_FILE = join(MARKER_DIR, 'course.json');

const CourseSchema = z.object({
  schemaVersion: z.literal(1),
  createdAt: z.string().check(z.minLength(1)),
  /** The lab opened last: where a reload and "Continue" go. */
  current: z.optional(z.string()),
  /** When each lab was last opened (ISO time), by lab id. */
  opened: z._default(z.record(z.string(), z.string()), {}),
});
export type CourseMarker = z.infer<typeof CourseSchema>;

/** The course marker of `dir`; undefined when `dir` is not a course. A broken marker throws, naming the file. */
export function readCourse(dir: string, opts: { quiet?: boolean } = {}): CourseMarker | undefined {
  const repair = t('delete it and run Start Course again (your lab folders are kept)');
  return readMarkerFile(join(dir, COURSE_FILE), CourseSchema, repair, (m) => new LabWorkspaceError(m), opts.quiet);
}

export function isCourse(dir: string): boolean {
  return readCourse(dir, { quiet: true }) !== undefined;
}

/** Entries a learner would see (dot-files such as .vscode or .git do not make a folder "used"). */
function visibleEntries(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}

/** Whether `dir` can become a course: missing, empty, or a course already. */
export function canHoldCourse(dir: string): { ok: true } | { ok: false; why: string } {
  if (!existsSync(dir) || isCourse(dir)) return { ok: true };
  if (findLabWorkspace(dir, { quiet: true })) return { ok: false, why: t('{0} is a single-lab folder', dir) };
  const seen = visibleEntries(dir);
  if (seen.length > 0) return { ok: false, why: t('{0} is not empty ({1})', dir, `${seen.slice(0, 3).join(', ')}${seen.length > 3 ? ', …' : ''}`) };
  return { ok: true };
}

/** Makes `dir` a course (idempotent: an existing course is kept as it is). */
export function createCourse(dir: string, now = new Date()): CourseMarker {
  const existing = readCourse(dir);
  if (existing) return existing;
  const ok = canHoldCourse(dir);
  if (!ok.ok) throw new LabWorkspaceError(t('{0}: a course needs an empty folder', ok.why));
  mkdirSync(join(dir, MARKER_DIR), { recursive: true });
  const marker: CourseMarker = { schemaVersion: 1, createdAt: now.toISOString(), opened: {} };
  writeFileAtomic(join(dir, COURSE_FILE), JSON.stringify(marker, null, 2) + '\n');
  return marker;
}

/** Where `lab` lives inside the course. */
export function labFolder(courseDir: string, lab: Lab): string {
  return join(courseDir, lab.manifest.id);
}

/** The course `dir` belongs to: `dir` itself, or its parent when `dir` is one of its lab folders. */
export function courseRootOf(dir: string): string | undefined {
  if (isCourse(dir)) return dir;
  const parent = dirname(dir);
  return parent !== dir && isCourse(parent) ? parent : undefined;
}

/** Records that `labId` was opened now: it becomes the course's current lab. */
export function recordOpened(courseDir: string, labId: string, now = new Date()): CourseMarker {
  const marker = readCourse(courseDir);
  if (!marker) throw new LabWorkspaceError(t('{0} is not a course (no {1})', courseDir, COURSE_FILE));
  const next: CourseMarker = { ...marker, current: labId, opened: { ...marker.opened, [labId]: now.toISOString() } };
  writeFileAtomic(join(courseDir, COURSE_FILE), JSON.stringify(next, null, 2) + '\n');
  return next;
}

export interface CourseLab {
  lab: Lab;
  /** The lab's folder in the course (it may not exist yet). */
  dir: string;
  /** The folder exists and holds this lab. */
  created: boolean;
}

/** Every lab in course order, with its folder and whether it was created. */
export function courseLabs(courseDir: string, labs: Lab[]): CourseLab[] {
  return [...labs]
    .sort((a, b) => a.manifest.order - b.manifest.order)
    .map((lab) => {
      const dir = labFolder(courseDir, lab);
      return { lab, dir, created: findLabWorkspace(dir, { quiet: true })?.labId === lab.manifest.id };
    });
}

/** The lab a folder inside the course belongs to, by its path (course/<id>/…); undefined outside. */
export function labIdAt(courseDir: string, path: string, labs: Lab[]): string | undefined {
  let dir = path;
  while (dirname(dir) !== dir && dirname(dir) !== courseDir) dir = dirname(dir);
  if (dirname(dir) !== courseDir) return undefined;
  const id = basename(dir);
  return labs.some((l) => l.manifest.id === id) ? id : undefined;
}

/**
 * Where "Continue" goes: the current lab while it is not done, else the first lab in order that
 * is not done, else the current (or the first) lab.
 */
export function continueLab(marker: CourseMarker, labs: Lab[], isDone: (labId: string) => boolean): Lab | undefined {
  const ordered = [...labs].sort((a, b) => a.manifest.order - b.manifest.order);
  const current = ordered.find((l) => l.manifest.id === marker.current);
  if (current && !isDone(current.manifest.id)) return current;
  return ordered.find((l) => !isDone(l.manifest.id)) ?? current ?? ordered[0];
}
