// The preprocessed Spam Assassin split shipped in media/data/spam (written by
// scripts/data/prepare-spam.ts, described in its DATA_CARD.md): one JSON object per line.
// Read once per process and cached; no tfjs here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findShippedFolder } from '../shippedFolder';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];
/** The three source groups; easy-ham-1/2 are one group, spam-1/2 another. */
export const GROUPS = ['easy-ham', 'hard-ham', 'spam'] as const;
export type Group = (typeof GROUPS)[number];
/** The classifier's classes: 0 = ham (easy or hard), 1 = spam. */
export const CLASS_NAMES = ['ham', 'spam'] as const;

export interface SpamExample {
  /** The source file, e.g. "easy-ham-1/00001" (the package's folder and message number). */
  id: string;
  group: Group;
  label: 0 | 1;
  /** "Subject\nbody", preprocessed and truncated (see DATA_CARD.md). */
  text: string;
}

export interface SpamMeta {
  formatVersion: 1;
  source: { package: string; version: string; licence: string };
  maxChars: number;
  split: { rule: string; fractions: Record<SplitName, number> };
  counts: Record<SplitName, Record<Group, number>>;
  files: Record<SplitName, { file: string; bytes: number; sha256: string }>;
  preprocessing: Record<string, number | string>;
}

export const DATA_SUBDIR = join('media', 'data', 'spam');

export class SpamDataError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'SpamDataError';
  }
}

export function groupLabel(group: Group): 0 | 1 {
  return group === 'spam' ? 1 : 0;
}

/** Walks up from `fromDir` to the first folder holding media/data/spam/meta.json. */
export function findSpamDataDir(fromDir: string = __dirname): string {
  const found = findShippedFolder(DATA_SUBDIR, 'meta.json', fromDir);
  if (found) return found;
  throw new SpamDataError(join(resolve(fromDir), DATA_SUBDIR, 'meta.json'), `not found in ${resolve(fromDir)} or any folder above it (the extension ships it under ${DATA_SUBDIR})`);
}

export interface SpamData {
  meta: SpamMeta;
  splits: Record<SplitName, SpamExample[]>;
}

/** Reads and checks the split files against meta.json (sizes, sha256, counts). */
export function readSpamData(dir: string): SpamData {
  const metaFile = join(dir, 'meta.json');
  let meta: SpamMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as SpamMeta;
  } catch (err) {
    throw new SpamDataError(metaFile, `cannot be read as JSON (${(err as Error).message})`);
  }
  const splits = {} as Record<SplitName, SpamExample[]>;
  for (const s of SPLITS) {
    const f = meta.files?.[s];
    if (!f) throw new SpamDataError(metaFile, `names no file for the ${s} split`);
    const file = join(dir, f.file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new SpamDataError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    if (bytes.length !== f.bytes) throw new SpamDataError(file, `${bytes.length} bytes, meta.json expects ${f.bytes} (truncated or replaced?)`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== f.sha256) throw new SpamDataError(file, `sha256 ${sha}, meta.json expects ${f.sha256}`);
    splits[s] = bytes
      .toString('utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as SpamExample);
  }
  return { meta, splits };
}

let cached: SpamData | undefined;

/** The shipped split, read once per process. */
export function spamData(): SpamData {
  cached ??= readSpamData(findSpamDataDir());
  return cached;
}
