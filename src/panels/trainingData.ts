// What the training panel accepts from the page (bounded inputs) and from the fine-tuning task
// (its progress reports and result). No vscode import.
import type { TrainingInput } from '../../core/protocol/trainingPanel';
import type { TrainingEvalPoint, TrainingStepPoint } from '../../core/protocol/views/trainingView';
import { t } from '../l10n';

/** The lab.json visualization id of the training panel, and the lab module's task it runs. */
export const TRAINING_VIEW = 'training';
export const TRAINING_TASK = 'fine-tune';
/** A fine-tuning run may take minutes, not the checks' seconds. */
export const TRAINING_TIME_LIMIT_MS = 15 * 60_000;

type Bound = { min: number; max: number; integer: boolean };
/** seqLen: the shipped encoder has 128 positions; subset: the training split has 4,115 messages. */
export const TRAINING_BOUNDS: Record<'subset' | 'seqLen' | 'epochs' | 'lr' | 'batchSize' | 'seed', Bound> = {
  subset: { min: 16, max: 4000, integer: true },
  seqLen: { min: 8, max: 128, integer: true },
  epochs: { min: 1, max: 50, integer: true },
  lr: { min: 1e-6, max: 0.1, integer: false },
  batchSize: { min: 1, max: 1024, integer: true },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
};
export const TRAINING_CHOICES = { init: ['pretrained', 'random'], pooling: ['cls', 'mean'] } as const;

/** Lab 5's PANEL_RUN (labs/05-bert-fine-tuning/checks.ts), the run npm run bench times; a test keeps them equal. */
export const DEFAULT_TRAINING_INPUT: TrainingInput = { subset: 512, seqLen: 64, epochs: 2, lr: 3e-4, batchSize: 16, freezeEncoder: false, seed: 1, init: 'pretrained', pooling: 'cls' };

