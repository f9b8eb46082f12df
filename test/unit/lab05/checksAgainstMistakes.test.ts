// Lab 5's checks against the solution (every check passes), the starter (every check is "not
// started") and planted mistakes, in process like the worker with the shipped encoder and data
// (the shared suite, test/support/plantedMistakes.ts): each mistake is the solution with one
// line changed the way a learner gets it wrong, and the VISIBLE check aimed at it fails with a
// message that names it. Two mistakes need module-level state, declared before the function.
// clipGradNorm and trainStep are async: a missing await and an async function that rejects are
// planted too.
import assert from 'node:assert/strict';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { describeLabChecks, type Mistake } from '../../support/plantedMistakes';

export const LAB5_MISTAKES: Mistake[] = [
  {
    name: 'makeBatch forgets [CLS]',
    file: 'batching.ts',
    edits: [['[special.cls, ...tokenize(text).slice(0, maxLen - 2), special.sep]', '[...tokenize(text).slice(0, maxLen - 2), special.sep]']],
    caughtBy: 'batch-layout',
    message: /starts with \[CLS\]/,
    alsoCaughtBy: ['batch-pads-to-longest'],
  },
  {
    name: 'makeBatch truncates after adding [CLS] and [SEP] (the [SEP] of a long message is cut off)',
    file: 'batching.ts',
    edits: [['[special.cls, ...tokenize(text).slice(0, maxLen - 2), special.sep]', '[special.cls, ...tokenize(text), special.sep].slice(0, maxLen)']],
    caughtBy: 'batch-layout',
    message: /ends its real tokens with \[SEP\]/,
  },
  {
    name: 'makeBatch keeps maxLen − 1 tokens (rows one longer than maxLen)',
    file: 'batching.ts',
    edits: [['tokenize(text).slice(0, maxLen - 2)', 'tokenize(text).slice(0, maxLen - 1)']],
    caughtBy: 'batch-layout',
    message: /first maxLen − 2 tokens/,
  },
  {
    name: 'makeBatch pads every row to maxLen',
    file: 'batching.ts',
    edits: [['const width = Math.max(0, ...rows.map((r) => r.length));', 'const width = maxLen;']],
    caughtBy: 'batch-pads-to-longest',
    message: /not to maxLen/,
    alsoCaughtBy: ['batch-layout'],
  },
  {
    name: 'makeBatch marks the padding as real in the mask',
    file: 'batching.ts',
    edits: [['mask.push([...new Array<number>(row.length).fill(1), ...new Array<number>(pad).fill(0)]);', 'mask.push(new Array<number>(width).fill(1));']],
    caughtBy: 'batch-layout',
    message: /0 on padding/,
    alsoCaughtBy: ['batch-mask-semantics'],
  },
  {
    name: 'makeBatch pads with id 0 instead of [PAD]',
    file: 'batching.ts',
    edits: [['new Array<number>(pad).fill(special.pad)', 'new Array<number>(pad).fill(0)']],
    caughtBy: 'batch-layout',
    message: /row \d is \[.*0.*\] but should be/,
    alsoCaughtBy: ['batch-pads-to-longest'],
  },
  {
    name: 'clsPool takes the last position',
    file: 'classifier.ts',
    edits: [['tf.slice(hidden, [0, 0, 0], [B, 1, C])', 'tf.slice(hidden, [0, hidden.shape[1] - 1, 0], [B, 1, C])']],
    caughtBy: 'cls-pool',
    message: /LAST position/,
  },
  {
    name: 'clsPool rebuilt from arraySync() numbers (no gradient reaches the encoder)',
    file: 'classifier.ts',
    edits: [['return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, C]), [B, C]);', 'void C; void B; return tf.tensor2d((hidden.arraySync() as number[][][]).map((r) => r[0]));']],
    caughtBy: 'cls-pool',
    message: /no gradient flows through clsPool/,
  },
  {
    name: 'meanPool averages over every position, padding included',
    file: 'classifier.ts',
    edits: [['return tf.div(summed, counts) as tf.Tensor2D;', 'void summed; void counts; return tf.mean(hidden, 1) as tf.Tensor2D;']],
    caughtBy: 'mean-pool-real-tokens',
    message: /averaged over all 6 positions, padding included/,
    alsoCaughtBy: ['mean-pool-padding-ignored'],
  },
  {
    name: 'meanPool divides by T instead of the number of real tokens',
    file: 'classifier.ts',
    edits: [['const counts = tf.sum(m, 1); // [B, 1]', 'const counts = tf.fill([hidden.shape[0], 1], hidden.shape[1]);']],
    caughtBy: 'mean-pool-real-tokens',
    message: /divided by T/,
    alsoCaughtBy: ['mean-pool-padding-ignored'],
  },
  {
    name: 'classifierLogits without the bias',
    file: 'classifier.ts',
    edits: [['return tf.add(tf.matMul(pooled, w), b) as tf.Tensor2D;', 'void b; return tf.matMul(pooled, w) as tf.Tensor2D;']],
    caughtBy: 'head-logits',
    message: /leaves out the bias/,
  },
  {
    name: 'crossEntropy sums over the batch',
    file: 'classifier.ts',
    edits: [['return tf.neg(tf.mean(picked)) as tf.Scalar;', 'return tf.neg(tf.sum(picked)) as tf.Scalar;']],
    caughtBy: 'cross-entropy-value',
    message: /MEAN over the 4 examples/,
    alsoCaughtBy: ['cross-entropy-gradient'],
  },
  {
    name: 'crossEntropy without the minus sign',
    file: 'classifier.ts',
    edits: [['return tf.neg(tf.mean(picked)) as tf.Scalar;', 'return tf.mean(picked) as tf.Scalar;']],
    caughtBy: 'cross-entropy-value',
    message: /sign is flipped/,
  },
  {
    name: 'crossEntropy as log of a softmax written with exp (overflows at logit 1000)',
    file: 'classifier.ts',
    edits: [['const logProbs = tf.logSoftmax(logits);', 'const logProbs = tf.log(tf.div(tf.exp(logits), tf.sum(tf.exp(logits), 1, true)));']],
    caughtBy: 'cross-entropy-stable',
    message: /exp\(1000\) overflows/,
  },
  {
    name: 'learningRate warms up with (step + 1) / warmup',
    file: 'training.ts',
    edits: [['return (o.peakLr * step) / o.warmupSteps;', 'return (o.peakLr * (step + 1)) / o.warmupSteps;']],
    caughtBy: 'lr-warmup',
    message: /warm-up starts at 0/,
  },
  {
    name: 'learningRate goes negative after the last step',
    file: 'training.ts',
    edits: [['  if (step >= o.totalSteps) return 0;\n  if (step < o.warmupSteps)', '  if (step < o.warmupSteps)']],
    caughtBy: 'lr-decay',
    message: /after the last step the rate is 0/,
  },
  {
    name: 'learningRate decays over totalSteps, forgetting the warm-up',
    file: 'training.ts',
    edits: [['return (o.peakLr * (o.totalSteps - step)) / (o.totalSteps - o.warmupSteps);', 'return (o.peakLr * (o.totalSteps - step)) / o.totalSteps;']],
    caughtBy: 'lr-warmup',
    message: /end of warm-up .* is exactly the peak/,
    alsoCaughtBy: ['lr-decay'],
  },
  {
    name: 'learningRate decays on a cosine',
    file: 'training.ts',
    edits: [['return (o.peakLr * (o.totalSteps - step)) / (o.totalSteps - o.warmupSteps);', 'return o.peakLr * 0.5 * (1 + Math.cos((Math.PI * (step - o.warmupSteps)) / (o.totalSteps - o.warmupSteps)));']],
    caughtBy: 'lr-decay',
    message: /linear, not cosine/,
  },
  {
    name: 'learningRate divides 0 by 0 when there is no warm-up',
    file: 'training.ts',
    edits: [['if (step < o.warmupSteps) return', 'if (step <= o.warmupSteps) return']],
    caughtBy: 'lr-decay',
    message: /with no warm-up the first step runs at the peak/,
  },
  {
    name: 'clipGradNorm clips each tensor on its own',
    file: 'training.ts',
    edits: [['for (const name of names) clipped[name] = tf.mul(grads[name], scale);', 'void scale; for (const name of names) clipped[name] = tf.mul(grads[name], maxNorm / Math.max(maxNorm, (await tf.norm(grads[name]).data())[0]));']],
    caughtBy: 'clip-above',
    message: /clipped each tensor on its own/,
  },
  {
    name: 'clipGradNorm scales small gradients up to maxNorm',
    file: 'training.ts',
    edits: [['  if (norm <= maxNorm) return { grads, norm };\n', '']],
    caughtBy: 'clip-below',
    message: /never scales a small gradient up/,
  },
  {
    name: 'clipGradNorm returns the norm after clipping',
    file: 'training.ts',
    edits: [['return { grads: clipped, norm };', 'return { grads: clipped, norm: maxNorm };']],
    caughtBy: 'clip-above',
    message: /norm BEFORE clipping/,
  },
  {
    name: 'clipGradNorm adds the per-tensor norms',
    file: 'training.ts',
    edits: [
      ['tf.add(sum, tf.sum(tf.square(grads[name])))', 'tf.add(sum, tf.norm(grads[name]))'],
      ['const norm = Math.sqrt((await sumSquares.data())[0]);', 'const norm = (await sumSquares.data())[0];'],
    ],
    caughtBy: 'clip-above',
    message: /added the per-tensor norms/,
  },
  {
    name: 'clipGradNorm (async) does not await its read, so its norm is a promise',
    file: 'training.ts',
    edits: [['const norm = Math.sqrt((await sumSquares.data())[0]);', 'const norm = sumSquares.data().then((d) => Math.sqrt(d[0]));']],
    caughtBy: 'clip-above',
    message: /clipGradNorm\(\{ a: \[3, 4\], b: \[\[12\]\] \}, 1\) put a promise in its result where a number belongs: .*await the read/,
    alsoCaughtBy: ['clip-below', 'clip-random', 'train-step-update', 'train-step-frozen'],
  },
  {
    name: 'trainableParameters trains the encoder even when it is frozen',
    file: 'training.ts',
    edits: [["return freezeEncoder ? names.filter((n) => n.startsWith('head.')) : names.slice();", 'void freezeEncoder; return names.slice();']],
    caughtBy: 'trainable-parameters',
    message: /frozen encoder trains only the head/,
    alsoCaughtBy: ['train-step-frozen'],
  },
  {
    name: 'trainStep gives the optimizer unclipped gradients',
    file: 'training.ts',
    edits: [['optimizer.apply(clipped.grads, lr);', 'optimizer.apply(grads, lr);']],
    caughtBy: 'train-step-update',
    message: /clip the gradients first/,
  },
  {
    name: 'trainStep does not await clipGradNorm (a promise has no .grads)',
    file: 'training.ts',
    edits: [['const clipped = await clipGradNorm(grads, o.maxGradNorm);', 'const clipped = clipGradNorm(grads, o.maxGradNorm);']],
    caughtBy: 'train-step-update',
    message: /gave optimizer\.apply undefined as the gradients.*await clipGradNorm\(…\)/,
    alsoCaughtBy: ['train-step-frozen', 'finetune-reaches-f1'],
  },
  {
    name: 'trainStep always uses the peak learning rate',
    file: 'training.ts',
    edits: [['const lr = learningRate(o.step, o.schedule);', 'const lr = o.schedule.peakLr;']],
    caughtBy: 'train-step-update',
    message: /this step's rate is learningRate\(2, schedule\)/,
  },
  {
    name: 'trainStep counts steps itself (state kept between calls)',
    file: 'training.ts',
    edits: [
      ['const lr = learningRate(o.step, o.schedule);', 'const lr = learningRate(stepsSoFar++, o.schedule);'],
      ['export async function trainStep', 'let stepsSoFar = 0;\nexport async function trainStep'],
    ],
    caughtBy: 'train-step-update',
    message: /this step's rate is learningRate\(2, schedule\)/,
  },
  {
    name: 'confusionMatrix with rows and columns swapped',
    file: 'metrics.ts',
    edits: [['matrix[actual[i]][predicted[i]] += 1;', 'matrix[predicted[i]][actual[i]] += 1;']],
    caughtBy: 'confusion-matrix',
    message: /rows and columns are swapped/,
  },
  {
    name: 'confusionMatrix keeps one matrix from call to call (state kept between calls)',
    file: 'metrics.ts',
    edits: [
      ['const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));', 'const matrix = (sharedMatrix ??= Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0)));'],
      ['export function confusionMatrix', 'let sharedMatrix: number[][] | undefined;\nexport function confusionMatrix'],
    ],
    caughtBy: 'finetune-deterministic',
    message: /two runs with the same seed differ/,
  },
  {
    name: 'classificationMetrics swaps precision and recall',
    file: 'metrics.ts',
    edits: [['const precision = safeDivide(row[k], colSum[k]);\n    const recall = safeDivide(row[k], rowSum[k]);', 'const precision = safeDivide(row[k], rowSum[k]);\n    const recall = safeDivide(row[k], colSum[k]);']],
    caughtBy: 'metrics-independent',
    message: /precision is .* PREDICTED as this class/,
  },
  {
    name: 'classificationMetrics divides by zero (NaN) for a class never predicted',
    file: 'metrics.ts',
    edits: [['return b === 0 ? 0 : a / b;', 'return a / b;']],
    caughtBy: 'metrics-zero-denominators',
    message: /denominator is 0 is 0 by the lab's rule, not NaN/,
  },
];

