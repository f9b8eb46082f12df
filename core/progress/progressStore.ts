// Per-lab progress that survives restarts. Writes are atomic; a corrupted file is set aside
// (renamed, never deleted) and reported, and the learner starts from an empty record.
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomicWrite';

const LabProgressSchema = z.object({
  lastOpened: z.string().optional(),
  workspace: z.string().optional(),
  bestScore: z.number().optional(),
  maxScore: z.number().optional(),
  lastGraded: z.string().optional(),
  checksPassed: z.array(z.string()).default([]),
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
  /** Set when load() found a corrupted file. */
  corruption?: CorruptionReport;

  constructor(readonly file: string) {}

  /** Reads the file; a corrupted one is renamed to progress.corrupt-<time>.json and reported. */
  load(now = new Date()): ProgressFile {
    if (!existsSync(this.file)) return this.data;
    let reason: string | undefined;
    try {
      const parsed = ProgressFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) {
        this.data = parsed.data;
        return this.data;
      }
      const issue = parsed.error.issues[0];
      reason = `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
    } catch (err) {
      reason = `not valid JSON (${(err as Error).message})`;
    }
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const movedTo = join(dirname(this.file), `${basename(this.file, '.json')}.corrupt-${stamp}.json`);
    renameSync(this.file, movedTo);
    this.corruption = { file: this.file, movedTo, reason };
    this.data = { schemaVersion: 1, labs: {} };
    return this.data;
  }

  get(labId: string): LabProgress | undefined {
    return this.data.labs[labId];
  }

  all(): Record<string, LabProgress> {
    return this.data.labs;
  }

  /** Applies a change and writes the file; concurrent updates are serialized. */
  update(labId: string, change: (p: LabProgress) => LabProgress): Promise<void> {
    const run = async () => {
      const current = this.data.labs[labId] ?? { checksPassed: [] };
      this.data = { ...this.data, labs: { ...this.data.labs, [labId]: change(current) } };
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileAtomic(this.file, JSON.stringify(this.data, null, 2) + '\n');
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