/** The page's inputs, checked; a string names the first field that is wrong and what it may be. */
export function parseTrainingInput(body: unknown): TrainingInput | string {
  const input = (body as { input?: unknown } | null)?.input as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object' || Array.isArray(input)) return t('input must be an object');
  const numbers: Partial<Record<keyof typeof TRAINING_BOUNDS, number>> = {};
  for (const [key, b] of Object.entries(TRAINING_BOUNDS) as [keyof typeof TRAINING_BOUNDS, Bound][]) {
    const v = input[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < b.min || v > b.max || (b.integer && !Number.isInteger(v))) {
      const got = String(JSON.stringify(v));
      return b.integer ? t('{0} must be a whole number from {1} to {2}, not {3}', key, b.min, b.max, got) : t('{0} must be a number from {1} to {2}, not {3}', key, b.min, b.max, got);
    }
    numbers[key] = v;
  }
  if (typeof input.freezeEncoder !== 'boolean') return t('freezeEncoder must be true or false, not {0}', String(JSON.stringify(input.freezeEncoder)));
  // Each choice has two values, so the sentence names both (no "or" to join in another language).
  for (const [key, allowed] of Object.entries(TRAINING_CHOICES)) {
    if (!(allowed as readonly unknown[]).includes(input[key])) return t('{0} must be {1} or {2}, not {3}', key, allowed[0], allowed[1], String(JSON.stringify(input[key])));
  }
  return { ...(numbers as Record<keyof typeof TRAINING_BOUNDS, number>), freezeEncoder: input.freezeEncoder, init: input.init as TrainingInput['init'], pooling: input.pooling as TrainingInput['pooling'] };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** A loss may be NaN or Infinity when training diverges: that is data, drawn as a gap. */
const isNumber = (v: unknown): v is number => typeof v === 'number';

export type ProgressItem = { step: TrainingStepPoint } | { eval: TrainingEvalPoint } | { activity: string | undefined };

/** One progress report of the task; undefined when it is not one (ignored). */
export function progressItem(payload: unknown): ProgressItem | undefined {
  const p = payload as Record<string, unknown> | null;
  if (!p || typeof p !== 'object') return undefined;
  if (p.kind === 'step' && isNum(p.step) && isNum(p.totalSteps) && isNum(p.epoch) && isNumber(p.loss) && isNum(p.lr) && isNumber(p.gradNorm) && isNum(p.elapsedMs)) {
    return { step: p as unknown as TrainingStepPoint };
  }
  if (p.kind === 'eval' && isNum(p.step) && isNumber(p.loss) && ['accuracy', 'precision', 'recall', 'f1', 'macroF1', 'hardHamAccuracy'].every((k) => isNum(p[k]))) {
    return { eval: p as unknown as TrainingEvalPoint };
  }
  // While steps run, the step line says it all; before and after them, what the run is doing.
  if (p.kind === 'phase' && typeof p.message === 'string') return { activity: p.phase === 'training' ? undefined : p.message.slice(0, 300) };
  return undefined;
}

function isMatrix(m: unknown, n: number): m is number[][] {
  return Array.isArray(m) && m.length === n && m.every((r) => Array.isArray(r) && r.length === n && r.every(isNum));
}

/** Why the task's result cannot be drawn, or undefined when it can. */
export function checkTrainingResult(r: unknown): string | undefined {
  const d = r as Record<string, unknown> | null;
  if (!d || typeof d !== 'object') return t('no result');
  if (d.status !== 'done' && d.status !== 'cancelled') return t('status must be done or cancelled');
  const classes = d.classNames;
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === 'string')) return t('classNames must list the classes');
  if (!Array.isArray(d.steps) || !d.steps.every((s) => progressItem(s) && 'step' in progressItem(s)!)) return t('steps must be training step points');
  if (!Array.isArray(d.evals) || !d.evals.every((s) => progressItem(s) && 'eval' in progressItem(s)!)) return t('evals must be evaluation points');
  if (d.confusion !== null && !isMatrix(d.confusion, classes.length)) return t('confusion must be null or {0}×{0} numbers', classes.length);
  const final = d.final as { accuracy?: unknown; perClass?: unknown[]; macroF1?: unknown; hardHamAccuracy?: unknown } | null;
  if (final !== null) {
    if (!final || !isNum(final.accuracy) || !isNum(final.macroF1) || !isNum(final.hardHamAccuracy)) return t('final must be null or have accuracy, macroF1 and hardHamAccuracy');
    if (!Array.isArray(final.perClass) || final.perClass.length !== classes.length) return t('final.perClass must have {0} entries', classes.length);
  }
  if (!Array.isArray(d.misclassified)) return t('misclassified must be a list');
  for (const [i, m] of (d.misclassified as Record<string, unknown>[]).entries()) {
    const tokens = m?.tokens;
    if (typeof m?.text !== 'string' || !Array.isArray(tokens) || !isNum(m.label) || !isNum(m.predicted) || !isNum(m.pSpam)) return t('misclassified {0}: text, tokens, label, predicted and pSpam required', i + 1);
    const att = m.clsAttention;
    const ok = Array.isArray(att) && att.length > 0 && att.every((layer) => Array.isArray(layer) && layer.length > 0 && layer.every((head) => Array.isArray(head) && head.length === tokens.length && head.every(isNum)));
    if (!ok) return t('misclassified {0}: clsAttention must be [layer][head][{1} tokens]', i + 1, tokens.length);
  }
  if (!Array.isArray(d.referenceParts) || !Array.isArray(d.partErrors)) return t('referenceParts and partErrors must be lists');
  const timing = d.timing as Record<string, unknown> | undefined;
  if (!timing || !isNum(timing.trainMs) || !isNum(timing.totalMs)) return t('timing must have trainMs and totalMs');
  if (!d.input || typeof d.input !== 'object' || !d.model || typeof d.model !== 'object' || !d.data || typeof d.data !== 'object') return t('input, model and data required');
  return undefined;
}
