// The extension ↔ training panel protocol (Lab 5's fine-tuning): typed postMessage maps. The
// run's own types (input, progress points, result) are the lab's, in views/trainingView.ts; the
// host checks the task's payloads (src/panels/trainingData.ts) before the page sees them.
// No Node or vscode imports (the page bundles it).
import type { LearnerError } from './sidecar';
import type { FineTuneInput, TrainingEvalPoint, TrainingResult, TrainingStepPoint } from './views/trainingView';
import type { Envelope } from './labView';

/** What the panel sets before Start; the validation sample and the evaluation interval keep the lab's defaults. */
export type TrainingInput = Required<Pick<FineTuneInput, 'subset' | 'seqLen' | 'epochs' | 'lr' | 'batchSize' | 'freezeEncoder' | 'seed' | 'init' | 'pooling'>>;

/** A learner function that threw or returned something unusable, where the reference could stand in. */
export interface PartError {
  fn: string;
  error: LearnerError;
  /** What the run used instead, said to the learner. */
  fallback: string;
}

/** What the lab's "fine-tune" task returns to the panel. */
export interface FineTuneTaskResult extends TrainingResult {
  /** The learner's functions still at their TODO, run as the course's reference. */
  referenceParts: string[];
  partErrors: PartError[];
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
  steps: TrainingStepPoint[];
  evals: TrainingEvalPoint[];
  totalSteps?: number;
  /** What the run is doing between steps ("encoding 640 messages with the frozen encoder"). */
  activity?: string;
  elapsedMs: number;
  result?: FineTuneTaskResult;
  labTitle: string;
}

/** Messages the extension sends to the training panel. */
export interface HostToTraining {
  /** Everything so far: sent when the page (re)loads, so a hidden and re-shown panel loses nothing. */
  snapshot: TrainingSnapshot;
  /** New points since the last message (batched: a few messages a second at most). */
  progress: { steps: TrainingStepPoint[]; evals: TrainingEvalPoint[]; totalSteps?: number; activity?: string; elapsedMs: number };
  /** The run started, is stopping, ended, or could not start; `note` is one sentence for the learner. */
  phase: { phase: TrainingPhase; note: string; detail?: string; input?: TrainingInput };
  /** The final result, or a cancelled run's (its steps and evaluations so far). */
  result: { result: FineTuneTaskResult };
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
