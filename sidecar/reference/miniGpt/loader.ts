// Reads and validates media/models/mini-gpt/{model.json, weights.bin}. No tfjs here: the
// result is plain Float32Arrays, turned into tensors by MiniGpt with the caller's tf.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { FORMAT_VERSION, sizeOf, tensorSpecs, type MiniGptConfig } from './config';
import type { ModelJson } from './weightsFile';

/** Where the shipped model lives, relative to the extension (or repository) root. */
export const MODEL_SUBDIR = join('media', 'models', 'mini-gpt');

export class ModelLoadError extends Error {
  constructor(
    /** The file that is wrong (absolute). */
    readonly file: string,
    /** What is wrong with it. */
    readonly problem: string,
  ) {
    super(`${displayPath(file)}: ${problem}`);
    this.name = 'ModelLoadError';
  }
}

export interface LoadedTensor {
  shape: number[];
  data: Float32Array;
}

export interface MiniGptFile {
  dir: string;
  config: MiniGptConfig;
  vocab: string[];
  tensors: Record<string, LoadedTensor>;
  meta: ModelJson;
}

/** Relative to the working directory when inside it (short messages), else absolute. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

const n = (x: number) => x.toLocaleString('en-US');

const isPosInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;

/**
 * Walks up from `fromDir` (e.g. dist/labs/<id>/ or out/labs/<id>/) to the first folder that
 * holds media/models/mini-gpt/model.json, and returns that model folder.
 */
export function findModelDir(fromDir: string): string {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, MODEL_SUBDIR);
    if (existsSync(join(candidate, 'model.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new ModelLoadError(
    join(resolve(fromDir), MODEL_SUBDIR, 'model.json'),
    `not found in ${resolve(fromDir)} or any folder above it (the extension ships it under ${MODEL_SUBDIR})`,
  );
}

function validateConfig(file: string, c: unknown): MiniGptConfig {
  if (typeof c !== 'object' || c === null) throw new ModelLoadError(file, '"config" is missing or not an object');
  const cfg = c as Record<string, unknown>;
  for (const k of ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd']) {
    if (!isPosInt(cfg[k])) throw new ModelLoadError(file, `config.${k} is ${JSON.stringify(cfg[k])}, expected a positive integer`);
  }
  const out = cfg as unknown as MiniGptConfig;
  if (out.nEmbd % out.nHead !== 0) throw new ModelLoadError(file, `config.nEmbd ${out.nEmbd} is not a multiple of config.nHead ${out.nHead}`);
  return out;
}

function validateJson(file: string, raw: unknown): ModelJson {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModelLoadError(file, 'expected a JSON object');
  const j = raw as Record<string, unknown>;
  if (j.formatVersion !== FORMAT_VERSION) {
    throw new ModelLoadError(file, `formatVersion is ${JSON.stringify(j.formatVersion)}, this loader reads ${FORMAT_VERSION}`);
  }
  if (j.dtype !== 'float32' || j.byteOrder !== 'little-endian') {
    throw new ModelLoadError(file, `dtype/byteOrder are ${JSON.stringify(j.dtype)}/${JSON.stringify(j.byteOrder)}, expected "float32"/"little-endian"`);
  }
  const config = validateConfig(file, j.config);
  const vocab = j.vocab;
  if (!Array.isArray(vocab) || vocab.length !== config.vocabSize) {
    throw new ModelLoadError(file, `vocab has ${Array.isArray(vocab) ? vocab.length : 'no'} entries, expected config.vocabSize = ${config.vocabSize}`);
  }
  const seen = new Set<string>();
  vocab.forEach((ch, i) => {
    if (typeof ch !== 'string' || [...ch].length !== 1) throw new ModelLoadError(file, `vocab[${i}] is ${JSON.stringify(ch)}, expected one character`);
    if (seen.has(ch)) throw new ModelLoadError(file, `vocab[${i}] ${JSON.stringify(ch)} appears twice`);
    seen.add(ch);
  });
  if (!isPosInt(j.weightsBytes)) throw new ModelLoadError(file, `weightsBytes is ${JSON.stringify(j.weightsBytes)}, expected a positive integer`);
  if (typeof j.weightsSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(j.weightsSha256)) {
    throw new ModelLoadError(file, `weightsSha256 is ${JSON.stringify(j.weightsSha256)}, expected 64 lowercase hex digits`);
  }
  if (typeof j.weightsFile !== 'string' || j.weightsFile.includes('/') || j.weightsFile.includes('\\')) {
    throw new ModelLoadError(file, `weightsFile is ${JSON.stringify(j.weightsFile)}, expected a file name beside model.json`);
  }
  const specs = tensorSpecs(config);
  const tensors = j.tensors;
  if (!Array.isArray(tensors) || tensors.length !== specs.length) {
    throw new ModelLoadError(file, `"tensors" lists ${Array.isArray(tensors) ? tensors.length : 'no'} tensors, expected ${specs.length} for this config`);
  }
  specs.forEach((spec, i) => {
    const t = tensors[i] as Record<string, unknown>;
    if (t?.name !== spec.name) throw new ModelLoadError(file, `tensors[${i}] is ${JSON.stringify(t?.name)}, expected ${spec.name}`);
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.length !== spec.shape.length || shape.some((d, k) => d !== spec.shape[k])) {
      throw new ModelLoadError(file, `tensor ${spec.name} has shape ${JSON.stringify(shape)}, expected [${spec.shape.join(', ')}] for config ${JSON.stringify(config)}`);
    }
    const bytes = 4 * sizeOf(spec.shape);
    if (t.length !== bytes) throw new ModelLoadError(file, `tensor ${spec.name} has length ${JSON.stringify(t.length)} bytes, expected ${n(bytes)} (${spec.shape.join('×')} float32)`);
    const off = t.offset;
    if (typeof off !== 'number' || !Number.isInteger(off) || off < 0 || off % 4 !== 0) {
      throw new ModelLoadError(file, `tensor ${spec.name} has offset ${JSON.stringify(off)}, expected a non-negative multiple of 4`);
    }
    if (off + bytes > (j.weightsBytes as number)) {
      throw new ModelLoadError(file, `tensor ${spec.name} ends at byte ${n(off + bytes)}, past weightsBytes ${n(j.weightsBytes as number)}`);
    }
  });
  return raw as ModelJson;
}

