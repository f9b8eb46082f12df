// What the training panel accepts from the page (bounded inputs) and from the fine-tuning task
// (its progress reports and result), turned into the panel's view types. No vscode import.
import type { EvalPoint, StepPoint, TrainingInput, TrainingResultView } from '../../core/protocol/trainingPanel';

export const TRAINING_TASK = 'fine-tune';
/** A fine-tuning run may take minutes, not the checks' seconds. */
export const TRAINING_TIME_LIMIT_MS = 15 * 60_000;

type Bound = { min: number; max: number; integer: boolean };
export const TRAINING_BOUNDS: Record<Exclude<keyof TrainingInput, 'freezeEncoder'>, Bound> = {
  subset: { min: 16, max: 4000, integer: true },
  seqLen: { min: 8, max: 256, integer: true },
  epochs: { min: 1, max: 20, integer: true },
  lr: { min: 1e-6, max: 0.1, integer: false },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
};

export const DEFAULT_TRAINING_INPUT: TrainingInput = { subset: 400, seqLen: 64, epochs: 2, lr: 5e-4, freezeEncoder: false, seed: 42 };

/** The page's inputs, checked; a string names the first field that is wrong and its range. */
export function parseTrainingInput(body: unknown): TrainingInput | string {
  const input = (body as { input?: unknown } | null)?.input as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object' || Array.isArray(input)) return 'input must be an object';
  const out: Partial<TrainingInput> = {};
  for (const [key, b] of Object.entries(TRAINING_BOUNDS) as [keyof typeof TRAINING_BOUNDS, Bound][]) {
    const v = input[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < b.min || v > b.max || (b.integer && !Number.isInteger(v))) {
      return `${key} must be ${b.integer ? 'a whole number' : 'a number'} from ${b.min} to ${b.max}, not ${JSON.stringify(v)}`;
    }
    out[key] = v;
  }
  if (typeof input.freezeEncoder !== 'boolean') return `freezeEncoder must be true or false, not ${JSON.stringify(input.freezeEncoder)}`;
  return { ...(out as Omit<TrainingInput, 'freezeEncoder'>), freezeEncoder: input.freezeEncoder };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Loss may be NaN or Infinity when training diverges: that is data, drawn as a gap. */
const isNumOrNonFinite = (v: unknown): v is number => typeof v === 'number';

/** One progress report of the task, as panel points; undefined when it is not one (ignored). */
export function progressPoint(payload: unknown): { step?: StepPoint; eval?: EvalPoint; totalSteps?: number } | undefined {
  const p = payload as Record<string, unknown> | null;
  if (!p || typeof p !== 'object') return undefined;
  const totalSteps = isNum(p.totalSteps) ? p.totalSteps : undefined;
  if (p.kind === 'step' && isNum(p.step) && isNum(p.epoch) && isNumOrNonFinite(p.loss) && isNum(p.lr)) {
    return { step: { step: p.step, epoch: p.epoch, loss: p.loss, lr: p.lr }, totalSteps };
  }
  if (p.kind === 'eval' && isNum(p.step) && isNum(p.epoch) && isNumOrNonFinite(p.loss) && isNum(p.accuracy) && isNum(p.f1)) {
    return { eval: { step: p.step, epoch: p.epoch, loss: p.loss, accuracy: p.accuracy, f1: p.f1 }, totalSteps };
  }
  return undefined;
}

function isMatrix(m: unknown): m is number[][] {
  return Array.isArray(m) && m.every((r) => Array.isArray(r) && r.every(isNum));
}

/** Why the task's result cannot be drawn, or undefined when it can. */
export function checkTrainingResult(r: unknown): string | undefined {
  const d = r as Partial<TrainingResultView> | null;
  if (!d || typeof d !== 'object') return 'no result';
  for (const k of ['stepsDone', 'totalSteps', 'durationMs'] as const) if (!isNum(d[k])) return `${k} must be a number`;
  if (!d.input || typeof d.input !== 'object') return 'input missing';
  for (const part of ['metrics', 'confusion'] as const) {
    const p = d[part];
    if (!p || typeof p !== 'object' || !('learner' in p) || !('reference' in p)) return `${part} must have learner and reference`;
    if (p.learner === null && p.reference === null && !p.learnerError) return `${part}: neither learner nor reference, and no error`;
  }
  for (const c of [d.confusion!.learner, d.confusion!.reference]) {
    if (c && (!Array.isArray(c.labels) || !isMatrix(c.counts) || c.counts.length !== c.labels.length)) return 'confusion counts must be a labels × labels matrix';
  }
  if (!Array.isArray(d.misclassified)) return 'misclassified must be a list';
  for (const [i, m] of d.misclassified.entries()) {
    if (typeof m?.text !== 'string' || !Array.isArray(m.tokens)) return `misclassified ${i + 1}: text and tokens required`;
    const ok = Array.isArray(m.clsAttention) && m.clsAttention.every((layer) => Array.isArray(layer) && layer.every((head) => Array.isArray(head) && head.length === m.tokens.length && head.every(isNum)));
    if (!ok) return `misclassified ${i + 1}: clsAttention must be [layer][head][${m.tokens.length} tokens]`;
  }
  if (!Array.isArray(d.trainingErrors)) return 'trainingErrors must be a list';
  if (typeof d.source !== 'string') return 'source must be a string';
  return undefined;
}
