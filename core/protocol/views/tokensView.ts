// Payload of Lab 4's "tokens" view: the sidecar computes it (labs/04-tokenizer/visualize.ts),
// the token panel draws it. Each part carries the learner's result beside the reference; a
// part whose learner function threw or returned nonsense has learner = null and a learnerError.
import type { LearnerError } from '../sidecar';

/** What the panel sends. Missing or out-of-range values fall back to the defaults. */
export interface TokensViewInput {
  /** The text to tokenize; empty: the editor's selection (filled in by the host), else a sentence of Moby-Dick. At most 1,000 characters. */
  text: string;
  /** Size of the learner's tokenizer trained on the shipped Moby-Dick (257…8192, default 1024). */
  vocabSize: number;
}

/** One token of a tokenized text. */
export interface TokenPiece {
  id: number;
  /** The token's bytes as text; bytes that are not valid UTF-8 on their own are shown in hex, "<E4 B8>". */
  text: string;
  /** How many bytes the token stands for (to line two tokenizations up). */
  bytes: number;
  /** Set on a special token. */
  special?: boolean;
  /** Set when the bytes are not valid UTF-8 alone (part of a character): `text` is their hex. */
  partial?: boolean;
}

export interface TokensPart<T> {
  learner: T | null;
  reference: T;
  learnerError?: LearnerError;
}

/** The text through a tokenizer trained on Moby-Dick, with what the panel needs for merge trees. */
export interface TrainedTokens {
  tokens: TokenPiece[];
  /** For every merged id reachable from `tokens`: [left, right] (its rank is id − 256). */
  merges: Record<string, [number, number]>;
  /** Readable text of every id in `merges` and of their parts. */
  pieces: Record<string, string>;
  /** 256 + merges + special tokens, as trained. */
  vocabSize: number;
  mergesLearned: number;
  /** How long training took (the reference's: its probe run, as it is trained once per session). */
  trainMs: number;
  /** What this tokenizer was trained on, and how (shown on the panel). */
  trainedOn: string;
}

export interface StudyPoint {
  vocabSize: number;
  tokensPerChar: number;
}

export interface VocabPlot {
  /** The curve drawn: the learner's vocabStudy when their trainer is fast enough, else the reference's. */
  points: StudyPoint[];
  reference: StudyPoint[];
  source: 'yours' | 'reference';
  /** Why this source (shown on the panel). */
  note: string;
  learnerError?: LearnerError;
}

export interface TokensViewData {
  /** The input as used (clamped, defaulted). */
  settings: TokensViewInput;
  /** Characters (text.length) of the text. */
  chars: number;
  /** trainFast + encodeText (yours) beside the reference trainer and encoder. */
  trained: TokensPart<TrainedTokens>;
  /** encodeText with GPT-2's merges (yours) beside js-tiktoken's gpt2 encoding. */
  gpt2: TokensPart<TokenPiece[]>;
  study: VocabPlot;
  /** Where the training and test text come from. */
  corpus: string;
}
