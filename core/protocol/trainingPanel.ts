// The extension ↔ training panel protocol (Lab 5's fine-tuning): typed postMessage maps. The
// host turns the task's progress and result into these view types (src/panels/trainingData.ts),
// so the page never reads the task's own payloads. No Node or vscode imports (the page bundles it).
import type { Envelope } from './webview';
import type { LearnerError } from './sidecar';

/** What the learner sets before Start (bounds in src/panels/trainingData.ts TRAINING_BOUNDS). */
export interface TrainingInput {
  /** Training messages used (a seeded, stratified subset of the training split). */
  subset: number;
  /** Tokens per message after truncation, [CLS] and [SEP] included. */
  seqLen: number;
  epochs: number;
  /** Peak learning rate of the schedule. */
  lr: number;
  /** Train only the classification head. */
  freezeEncoder: boolean;
  seed: number;
}

/** One optimizer step. */
export interface StepPoint {
  step: number;
  epoch: number;
  loss: number;
  /** The learning rate the schedule gave this step. */
  lr: number;
}

/** One evaluation on the validation split. */
export interface EvalPoint {
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
  f1: number;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface MetricsView {
  accuracy: number;
  perClass: ClassMetrics[];
  /** Subgroups reported on their own (hard ham), as accuracy over n messages. */
  groups: { name: string; accuracy: number; n: number }[];
}

export interface ConfusionView {
  labels: string[];
  /** counts[true class][predicted class]. */
  counts: number[][];
}

/** A validation message the fine-tuned model got wrong, with where [CLS] looked. */
export interface MisclassifiedView {
  text: string;
  tokens: string[];
  label: string;
  predicted: string;
  /** The model's probability for its (wrong) prediction. */
  probability: number;
  /** [layer][head][token]: the [CLS] query's attention weights over the message's tokens. */
  clsAttention: number[][][];
}

/** A part computed with the learner's function beside the reference; either may be missing. */
export interface PartView<T> {
  learner: T | null;
  reference: T | null;
  /** The learner's function threw or returned something unusable: why, with their line. */
  learnerError?: LearnerError;
  /** The exercise function behind this part (for "Go to …"). */
  fn?: string;
}

export interface TrainingResultView {
  /** The run's own settings, as normalised by the task. */
  input: TrainingInput;
  stepsDone: number;
  totalSteps: number;
  durationMs: number;
  /** Validation examples per second of training, when the task measured it. */
  examplesPerSecond?: number;
  metrics: PartView<MetricsView>;
  confusion: PartView<ConfusionView>;
  misclassified: MisclassifiedView[];
  /** Learner functions that threw during training and what the run used instead. */
  trainingErrors: { fn: string; error: LearnerError; fallback: string }[];
  /** Where the numbers come from (model, split), said under the panel. */
  source: string;
}

export type TrainingPhase = 'idle' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

/** The whole state of the panel: what the host keeps and the page draws. */
export interface TrainingSnapshot {
  phase: TrainingPhase;
  /** One sentence for the learner about the phase. */
  note: string;
  detail?: string;
  /** The inputs of the current or last run, if any. */
  input?: TrainingInput;
  steps: StepPoint[];
  evals: EvalPoint[];
  totalSteps?: number;
  elapsedMs: number;
  result?: TrainingResultView;
  labTitle: string;
}

/** Messages the extension sends to the training panel. */
export interface HostToTraining {
  /** Everything so far: sent when the page (re)loads, so a hidden and re-shown panel loses nothing. */
  snapshot: TrainingSnapshot;
  /** New points since the last message (batched: a few messages per second at most). */
  progress: { steps: StepPoint[]; evals: EvalPoint[]; totalSteps?: number; elapsedMs: number };
  /** The run started, is stopping, ended, or could not start; `note` is one sentence for the learner. */
  phase: { phase: TrainingPhase; note: string; detail?: string; input?: TrainingInput };
  /** The final (or, after a cancel, partial) result. */
  result: { result: TrainingResultView };
}

/** Messages the training panel sends to the extension. */
export interface TrainingToHost {
  ready: Record<string, never>;
  start: { input: TrainingInput };
  cancel: Record<string, never>;
  revealFunction: { name: string };
}

export type HostToTrainingMessage = Envelope<HostToTraining>;
export type TrainingToHostMessage = Envelope<TrainingToHost>;
