// Writing the media/models/mini-gpt format: model.json (metadata + tensor table) and
// weights.bin (every tensor, float32 little-endian, in tensorSpecs order, no padding).
import { createHash } from 'node:crypto';
import { FORMAT_VERSION, sizeOf, tensorSpecs, type MiniGptConfig } from './config';

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Byte offset in weights.bin. */
  offset: number;
  /** Byte length in weights.bin (4 × number of elements). */
  length: number;
}

export interface CorpusInfo {
  package: string;
  version: string;
  licence: string;
  /** How the text was assembled, e.g. "chapters in reading order joined by \n\n". */
  assembly: string;
  characters: number;
  /** Characters [0, trainEnd) are training text, [trainEnd, characters) validation. */
  trainEnd: number;
}

export interface ModelJson {
  formatVersion: number;
  config: MiniGptConfig;
  /** id → character. */
  vocab: string[];
  dtype: 'float32';
  byteOrder: 'little-endian';
  tensors: TensorEntry[];
  weightsFile: string;
  weightsBytes: number;
  weightsSha256: string;
  corpus: CorpusInfo;
  trainedSteps: number;
  /** Free-form training facts (losses, baselines, timings) mirrored in MODEL_CARD.md. */
  training: Record<string, unknown>;
}

/** Serialises named float32 arrays into the weights.bin bytes and the model.json object. */
export function encodeModel(
  config: MiniGptConfig,
  vocab: string[],
  values: Record<string, Float32Array>,
  meta: { corpus: CorpusInfo; trainedSteps: number; training: Record<string, unknown> },
): { json: ModelJson; bin: Buffer } {
  const specs = tensorSpecs(config);
  const total = specs.reduce((n, s) => n + sizeOf(s.shape), 0);
  const bin = Buffer.alloc(total * 4);
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const s of specs) {
    const v = values[s.name];
    const n = sizeOf(s.shape);
    if (!v || v.length !== n) throw new Error(`tensor ${s.name}: expected ${n} values, got ${v ? v.length : 'none'}`);
    for (let j = 0; j < n; j++) bin.writeFloatLE(v[j], offset + 4 * j);
    tensors.push({ name: s.name, shape: s.shape, offset, length: 4 * n });
    offset += 4 * n;
  }
  const json: ModelJson = {
    formatVersion: FORMAT_VERSION,
    config,
    vocab,
    dtype: 'float32',
    byteOrder: 'little-endian',
    tensors,
    weightsFile: 'weights.bin',
    weightsBytes: bin.length,
    weightsSha256: createHash('sha256').update(bin).digest('hex'),
    corpus: meta.corpus,
    trainedSteps: meta.trainedSteps,
    training: meta.training,
  };
  return { json, bin };
}
