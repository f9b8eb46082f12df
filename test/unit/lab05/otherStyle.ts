// A correct Lab 5 written the way another learner might: index loops, batched matMul for the
// mean, a hand-written log-sum-exp, min/max for the schedule, per-tensor norms combined with
// Math.hypot, a regex for the head's names. It must pass every check. OTHER_STYLE writes
// clipGradNorm and trainStep synchronously with dataSync (the style before they became async:
// it must still pass on wasm and cpu); OTHER_STYLE_ASYNC writes them async, reading with await.
export const OTHER_STYLE: Record<string, string> = {
  'batching.ts': `
export interface SpecialIds { cls: number; sep: number; pad: number }
export interface Batch { ids: number[][]; mask: number[][]; lengths: number[] }
export function makeBatch(texts: string[], tokenize: (text: string) => number[], special: SpecialIds, maxLen: number): Batch {
  const keep = Math.max(0, maxLen - 2);
  const rows: number[][] = [];
  for (const text of texts) {
    const tokens = tokenize(text);
    const row = [special.cls];
    for (let i = 0; i < tokens.length && i < keep; i++) row.push(tokens[i]);
    row.push(special.sep);
    rows.push(row);
  }
  let width = 0;
  for (const r of rows) if (r.length > width) width = r.length;
  const batch: Batch = { ids: [], mask: [], lengths: [] };
  for (const r of rows) {
    const ids: number[] = [];
    const mask: number[] = [];
    for (let t = 0; t < width; t++) {
      ids.push(t < r.length ? r[t] : special.pad);
      mask.push(t < r.length ? 1 : 0);
    }
    batch.ids.push(ids);
    batch.mask.push(mask);
    batch.lengths.push(r.length);
  }
  return batch;
}
`,
  'classifier.ts': `
import * as tf from '@tensorflow/tfjs-core';
export function clsPool(hidden: tf.Tensor3D): tf.Tensor2D {
  return tf.unstack(hidden, 1)[0] as tf.Tensor2D;
}
export function meanPool(hidden: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const [B, T, C] = hidden.shape;
  const weights = tf.reshape(tf.cast(mask, 'float32'), [B, 1, T]);
  const sums = tf.reshape(tf.matMul(weights, hidden), [B, C]);
  const counts = tf.sum(tf.cast(mask, 'float32'), 1, true);
  return tf.div(sums, counts) as tf.Tensor2D;
}
export function classifierLogits(pooled: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(pooled, w), tf.reshape(b, [1, -1])) as tf.Tensor2D;
}
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const max = tf.max(logits, 1, true);
  const shifted = tf.sub(logits, max);
  const logSumExp = tf.log(tf.sum(tf.exp(shifted), 1));
  const right = tf.sum(tf.mul(shifted, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), 1);
  return tf.mean(tf.sub(logSumExp, right)) as tf.Scalar;
}
`,
  'training.ts': `
import * as tf from '@tensorflow/tfjs-core';
export interface ScheduleOptions { peakLr: number; warmupSteps: number; totalSteps: number }
export function learningRate(step: number, o: ScheduleOptions): number {
  const up = o.warmupSteps > 0 ? step / o.warmupSteps : 1;
  const down = (o.totalSteps - step) / Math.max(1, o.totalSteps - o.warmupSteps);
  return o.peakLr * Math.max(0, Math.min(up, down));
}
export function clipGradNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: number } {
  const norms = Object.values(grads).map((g) => tf.norm(g).dataSync()[0]);
  const norm = Math.hypot(...norms);
  const factor = Math.min(1, maxNorm / (norm + 1e-6));
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = factor < 1 ? tf.mul(g, tf.scalar(factor)) : g;
  return { grads: out, norm };
}
export function trainableParameters(names: string[], freezeEncoder: boolean): string[] {
  return names.filter((n) => !freezeEncoder || /^head\\./.test(n));
}
export interface Optimizer { apply(grads: Record<string, tf.Tensor>, lr: number): void }
export interface StepOptions { step: number; schedule: ScheduleOptions; maxGradNorm: number; freezeEncoder: boolean }
export interface StepResult { loss: number; lr: number; gradNorm: number }
export function trainStep(params: Record<string, tf.Variable>, loss: () => tf.Scalar, optimizer: Optimizer, o: StepOptions): StepResult {
  const trainable = trainableParameters(Object.keys(params), o.freezeEncoder).map((n) => params[n]);
  const lr = learningRate(o.step, o.schedule);
  const result = tf.variableGrads(loss, trainable);
  const { grads, norm } = clipGradNorm(result.grads, o.maxGradNorm);
  optimizer.apply(grads, lr);
  const value = result.value.dataSync()[0];
  return { loss: value, lr, gradNorm: norm };
}
`,
  'metrics.ts': `
export function confusionMatrix(predicted: number[], actual: number[], numClasses: number): number[][] {
  return Array.from({ length: numClasses }, (_, a) =>
    Array.from({ length: numClasses }, (_, p) => predicted.reduce((n, q, i) => n + (q === p && actual[i] === a ? 1 : 0), 0)),
  );
}
export interface ClassMetrics { precision: number; recall: number; f1: number; support: number }
export interface Metrics { accuracy: number; perClass: ClassMetrics[]; macroF1: number }
export function classificationMetrics(matrix: number[][]): Metrics {
  let total = 0;
  let hits = 0;
  const perClass: ClassMetrics[] = [];
  for (let k = 0; k < matrix.length; k++) {
    let predictedK = 0;
    let actualK = 0;
    for (let j = 0; j < matrix.length; j++) {
      predictedK += matrix[j][k];
      actualK += matrix[k][j];
    }
    total += actualK;
    hits += matrix[k][k];
    const precision = predictedK ? matrix[k][k] / predictedK : 0;
    const recall = actualK ? matrix[k][k] / actualK : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support: actualK });
  }
  const macroF1 = perClass.length ? perClass.reduce((s, c) => s + c.f1, 0) / perClass.length : 0;
  return { accuracy: total ? hits / total : 0, perClass, macroF1 };
}
`,
};

