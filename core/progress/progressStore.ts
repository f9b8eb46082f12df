// Per-lab progress that survives restarts. Writes are atomic; a corrupted file is set aside
// (renamed, never deleted) and reported, and the learner starts from an empty record.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import * as z from 'zod/mini';
import '../zod';
import { writeFileAtomic } from '../util/atomicWrite';
import { t } from '../l10n';

const LabProgressSchema = z.object({
  lastOpened: z.optional(z.string()),
  workspace: z.optional(z.string()),
  bestScore: z.optional(z.number()),
  maxScore: z.optional(z.number()),
  lastGraded: z.optional(z.string()),
  checksPassed: z._default(z.array(z.string()), []),
});
const ProgressFileSchema = z.object({
  schemaVersion: z.literal(1),
  labs: z.record(z.string(), LabProgressSchema),
});

export type LabProgress = z.infer<typeof LabProgressSchema>;
export type ProgressFile = z.infer<typeof ProgressFileSchema>;

export interface CorruptionReport {
  file: string;
  movedTo: string;
  reason: string;
}

export class ProgressStore {
  private data: ProgressFile = { schemaVersion: 1, labs: {} };
  private chain: Promise<void> = Promise.resolve();
  /** mtime and size of the file when this store last read or wrote it. */
  private seen: string | undefined;
  /** Set when load() found a corrupted file. */
  corruption?: CorruptionReport;

  constructor(readonly file: string) {}

  /** Reads the file; a corrupted one is renamed to progress.corrupt-<time>.json and reported. */
  load(now = new Date()): ProgressFile {
    if (!existsSync(this.file)) return this.data;
    let reason: string | undefined;
    try {
      // Stryker disable next-line StringLiteral: JSON.parse of a Buffer parses its UTF-8 text, the same as of the string
      const parsed = ProgressFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) {
        this.data = parsed.data;
        const st = statSync(this.file);
        this.seen = `${st.mtimeMs}:${st.size}`;
        return this.data;
      }
      const issue = parsed.error.issues[0];
      reason = `${issue.path.join('.') || t('(top level)')}: ${issue.message}`;
    } catch (err) {
      reason = t('not valid JSON ({0})', (err as Error).message);
    }
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const movedTo = join(dirname(this.file), `${basename(this.file, '.json')}.corrupt-${stamp}.json`);
    renameSync(this.file, movedTo);
    this.corruption = { file: this.file, movedTo, reason };
    this.data = { schemaVersion: 1, labs: {} };
    return this.data;
  }

  /**
   * Another window (another extension host) may have written the file since: read it again when
   * it changed on disk. A file that cannot be read now keeps what this store already has.
   */
  private reread(): void {
    let stamp: string;
    try {
      const st = statSync(this.file);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      return;
    }
    if (stamp === this.seen) return;
    try {
      // Stryker disable next-line StringLiteral: JSON.parse of a Buffer parses its UTF-8 text, the same as of the string
      const parsed = ProgressFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) {
        this.data = parsed.data;
        this.seen = stamp;
      }
    } catch {
      // Half-visible writes cannot happen (atomic rename); anything else: keep ours.
    }
  }

  get(labId: string): LabProgress | undefined {
    this.reread();
    return this.data.labs[labId];
  }

  all(): Record<string, LabProgress> {
    this.reread();
    return this.data.labs;
  }

  /**
   * Applies a change to the lab's record as it is on disk now, and writes the file. Several
   * windows share the file: under a lock file, the store re-reads it, applies the change to that
   * record only and writes atomically, so a window never writes back another's stale copy (the
   * last window no longer wins). Updates in this process are serialized.
   */
  update(labId: string, change: (p: LabProgress) => LabProgress): Promise<void> {
    const run = async () => {
      mkdirSync(dirname(this.file), { recursive: true });
      await withFileLock(`${this.file}.lock`, () => {
        this.seen = undefined;
        this.reread();
        const current = this.data.labs[labId] ?? { checksPassed: [] };
        this.data = { ...this.data, labs: { ...this.data.labs, [labId]: change(current) } };
        writeFileAtomic(this.file, JSON.stringify(this.data, null, 2) + '\n');
        const st = statSync(this.file);
        // Stryker disable next-line StringLiteral: a wrong stamp only makes the next get() re-read the file this store just wrote, with the same result
        this.seen = `${st.mtimeMs}:${st.size}`;
      });
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** A lock older than this is left over from a window that hung: taken over. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

/** Whether the process that wrote `lock` is gone (a window that crashed or was killed). */
function holderGone(lock: string): boolean {
  try {
    // Stryker disable next-line StringLiteral: Number() of a Buffer converts its UTF-8 text, the same as of the string
    const pid = Number(readFileSync(lock, 'utf8'));
    // Stryker disable next-line EqualityOperator: pid 0 (< 0 instead of <= 0) is signalled as our own process group, which exists: "not gone" either way
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `fn` while holding `lock` (created exclusively, holding our pid); waits for another holder, breaks a dead or stale one. */
async function withFileLock(lock: string, fn: () => void): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (holderGone(lock) || age > STALE_LOCK_MS || Date.now() > deadline) {
        try {
          unlinkSync(lock);
        } catch {
          // another window took it over first
        }
        continue;
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  }
  try {
    fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}
