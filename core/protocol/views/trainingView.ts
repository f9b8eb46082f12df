// Lab 5 fine-tuning: the input of a run, the progress it streams, and its result. Produced by
// fineTuneRun in labs/05-bert-fine-tuning/checks.ts (the learner's batching, pooling, loss,
// schedule, clipping, training step and metrics around the shipped encoder). Shared by the
// sidecar, the extension host and the training panel: no Node or vscode imports.

export type PoolingName = 'cls' | 'mean';
export type EncoderInit = 'pretrained' | 'random';

export interface FineTuneInput {
  /** Training messages, a stratified sample of the training split (easy ham, hard ham, spam in proportion). */
  subset: number;
  /** Tokens per message at most, [CLS] and [SEP] included (2…128). */
  seqLen: number;
  epochs: number;
  /** Peak learning rate of the warm-up + linear decay schedule. */
  lr: number;
  /** Train only the classification head (the encoder's weights stay as loaded). */
  freezeEncoder: boolean;
  /** Seeds the training sample, its order and the head's initialisation. */
  seed: number;
  /** The shipped pretrained weights (default) or the same architecture freshly initialised. */
  init?: EncoderInit;
  /** The sentence vector: the [CLS] hidden state (default) or the mean over real tokens. */
  pooling?: PoolingName;
  /** Messages per step (default 16). */
  batchSize?: number;
  /** Validation messages evaluated, a fixed stratified sample of the validation split (default 256). */
  validationSize?: number;
  /** Steps between evaluations (default: about 8 evaluations per run, and always the last step). */
  evalEvery?: number;
}

/** One training step. */
export interface TrainingStepPoint {
  kind: 'step';
  /** 0-based: the update this point reports. */
  step: number;
  totalSteps: number;
  epoch: number;
  /** Mean cross-entropy of the batch, before the update (nats). */
  loss: number;
  /** The learning rate this update used. */
  lr: number;
  /** The global gradient norm before clipping. */
  gradNorm: number;
  /** Token positions the encoder ran on in this step (messages × padded width); 0 when frozen (cached features). */
  paddedTokens: number;
  elapsedMs: number;
}

/** Precision, recall and F1 of one class. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** An evaluation on the validation sample after `step` updates (step 0 = before training). */
export interface TrainingEvalPoint {
  kind: 'eval';
  step: number;
  /** Mean cross-entropy on the validation sample. */
  loss: number;
  accuracy: number;
  /** Of the spam class (class 1): the numbers the lab reports. */
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
  /** Hard ham messages classified as ham / hard ham messages. */
  hardHamAccuracy: number;
}

/** What the run is doing between steps (tokenizing, encoding a frozen encoder's features…). */
export interface TrainingPhase {
  kind: 'phase';
  phase: 'preparing' | 'encoding' | 'training' | 'evaluating' | 'explaining';
  message: string;
}

export type TrainingProgress = TrainingStepPoint | TrainingEvalPoint | TrainingPhase;

export interface MisclassifiedMessage {
  /** The source message, e.g. "hard-ham-1/00042". */
  id: string;
  group: 'easy-ham' | 'hard-ham' | 'spam';
  /** 0 = ham, 1 = spam. */
  label: number;
  predicted: number;
  /** The model's probability of spam. */
  pSpam: number;
  /** The message text (as shipped: Subject, newline, body). */
  text: string;
  /** The tokens the model read, [CLS] first and [SEP] last, each decoded on its own. */
  tokens: string[];
  /** [layer][head][token]: how much [CLS] attends to each token (rows sum to 1). */
  clsAttention: number[][][];
}

export interface TrainingResult {
  status: 'done' | 'cancelled';
  /** The input with every default filled in. */
  input: Required<FineTuneInput>;
  classNames: string[];
  steps: TrainingStepPoint[];
  evals: TrainingEvalPoint[];
  /** Final validation confusion matrix [actual][predicted]; null when cancelled before it. */
  confusion: number[][] | null;
  /** Final per-class scores (ham, spam), accuracy and macro F1; null when cancelled before it. */
  final: { accuracy: number; perClass: ClassScores[]; macroF1: number; hardHamAccuracy: number } | null;
  /** Up to 12 misclassified validation messages with the [CLS] attention of every layer and head. */
  misclassified: MisclassifiedMessage[];
  data: {
    /** Messages per group in the training sample and the validation sample. */
    train: Record<'easy-ham' | 'hard-ham' | 'spam', number>;
    validation: Record<'easy-ham' | 'hard-ham' | 'spam', number>;
  };
  model: { layers: number; heads: number; parameters: number; trainedParameters: number };
  timing: { totalMs: number; trainMs: number; examplesPerSecond: number };
}