let lab5: LabInProcess | undefined;
const lab = () => (lab5 ??= new LabInProcess('05-bert-fine-tuning'));

describeLabChecks('Lab 5 checks: solution, starter and planted mistakes', lab, LAB5_MISTAKES, () => loadBackend('wasm'));

describe('Lab 5 checks: an async clipGradNorm that rejects', function () {
  this.timeout(180_000);
  before(() => loadBackend('wasm'));

  it("is the learner's own error, with its message and line, in clipGradNorm's checks, trainStep's and the runs", async () => {
    const l = lab();
    // A throw after an await: the learner's promise rejects (no synchronous throw to catch).
    const from = 'const norm = Math.sqrt((await sumSquares.data())[0]);';
    const text = l.mutate('training.ts', from, `${from}\n  if (norm >= 0) throw new Error('no norm today');`);
    const line = text.split('\n').findIndex((x) => x.includes('no norm today')) + 1;
    const sandbox = l.sandboxOf({ 'training.ts': text });
    for (const [id, fn] of [['clip-above', 'clipGradNorm'], ['clip-random', 'clipGradNorm'], ['train-step-update', 'trainStep'], ['finetune-reaches-f1', 'trainStep']]) {
      const r = await l.run(sandbox, id);
      assert.equal(r.status, 'error', `${id}: ${r.status} ${r.message}`);
      assert.equal(r.message, `${fn} threw Error: no norm today (training.ts:${line})`, id);
    }
  });
});
