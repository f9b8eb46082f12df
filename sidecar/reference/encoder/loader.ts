// Reads and validates media/models/encoder/{model.json, weights.bin} through the shared tensor
// file reader (../weights/tensorFile.ts), adding the encoder's config and tokenizer checks.
// A missing, truncated or corrupted file is a ModelLoadError naming that file.
import { join, resolve } from 'node:path';
import { BpeTokenizer } from '../tokenizer';
import type { BpeTokenizerJson } from '../tokenizer';
import { findModelFolder, isPosInt, ModelLoadError, readTensorFile, type LoadedTensor, type TensorFileHeader } from '../weights/tensorFile';
import { FORMAT_VERSION, SPECIAL_TOKENS, tensorSpecs, type EncoderConfig } from './config';

export { ModelLoadError };

/** Where the shipped encoder lives, relative to the extension (or repository) root. */
export const ENCODER_SUBDIR = join('media', 'models', 'encoder');

export interface EncoderCorpusInfo {
  /** Each source package with its version and licence. */
  sources: { package: string; version: string; licence: string; documents: number; characters: number }[];
  /** How the training and validation text were chosen. */
  split: string;
  trainTokens: number;
  validationTokens: number;
}

export interface EncoderModelJson extends TensorFileHeader {
  config: EncoderConfig;
  tokenizer: BpeTokenizerJson;
  corpus: EncoderCorpusInfo;
  trainedSteps: number;
  /** Training facts (losses, accuracies, baselines, timings) mirrored in MODEL_CARD.md. */
  training: Record<string, unknown>;
}

export interface EncoderFile {
  dir: string;
  config: EncoderConfig;
  tokenizer: BpeTokenizer;
  /** Special token → id, for [PAD] [CLS] [SEP] [MASK]. */
  special: Record<(typeof SPECIAL_TOKENS)[number], number>;
  tensors: Record<string, LoadedTensor>;
  meta: EncoderModelJson;
}

/** The model folder above `fromDir` (out/, dist/ or the repository). */
export function findEncoderDir(fromDir: string = __dirname): string {
  return findModelFolder(ENCODER_SUBDIR, fromDir);
}

function validateConfig(file: string, c: unknown): EncoderConfig {
  if (typeof c !== 'object' || c === null) throw new ModelLoadError(file, '"config" is missing or not an object');
  const cfg = c as Record<string, unknown>;
  for (const k of ['vocabSize', 'maxLen', 'nLayer', 'nHead', 'dModel', 'dFf']) {
    if (!isPosInt(cfg[k])) throw new ModelLoadError(file, `config.${k} is ${JSON.stringify(cfg[k])}, expected a positive integer`);
  }
  const out = cfg as unknown as EncoderConfig;
  if (out.dModel % out.nHead !== 0) throw new ModelLoadError(file, `config.dModel ${out.dModel} is not a multiple of config.nHead ${out.nHead}`);
  return out;
}

function validateModel(file: string, j: Record<string, unknown>, found: { tokenizer?: BpeTokenizer }) {
  const config = validateConfig(file, j.config);
  let tok: BpeTokenizer;
  try {
    tok = BpeTokenizer.fromJSON(j.tokenizer);
  } catch (err) {
    throw new ModelLoadError(file, `"tokenizer" is not a valid tokenizer: ${(err as Error).message}`);
  }
  if (tok.vocabSize !== config.vocabSize) throw new ModelLoadError(file, `the tokenizer has ${tok.vocabSize} ids, config.vocabSize is ${config.vocabSize}`);
  for (const s of SPECIAL_TOKENS) {
    if (tok.specialTokens[s] === undefined) throw new ModelLoadError(file, `the tokenizer has no ${s} token (it needs ${SPECIAL_TOKENS.join(' ')})`);
  }
  found.tokenizer = tok;
  return { specs: tensorSpecs(config), config };
}

/** Loads and checks the encoder in `dir` (the folder holding model.json); throws ModelLoadError. */
export function loadEncoder(dir: string): EncoderFile {
  const found: { tokenizer?: BpeTokenizer } = {};
  const { json, tensors } = readTensorFile<EncoderModelJson>(dir, { formatVersion: FORMAT_VERSION, validateModel: (f, j) => validateModel(f, j, found) });
  const tokenizer = found.tokenizer!;
  const special = Object.fromEntries(SPECIAL_TOKENS.map((s) => [s, tokenizer.specialTokens[s]])) as EncoderFile['special'];
  return { dir: resolve(dir), config: json.config, tokenizer, special, tensors, meta: json };
}
