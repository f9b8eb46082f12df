// What defines a byte-level BPE tokenizer, and the checks that make a malformed one (a
// hand-edited JSON file, a learner's return value) fail with a message naming the field:
// ids 0…255 are the single bytes (byteIds[b] = id of byte b; the identity for a tokenizer
// trained here, GPT-2's own order for GPT-2), merges[i] = [left, right] creates id 256 + i,
// and special tokens take ids after the merges.
import { MAX_VOCAB } from './pairs';
import { GPT2_PATTERN_SOURCE, type PatternOption } from './pretokenize';

export type Merge = readonly [number, number];

export interface BpeSpec {
  byteIds?: readonly number[];
  merges: readonly Merge[];
  specialTokens?: Readonly<Record<string, number>>;
  pattern?: PatternOption;
}

/** The file format written by toJSON and read by fromJSON. */
export interface BpeTokenizerJson {
  type: 'byte-level-bpe';
  version: 1;
  /** 'gpt2', or a RegExp's source and flags. */
  pattern: 'gpt2' | { source: string; flags: string };
  /** Omitted when byte b is token b. */
  byteIds?: number[];
  merges: [number, number][];
  specialTokens: Record<string, number>;
}

export const JSON_TYPE = 'byte-level-bpe';

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** The identity byte table. */
export function identityByteIds(): number[] {
  return Array.from({ length: 256 }, (_, b) => b);
}

/** Throws `${where}: …` for the first problem; returns the spec with defaults filled in. */
export function validateSpec(spec: BpeSpec, where: string): Required<BpeSpec> {
  const byteIds = spec.byteIds ?? identityByteIds();
  if (!Array.isArray(byteIds) || byteIds.length !== 256) {
    throw new Error(`${where}: byteIds must list 256 ids (one per byte), got ${Array.isArray(byteIds) ? `${byteIds.length} entries` : typeof byteIds}`);
  }
  const seen = new Map<number, number>();
  byteIds.forEach((id, b) => {
    if (!isId(id) || id > 255) throw new Error(`${where}: byteIds[${b}] must be an id 0…255, got ${JSON.stringify(id)}`);
    const other = seen.get(id);
    if (other !== undefined) throw new Error(`${where}: byteIds[${b}] and byteIds[${other}] are both ${id}; each byte needs its own id`);
    seen.set(id, b);
  });
  const merges = spec.merges;
  if (!Array.isArray(merges)) throw new Error(`${where}: merges must be an array of [left, right] id pairs, got ${typeof merges}`);
  if (256 + merges.length > MAX_VOCAB) throw new Error(`${where}: ${merges.length} merges is more than this library supports (${MAX_VOCAB - 256})`);
  merges.forEach((m, i) => {
    if (!Array.isArray(m) || m.length !== 2) throw new Error(`${where}: merges[${i}] must be a pair [left, right], got ${JSON.stringify(m)}`);
    for (const id of m) {
      if (!isId(id) || id >= 256 + i) {
        throw new Error(`${where}: merges[${i}] is ${JSON.stringify(m)}, but only ids 0…${255 + i} exist before merge ${i} (which creates id ${256 + i})`);
      }
    }
  });
  const specialTokens = spec.specialTokens ?? {};
  if (typeof specialTokens !== 'object' || specialTokens === null || Array.isArray(specialTokens)) {
    throw new Error(`${where}: specialTokens must be an object { "<token>": id }`);
  }
  const firstSpecial = 256 + merges.length;
  const ids = new Map<number, string>();
  for (const [name, id] of Object.entries(specialTokens)) {
    if (name.length === 0) throw new Error(`${where}: a special token must not be the empty string`);
    if (!isId(id) || id < firstSpecial || id >= MAX_VOCAB) {
      throw new Error(`${where}: special token ${JSON.stringify(name)} has id ${JSON.stringify(id)}; special ids must be integers from ${firstSpecial} (after the ${merges.length} merges) up`);
    }
    const other = ids.get(id);
    if (other !== undefined) throw new Error(`${where}: special tokens ${JSON.stringify(other)} and ${JSON.stringify(name)} both have id ${id}`);
    ids.set(id, name);
  }
  const pattern = spec.pattern ?? 'gpt2';
  if (pattern !== 'gpt2' && !(pattern instanceof RegExp)) throw new Error(`${where}: pattern must be 'gpt2' or a RegExp`);
  return { byteIds, merges, specialTokens, pattern };
}

/** A spec from parsed JSON; every problem names the field. */
export function specFromJson(json: unknown): BpeSpec {
  const where = 'tokenizer JSON';
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new Error(`${where}: not valid JSON (${(err as Error).message})`);
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${where}: expected an object, got ${Array.isArray(data) ? 'an array' : JSON.stringify(data)}`);
  const d = data as Record<string, unknown>;
  if (d.type !== JSON_TYPE) throw new Error(`${where}: "type" must be "${JSON_TYPE}", got ${JSON.stringify(d.type)}`);
  if (d.version !== 1) throw new Error(`${where}: "version" must be 1, got ${JSON.stringify(d.version)}`);
  if (!('merges' in d)) throw new Error(`${where}: "merges" is missing`);
  let pattern: PatternOption;
  if (d.pattern === undefined || d.pattern === 'gpt2') pattern = 'gpt2';
  else {
    const p = d.pattern as { source?: unknown; flags?: unknown };
    if (typeof p !== 'object' || p === null || typeof p.source !== 'string' || typeof p.flags !== 'string') {
      throw new Error(`${where}: "pattern" must be "gpt2" or { "source": string, "flags": string }`);
    }
    try {
      pattern = p.source === GPT2_PATTERN_SOURCE && p.flags.includes('u') ? 'gpt2' : new RegExp(p.source, p.flags);
    } catch (err) {
      throw new Error(`${where}: "pattern" is not a valid regular expression (${(err as Error).message})`);
    }
  }
  return {
    byteIds: d.byteIds === undefined ? undefined : (d.byteIds as number[]),
    merges: d.merges as Merge[],
    specialTokens: d.specialTokens === undefined ? {} : (d.specialTokens as Record<string, number>),
    pattern,
  };
}
