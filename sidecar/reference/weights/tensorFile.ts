// The shipped-model file format shared by the mini-GPT (media/models/mini-gpt) and the encoder
// (media/models/encoder): model.json (metadata + a tensor table) beside weights.bin (every
// tensor, float32 little-endian, in the model's spec order, no padding). Reading validates
// every field and names the file that is wrong; each model adds its own config checks.
// No tfjs here: the result is plain Float32Arrays.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { findShippedFolder } from '../shippedFolder';

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

export interface TensorSpec {
  name: string;
  shape: number[];
}

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Byte offset in weights.bin. */
  offset: number;
  /** Byte length in weights.bin (4 × number of elements). */
  length: number;
}

/** The fields every model.json has; each model adds its config, vocabulary and training facts. */
export interface TensorFileHeader {
  formatVersion: number;
  dtype: 'float32';
  byteOrder: 'little-endian';
  tensors: TensorEntry[];
  weightsFile: string;
  weightsBytes: number;
  weightsSha256: string;
}

export interface LoadedTensor {
  shape: number[];
  data: Float32Array;
}

/** Relative to the working directory when inside it (short messages), else absolute. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

const n = (x: number) => x.toLocaleString('en-US');

export const isPosInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Walks up from `fromDir` (e.g. dist/labs/<id>/ or out/labs/<id>/) to the first folder that
 * holds `<subdir>/model.json`, and returns that model folder.
 */
export function findModelFolder(subdir: string, fromDir: string): string {
  const found = findShippedFolder(subdir, 'model.json', fromDir);
  if (found) return found;
  throw new ModelLoadError(
    join(resolve(fromDir), subdir, 'model.json'),
    `not found in ${resolve(fromDir)} or any folder above it (the extension ships it under ${subdir})`,
  );
}

export interface FormatRules {
  formatVersion: number;
  /**
   * Checks the model's own fields (config, vocabulary) and returns the tensors the config
   * implies, in file order, and the config to name in shape messages.
   */
  validateModel(file: string, json: Record<string, unknown>): { specs: TensorSpec[]; config: unknown };
}

function validateHeader(file: string, raw: unknown, rules: FormatRules): TensorFileHeader {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModelLoadError(file, 'expected a JSON object');
  const j = raw as Record<string, unknown>;
  if (j.formatVersion !== rules.formatVersion) {
    throw new ModelLoadError(file, `formatVersion is ${JSON.stringify(j.formatVersion)}, this loader reads ${rules.formatVersion}`);
  }
  if (j.dtype !== 'float32' || j.byteOrder !== 'little-endian') {
    throw new ModelLoadError(file, `dtype/byteOrder are ${JSON.stringify(j.dtype)}/${JSON.stringify(j.byteOrder)}, expected "float32"/"little-endian"`);
  }
  const { specs, config } = rules.validateModel(file, j);
  if (!isPosInt(j.weightsBytes)) throw new ModelLoadError(file, `weightsBytes is ${JSON.stringify(j.weightsBytes)}, expected a positive integer`);
  if (typeof j.weightsSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(j.weightsSha256)) {
    throw new ModelLoadError(file, `weightsSha256 is ${JSON.stringify(j.weightsSha256)}, expected 64 lowercase hex digits`);
  }
  if (typeof j.weightsFile !== 'string' || j.weightsFile.includes('/') || j.weightsFile.includes('\\')) {
    throw new ModelLoadError(file, `weightsFile is ${JSON.stringify(j.weightsFile)}, expected a file name beside model.json`);
  }
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
  return raw as TensorFileHeader;
}

/** Loads and checks model.json and its weights file in `dir`; throws ModelLoadError naming the bad file. */
export function readTensorFile<J extends TensorFileHeader>(dir: string, rules: FormatRules): { json: J; tensors: Record<string, LoadedTensor> } {
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
  const meta = validateHeader(jsonFile, raw, rules);

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
  return { json: meta as J, tensors };
}

/** Serialises named float32 arrays, in `specs` order, into weights.bin bytes and the header fields. */
export function encodeTensorFile(specs: TensorSpec[], values: Record<string, Float32Array>, formatVersion: number): { header: TensorFileHeader; bin: Buffer } {
  const total = specs.reduce((k, s) => k + sizeOf(s.shape), 0);
  const bin = Buffer.alloc(total * 4);
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const s of specs) {
    const v = values[s.name];
    const count = sizeOf(s.shape);
    if (!v || v.length !== count) throw new Error(`tensor ${s.name}: expected ${count} values, got ${v ? v.length : 'none'}`);
    for (let j = 0; j < count; j++) bin.writeFloatLE(v[j], offset + 4 * j);
    tensors.push({ name: s.name, shape: s.shape, offset, length: 4 * count });
    offset += 4 * count;
  }
  const header: TensorFileHeader = {
    formatVersion,
    dtype: 'float32',
    byteOrder: 'little-endian',
    tensors,
    weightsFile: 'weights.bin',
    weightsBytes: bin.length,
    weightsSha256: createHash('sha256').update(bin).digest('hex'),
  };
  return { header, bin };
}
