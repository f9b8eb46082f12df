// Writing the media/models/mini-gpt format: the shared tensor file (../weights/tensorFile.ts)
// with the mini-GPT's config, character vocabulary, corpus and training facts in model.json.
import { FORMAT_VERSION, tensorSpecs, type MiniGptConfig } from './config';
import { encodeTensorFile, type TensorEntry, type TensorFileHeader } from '../weights/tensorFile';

export type { TensorEntry };

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

export interface ModelJson extends TensorFileHeader {
  config: MiniGptConfig;
  /** id → character. */
  vocab: string[];
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
  const { header, bin } = encodeTensorFile(tensorSpecs(config), values, FORMAT_VERSION);
  const { formatVersion, dtype, byteOrder, ...rest } = header;
  const json: ModelJson = { formatVersion, config, vocab, dtype, byteOrder, ...rest, ...meta };
  return { json, bin };
}