/** Loads and checks the model in `dir` (the folder holding model.json); throws ModelLoadError. */
export function loadMiniGpt(dir: string): MiniGptFile {
  const jsonFile = resolve(dir, 'model.json');
  let text: string;
  try {
    text = readFileSync(jsonFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelLoadError(jsonFile, code === 'ENOENT' ? 'not found (the model was not shipped, or the folder is wrong)' : `cannot be read (${code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ModelLoadError(jsonFile, `not valid JSON (${(err as Error).message})`);
  }
  const meta = validateJson(jsonFile, raw);

  const binFile = resolve(dir, meta.weightsFile);
  let bin: Buffer;
  try {
    bin = readFileSync(binFile);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelLoadError(binFile, code === 'ENOENT' ? `not found (model.json names it)` : `cannot be read (${code ?? String(err)})`);
  }
  if (bin.length !== meta.weightsBytes) {
    const why = bin.length < meta.weightsBytes ? 'truncated?' : 'extra bytes: written by another version?';
    throw new ModelLoadError(binFile, `${n(bin.length)} bytes, expected ${n(meta.weightsBytes)} (${why})`);
  }
  const sha = createHash('sha256').update(bin).digest('hex');
  if (sha !== meta.weightsSha256) {
    throw new ModelLoadError(binFile, `sha256 is ${sha}, model.json expects ${meta.weightsSha256} (corrupted, or not the file model.json was written with)`);
  }

  // One aligned copy of the whole file; every tensor is a view into it.
  const all = new Float32Array(bin.length / 4);
  new Uint8Array(all.buffer).set(bin);
  if (new Uint8Array(new Float32Array([1]).buffer)[3] !== 0x3f) {
    // Big-endian host: the file is little-endian, so swap.
    const dv = new DataView(bin.buffer, bin.byteOffset, bin.length);
    for (let i = 0; i < all.length; i++) all[i] = dv.getFloat32(4 * i, true);
  }
  const tensors: Record<string, LoadedTensor> = {};
  for (const t of meta.tensors) {
    const data = all.subarray(t.offset / 4, (t.offset + t.length) / 4);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new ModelLoadError(binFile, `tensor ${t.name} holds ${data[i]} at flat index ${i} (byte ${n(t.offset + 4 * i)}); every weight must be finite`);
      }
    }
    tensors[t.name] = { shape: t.shape, data };
  }
  return { dir: resolve(dir), config: meta.config, vocab: meta.vocab, tensors, meta };
}
