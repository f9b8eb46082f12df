// The last visible check results of a lab folder (.transformer-labs/checks.json), so the course
// view shows every lab's functions and checks — the open lab's live, the others as they were
// last checked, also after a reload. Written only when a result changed. No vscode.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import '../zod';
import { MARKER_DIR } from '../labs/scaffold';
import type { CheckStatus } from '../protocol/sidecar';
import { writeFileAtomic } from '../util/atomicWrite';

export const CHECK_RECORD_FILE = join(MARKER_DIR, 'checks.json');

const STATUSES = ['pass', 'fail', 'error', 'timeout', 'memory', 'not-run', 'not-started'] as const satisfies readonly CheckStatus[];

const RecordSchema = z.object({
  schemaVersion: z.literal(1),
  labId: z.string(),
  checkedAt: z.string(),
  /** The first compile error, when the code did not compile (every result is then not-run). */
  compileError: z.optional(z.string()),
  results: z.array(z.object({ id: z.string(), status: z.enum(STATUSES), message: z.string() })),
});
export type CheckRecord = z.infer<typeof RecordSchema>;
export type RecordedResult = CheckRecord['results'][number];

export function readCheckRecord(dir: string, labId: string): CheckRecord | undefined {
  const file = join(dir, CHECK_RECORD_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success && parsed.data.labId === labId ? parsed.data : undefined;
  } catch {
    return undefined; // a record only: a broken one is as good as none
  }
}

/** Writes the results when they differ from the record; returns whether it wrote. */
export function writeCheckRecord(dir: string, labId: string, results: RecordedResult[], compileError?: string, now = new Date()): boolean {
  const before = readCheckRecord(dir, labId);
  const same =
    before &&
    before.compileError === compileError &&
    before.results.length === results.length &&
    before.results.every((r, i) => r.id === results[i].id && r.status === results[i].status && r.message === results[i].message);
  if (same) return false;
  const record: CheckRecord = { schemaVersion: 1, labId, checkedAt: now.toISOString(), ...(compileError ? { compileError } : {}), results };
  const file = join(dir, CHECK_RECORD_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
  return true;
}