/** training.ts with clipGradNorm and trainStep async: parallel awaited reads, tidy, destructuring. */
const ASYNC_TRAINING = `
import * as tf from '@tensorflow/tfjs-core';
export interface ScheduleOptions { peakLr: number; warmupSteps: number; totalSteps: number }
export function learningRate(step: number, o: ScheduleOptions): number {
  if (step >= o.totalSteps) return 0;
  return step < o.warmupSteps ? (o.peakLr * step) / o.warmupSteps : (o.peakLr * (o.totalSteps - step)) / (o.totalSteps - o.warmupSteps);
}
export async function clipGradNorm(grads: Record<string, tf.Tensor>, maxNorm: number): Promise<{ grads: Record<string, tf.Tensor>; norm: number }> {
  const entries = Object.entries(grads);
  const squares = await Promise.all(
    entries.map(async ([, g]) => {
      const s = tf.tidy(() => tf.sum(tf.mul(g, g)));
      const value = (await s.array()) as number;
      s.dispose();
      return value;
    }),
  );
  const norm = Math.sqrt(squares.reduce((a, b) => a + b, 0));
  if (!(norm > maxNorm)) return { grads: { ...grads }, norm };
  const factor = maxNorm / (norm + 1e-6);
  return { grads: Object.fromEntries(entries.map(([k, g]) => [k, tf.mul(g, factor)])), norm };
}
export function trainableParameters(names: string[], freezeEncoder: boolean): string[] {
  return freezeEncoder ? names.filter((n) => n.slice(0, 5) === 'head.') : [...names];
}
export interface Optimizer { apply(grads: Record<string, tf.Tensor>, lr: number): void }
export interface StepOptions { step: number; schedule: ScheduleOptions; maxGradNorm: number; freezeEncoder: boolean }
export interface StepResult { loss: number; lr: number; gradNorm: number }
export async function trainStep(params: Record<string, tf.Variable>, loss: () => tf.Scalar, optimizer: Optimizer, o: StepOptions): Promise<StepResult> {
  const names = trainableParameters(Object.keys(params), o.freezeEncoder);
  const { value, grads } = tf.variableGrads(loss, names.map((n) => params[n]));
  const { grads: clipped, norm } = await clipGradNorm(grads, o.maxGradNorm);
  const lr = learningRate(o.step, o.schedule);
  optimizer.apply(clipped, lr);
  const [lossValue] = await value.data();
  tf.dispose([value, ...Object.values(grads), ...Object.values(clipped)]);
  return { loss: lossValue, lr, gradNorm: norm };
}
`;

export const OTHER_STYLE_ASYNC: Record<string, string> = { ...OTHER_STYLE, 'training.ts': ASYNC_TRAINING };
