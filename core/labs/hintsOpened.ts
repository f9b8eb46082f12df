// How many of each function's progressive hints the learner has opened, kept in the lab folder
// (.transformer-labs/hints.json) so that the grade report — from the extension or the CLI — can
// say it. Informational: opening hints never costs points.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomicWrite';
import type { LabManifest } from './manifest';
import { MARKER_DIR } from './scaffold';

export const HINTS_FILE = join(MARKER_DIR, 'hints.json');

const HintsFileSchema = z.object({
  schemaVersion: z.literal(1),
  opened: z.record(z.string(), z.number().int().min(0)),
});

/** Opened hints per function; an unreadable file counts as none opened (it is only a record). */
export function readHintsOpened(dir: string): Record<string, number> {
  const file = join(dir, HINTS_FILE);
  if (!existsSync(file)) return {};
  try {
    const parsed = HintsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.opened : {};
  } catch {
    return {};
  }
}

/** Records that hint number `count` (1-based) of `fn` was opened; the count never goes down. */
export function recordHintOpened(dir: string, fn: string, count: number): Record<string, number> {
  const opened = readHintsOpened(dir);
  opened[fn] = Math.max(opened[fn] ?? 0, count);
  const file = join(dir, HINTS_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify({ schemaVersion: 1, opened }, null, 2) + '\n');
  return opened;
}

export interface HintStep {
  fn: string;
  /** 1-based number of this hint. */
  index: number;
  total: number;
  text: string;
}

/** The hints of `fn` opened so far and the next one to open (undefined when all are open). */
export function hintsOf(manifest: LabManifest, opened: Record<string, number>, fn: string): { shown: HintStep[]; next?: HintStep } {
  const all = manifest.hints[fn] ?? [];
  const n = Math.min(opened[fn] ?? 0, all.length);
  const step = (i: number): HintStep => ({ fn, index: i + 1, total: all.length, text: all[i] });
  return { shown: all.slice(0, n).map((_, i) => step(i)), next: n < all.length ? step(n) : undefined };
}
