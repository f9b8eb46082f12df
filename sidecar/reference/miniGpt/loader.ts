// Reads and validates media/models/mini-gpt/{model.json, weights.bin} through the shared tensor
// file reader (../weights/tensorFile.ts), adding the mini-GPT's config and vocabulary checks.
// No tfjs here: the result is plain Float32Arrays, turned into tensors by MiniGpt with the caller's tf.
import { join, resolve } from 'node:path';
import { FORMAT_VERSION, tensorSpecs, type MiniGptConfig } from './config';
import type { ModelJson } from './weightsFile';
import { findModelFolder, isPosInt, ModelLoadError, readTensorFile, type LoadedTensor } from '../weights/tensorFile';

export { ModelLoadError, type LoadedTensor };

/** Where the shipped model lives, relative to the extension (or repository) root. */
export const MODEL_SUBDIR = join('media', 'models', 'mini-gpt');

export interface MiniGptFile {
  dir: string;
  config: MiniGptConfig;
  vocab: string[];
  tensors: Record<string, LoadedTensor>;
  meta: ModelJson;
}

/**
 * Walks up from `fromDir` (e.g. dist/labs/<id>/ or out/labs/<id>/) to the first folder that
 * holds media/models/mini-gpt/model.json, and returns that model folder.
 */
export function findModelDir(fromDir: string): string {
  return findModelFolder(MODEL_SUBDIR, fromDir);
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

function validateModel(file: string, j: Record<string, unknown>) {
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
  return { specs: tensorSpecs(config), config };
}

/** Loads and checks the model in `dir` (the folder holding model.json); throws ModelLoadError. */
export function loadMiniGpt(dir: string): MiniGptFile {
  const { json, tensors } = readTensorFile<ModelJson>(dir, { formatVersion: FORMAT_VERSION, validateModel });
  return { dir: resolve(dir), config: json.config, vocab: json.vocab, tensors, meta: json };
}
