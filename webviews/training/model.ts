// The training page's state as a pure reducer of the host's messages, and the arithmetic the
// charts need (no DOM: unit-tested in Node).
import type { HostToTrainingMessage, TrainingInput, TrainingPhase, TrainingSnapshot } from '../../core/protocol/trainingPanel';
import { t } from '../shared/l10n';

/** The inputs a new panel starts with: the host's DEFAULT_TRAINING_INPUT (a test keeps them equal). */
export const PAGE_DEFAULTS: TrainingInput = { subset: 512, seqLen: 64, epochs: 2, lr: 3e-4, batchSize: 16, freezeEncoder: false, seed: 1, init: 'pretrained', pooling: 'cls' };

/** The lab's two panel runs (PANEL_RUN and FROZEN_PANEL_RUN in its checks; a test keeps them equal). */
export const PRESETS: { name: string; input: TrainingInput }[] = [
  { name: t('Full fine-tuning'), input: PAGE_DEFAULTS },
  { name: t('Head only (quick)'), input: { subset: 1024, seqLen: 64, epochs: 20, lr: 0.05, batchSize: 128, freezeEncoder: true, seed: 1, init: 'pretrained', pooling: 'mean' } },
];

export type PageModel = TrainingSnapshot;

export function initialModel(): PageModel {
  return { phase: 'idle', note: t('Waiting for the extension…'), steps: [], evals: [], elapsedMs: 0, labTitle: '' };
}

/** Which parts of the page a message changed (so a progress tick redraws only the curves). */
export interface Changed {
  status: boolean;
  curves: boolean;
  result: boolean;
}

export function reduce(m: PageModel, msg: HostToTrainingMessage): { model: PageModel; changed: Changed } {
  switch (msg.type) {
    case 'snapshot': {
      const b = msg.body;
      return {
        model: { ...b, steps: [...b.steps], evals: [...b.evals] },
        changed: { status: true, curves: true, result: true },
      };
    }
    case 'progress':
      return {
        model: { ...m, steps: m.steps.concat(msg.body.steps), evals: m.evals.concat(msg.body.evals), totalSteps: msg.body.totalSteps ?? m.totalSteps, activity: msg.body.activity, elapsedMs: msg.body.elapsedMs },
        changed: { status: true, curves: true, result: false },
      };
    case 'phase': {
      const b = msg.body;
      // A new run clears the last one's curves and results.
      const fresh = b.phase === 'running' && m.phase !== 'running' && m.phase !== 'cancelling';
      return {
        model: fresh
          ? { ...m, phase: b.phase, note: b.note, detail: b.detail, input: b.input, steps: [], evals: [], totalSteps: undefined, activity: undefined, elapsedMs: 0, result: undefined }
          : { ...m, phase: b.phase, note: b.note, detail: b.detail, input: b.input ?? m.input },
        // The curves' x axis depends on the phase (a stopped run spans what it did).
        changed: { status: true, curves: fresh || b.phase !== m.phase, result: fresh },
      };
    }
    case 'result':
      return { model: { ...m, result: msg.body.result }, changed: { status: false, curves: false, result: true } };
  }
}

export const isBusy = (p: TrainingPhase) => p === 'running' || p === 'cancelling';

/** "Epoch 2 of 3 · step 40 of 120 · loss 0.412 · 12.0 s" */
export function liveLine(m: PageModel): string {
  const last = m.steps[m.steps.length - 1];
  const time = `${(m.elapsedMs / 1000).toFixed(1)} s`;
  if (!last) return isBusy(m.phase) ? `${m.activity ? m.activity[0].toUpperCase() + m.activity.slice(1) : t('Preparing the data and the model')}… ${time}` : '';
  const epochs = m.input?.epochs;
  return [
    epochs ? t('Epoch {0} of {1}', last.epoch + 1, epochs) : t('Epoch {0}', last.epoch + 1),
    m.totalSteps ? t('step {0} of {1}', last.step + 1, m.totalSteps) : t('step {0}', last.step + 1),
    t('loss {0}', Number.isFinite(last.loss) ? last.loss.toFixed(3) : String(last.loss)),
    time,
    ...(isBusy(m.phase) && m.activity ? [m.activity] : []),
  ].join(' · ');
}

/** At most `max` points: every k-th, always the last, so a long run draws as fast as a short one. */
export function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const k = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % k === 0);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}

/** Exponential moving average with bias correction (as TensorBoard smooths); non-finite values pass through as gaps. */
export function smooth(values: number[], weight = 0.9): number[] {
  let avg = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    avg = weight * avg + (1 - weight) * v;
    n++;
    return avg / (1 - weight ** n);
  });
}

/** The share of the row total in each cell of a confusion matrix (recall per true class); 0 for an empty row. */
export function rowShares(counts: number[][]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** The [CLS] weights to show for a layer and a head, or the mean over heads when head is -1. */
export function clsWeights(att: number[][][], layer: number, head: number): number[] {
  const heads = att[Math.min(Math.max(0, layer), att.length - 1)] ?? [];
  if (heads.length === 0) return [];
  if (head >= 0) return heads[Math.min(head, heads.length - 1)];
  return heads[0].map((_, k) => heads.reduce((s, h) => s + h[k], 0) / heads.length);
}
