// Lab 5's visible checks against planted mistakes, through the real sidecar: each mistake is the
// solution with one line changed the way a learner gets it wrong, and at least one VISIBLE
// check must fail with a message that names the mistake. No mistake may be caught only by a
// hidden check (hidden checks only vary the inputs of a visible one).
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { Lab } from '../../../core/labs/manifest';
import { testSidecar } from '../../support/sidecar';
import { lab5, mutate, runOn, type LabFile } from './support';

interface Mistake {
  name: string;
  file: LabFile;
  from: string;
  to: string;
  /** Visible checks that must fail (status fail or error), and what the first one's message must say. */
  caughtBy: string[];
  message: RegExp;
}

const MISTAKES: Mistake[] = [
  {
    name: 'makeBatch forgets [CLS]',
    file: 'batching.ts',
    from: '[special.cls, ...tokenize(text).slice(0, maxLen - 2), special.sep]',
    to: '[...tokenize(text).slice(0, maxLen - 2), special.sep]',
    caughtBy: ['batch-layout', 'batch-pads-to-longest'],
    message: /starts with \[CLS\]/,
  },
  {
    name: 'makeBatch truncates after adding [CLS] and [SEP] (the [SEP] of a long message is cut off)',
    file: 'batching.ts',
    from: '[special.cls, ...tokenize(text).slice(0, maxLen - 2), special.sep]',
    to: '[special.cls, ...tokenize(text), special.sep].slice(0, maxLen)',
    caughtBy: ['batch-layout'],
    message: /ends its real tokens with \[SEP\]/,
  },
  {
    name: 'makeBatch keeps maxLen − 1 tokens (rows one longer than maxLen)',
    file: 'batching.ts',
    from: 'tokenize(text).slice(0, maxLen - 2)',
    to: 'tokenize(text).slice(0, maxLen - 1)',
    caughtBy: ['batch-layout'],
    message: /first maxLen − 2 tokens/,
  },
  {
    name: 'makeBatch pads every row to maxLen',
    file: 'batching.ts',
    from: 'const width = Math.max(0, ...rows.map((r) => r.length));',
    to: 'const width = maxLen;',
    caughtBy: ['batch-pads-to-longest', 'batch-layout'],
    message: /not to maxLen/,
  },
  {
    name: 'makeBatch marks the padding as real in the mask',
    file: 'batching.ts',
    from: 'mask.push([...new Array<number>(row.length).fill(1), ...new Array<number>(pad).fill(0)]);',
    to: 'mask.push(new Array<number>(width).fill(1));',
    caughtBy: ['batch-layout', 'batch-mask-semantics'],
    message: /0 on padding/,
  },
  {
    name: 'makeBatch pads with id 0 instead of [PAD]',
    file: 'batching.ts',
    from: 'new Array<number>(pad).fill(special.pad)',
    to: 'new Array<number>(pad).fill(0)',
    caughtBy: ['batch-layout', 'batch-pads-to-longest'],
    message: /row \d is \[.*0.*\] but should be/,
  },
  {
    name: 'clsPool takes the last position',
    file: 'classifier.ts',
    from: 'tf.slice(hidden, [0, 0, 0], [B, 1, C])',
    to: 'tf.slice(hidden, [0, hidden.shape[1] - 1, 0], [B, 1, C])',
    caughtBy: ['cls-pool'],
    message: /LAST position/,
  },
  {
    name: 'clsPool rebuilt from arraySync() numbers (no gradient reaches the encoder)',
    file: 'classifier.ts',
    from: 'return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, C]), [B, C]);',
    to: 'void C; void B; return tf.tensor2d((hidden.arraySync() as number[][][]).map((r) => r[0]));',
    caughtBy: ['cls-pool'],
    message: /no gradient flows through clsPool/,
  },
  {
    name: 'meanPool averages over every position, padding included',
    file: 'classifier.ts',
    from: 'return tf.div(summed, counts) as tf.Tensor2D;',
    to: 'void summed; void counts; return tf.mean(hidden, 1) as tf.Tensor2D;',
    caughtBy: ['mean-pool-real-tokens', 'mean-pool-padding-ignored'],
    message: /averaged over all 6 positions, padding included/,
  },
  {
    name: 'meanPool divides by T instead of the number of real tokens',
    file: 'classifier.ts',
    from: 'const counts = tf.sum(m, 1); // [B, 1]',
    to: 'const counts = tf.fill([hidden.shape[0], 1], hidden.shape[1]);',
    caughtBy: ['mean-pool-real-tokens', 'mean-pool-padding-ignored'],
    message: /divided by T/,
  },
  {
    name: 'classifierLogits without the bias',
    file: 'classifier.ts',
    from: 'return tf.add(tf.matMul(pooled, w), b) as tf.Tensor2D;',
    to: 'void b; return tf.matMul(pooled, w) as tf.Tensor2D;',
    caughtBy: ['head-logits'],
    message: /leaves out the bias/,
  },
  {
    name: 'crossEntropy sums over the batch',
    file: 'classifier.ts',
    from: 'return tf.neg(tf.mean(picked)) as tf.Scalar;',
    to: 'return tf.neg(tf.sum(picked)) as tf.Scalar;',
    caughtBy: ['cross-entropy-value', 'cross-entropy-gradient'],
    message: /MEAN over the 4 examples/,
  },
  {
    name: 'crossEntropy without the minus sign',
    file: 'classifier.ts',
    from: 'return tf.neg(tf.mean(picked)) as tf.Scalar;',
    to: 'return tf.mean(picked) as tf.Scalar;',
    caughtBy: ['cross-entropy-value'],
    message: /sign is flipped/,
  },
  {
    name: 'crossEntropy as log of a softmax written with exp (overflows at logit 1000)',
    file: 'classifier.ts',
    from: 'const logProbs = tf.logSoftmax(logits);',
    to: 'const logProbs = tf.log(tf.div(tf.exp(logits), tf.sum(tf.exp(logits), 1, true)));',
    caughtBy: ['cross-entropy-stable'],
    message: /exp\(1000\) overflows/,
  },
  {
    name: 'learningRate warms up with (step + 1) / warmup',
    file: 'training.ts',
    from: 'return (o.peakLr * step) / o.warmupSteps;',
    to: 'return (o.peakLr * (step + 1)) / o.warmupSteps;',
    caughtBy: ['lr-warmup'],
    message: /warm-up starts at 0/,
  },
  {
    name: 'learningRate goes negative after the last step',
    file: 'training.ts',
    from: '  if (step >= o.totalSteps) return 0;\n  if (step < o.warmupSteps)',
    to: '  if (step < o.warmupSteps)',
    caughtBy: ['lr-decay'],
    message: /after the last step the rate is 0/,
  },
  {
    name: 'learningRate decays over totalSteps, forgetting the warm-up',
    file: 'training.ts',
    from: 'return (o.peakLr * (o.totalSteps - step)) / (o.totalSteps - o.warmupSteps);',
    to: 'return (o.peakLr * (o.totalSteps - step)) / o.totalSteps;',
    caughtBy: ['lr-warmup', 'lr-decay'],
    message: /end of warm-up .* is exactly the peak/,
  },
  {
    name: 'learningRate decays on a cosine',
    file: 'training.ts',
    from: 'return (o.peakLr * (o.totalSteps - step)) / (o.totalSteps - o.warmupSteps);',
    to: 'return o.peakLr * 0.5 * (1 + Math.cos((Math.PI * (step - o.warmupSteps)) / (o.totalSteps - o.warmupSteps)));',
    caughtBy: ['lr-decay'],
    message: /linear, not cosine/,
  },
  {
    name: 'learningRate divides 0 by 0 when there is no warm-up',
    file: 'training.ts',
    from: 'if (step < o.warmupSteps) return',
    to: 'if (step <= o.warmupSteps) return',
    caughtBy: ['lr-decay'],
    message: /with no warm-up the first step runs at the peak/,
  },
  {
    name: 'clipGradNorm clips each tensor on its own',
    file: 'training.ts',
    from: 'for (const name of names) clipped[name] = tf.mul(grads[name], scale);',
    to: 'void scale; for (const name of names) clipped[name] = tf.mul(grads[name], maxNorm / Math.max(maxNorm, tf.norm(grads[name]).dataSync()[0]));',
    caughtBy: ['clip-above'],
    message: /clipped each tensor on its own/,
  },
  {
    name: 'clipGradNorm scales small gradients up to maxNorm',
    file: 'training.ts',
    from: '  if (norm <= maxNorm) return { grads, norm };\n',
    to: '',
    caughtBy: ['clip-below'],
    message: /never scales a small gradient up/,
  },
  {
    name: 'clipGradNorm returns the norm after clipping',
    file: 'training.ts',
    from: 'return { grads: clipped, norm };',
    to: 'return { grads: clipped, norm: maxNorm };',
    caughtBy: ['clip-above'],
    message: /norm BEFORE clipping/,
  },
  {
    name: 'clipGradNorm adds the per-tensor norms',
    file: 'training.ts',
    from: 'for (const name of names) sumSquares += tf.sum(tf.square(grads[name])).dataSync()[0];\n  const norm = Math.sqrt(sumSquares);',
    to: 'for (const name of names) sumSquares += Math.sqrt(tf.sum(tf.square(grads[name])).dataSync()[0]);\n  const norm = sumSquares;',
    caughtBy: ['clip-above'],
    message: /added the per-tensor norms/,
  },
  {
    name: 'trainableParameters trains the encoder even when it is frozen',
    file: 'training.ts',
    from: "return freezeEncoder ? names.filter((n) => n.startsWith('head.')) : names.slice();",
    to: 'void freezeEncoder; return names.slice();',
    caughtBy: ['trainable-parameters', 'train-step-frozen'],
    message: /frozen encoder trains only the head/,
  },
  {
    name: 'trainStep gives the optimizer unclipped gradients',
    file: 'training.ts',
    from: 'optimizer.apply(clipped.grads, lr);',
    to: 'optimizer.apply(grads, lr);',
    caughtBy: ['train-step-update'],
    message: /clip the gradients first/,
  },
  {
    name: 'trainStep always uses the peak learning rate',
    file: 'training.ts',
    from: 'const lr = learningRate(o.step, o.schedule);',
    to: 'const lr = o.schedule.peakLr;',
    caughtBy: ['train-step-update'],
    message: /this step's rate is learningRate\(2, schedule\)/,
  },
  {
    name: 'trainStep counts steps itself (state kept between calls)',
    file: 'training.ts',
    from: 'const lr = learningRate(o.step, o.schedule);',
    to: 'const lr = learningRate(stepsSoFar++, o.schedule);',
    caughtBy: ['train-step-update'],
    message: /this step's rate is learningRate\(2, schedule\)/,
  },
  {
    name: 'confusionMatrix with rows and columns swapped',
    file: 'metrics.ts',
    from: 'matrix[actual[i]][predicted[i]] += 1;',
    to: 'matrix[predicted[i]][actual[i]] += 1;',
    caughtBy: ['confusion-matrix'],
    message: /rows and columns are swapped/,
  },
  {
    name: 'confusionMatrix keeps one matrix from call to call (state kept between calls)',
    file: 'metrics.ts',
    from: 'const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));',
    to: 'const matrix = (sharedMatrix ??= Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0)));',
    caughtBy: ['finetune-deterministic'],
    message: /two runs with the same seed differ/,
  },
  {
    name: 'classificationMetrics swaps precision and recall',
    file: 'metrics.ts',
    from: 'const precision = safeDivide(row[k], colSum[k]);\n    const recall = safeDivide(row[k], rowSum[k]);',
    to: 'const precision = safeDivide(row[k], rowSum[k]);\n    const recall = safeDivide(row[k], colSum[k]);',
    caughtBy: ['metrics-independent'],
    message: /precision is .* PREDICTED as this class/,
  },
  {
    name: 'classificationMetrics divides by zero (NaN) for a class never predicted',
    file: 'metrics.ts',
    from: 'return b === 0 ? 0 : a / b;',
    to: 'return a / b;',
    caughtBy: ['metrics-zero-denominators'],
    message: /denominator is 0 is 0 by the lab's rule, not NaN/,
  },
];

describe('Lab 5 checks against planted mistakes (real sidecar)', function () {
  this.timeout(600_000);
  let client: SidecarClient;
  let lab: Lab;
  let visible: string[];

  before(() => {
    client = testSidecar();
    lab = lab5();
    visible = lab.manifest.checks.filter((c) => !c.hidden).map((c) => c.id);
  });
  after(async () => client?.dispose());

  it(`plants at least 15 mistakes (${MISTAKES.length})`, () => {
    assert.ok(MISTAKES.length >= 15);
    for (const m of MISTAKES) for (const id of m.caughtBy) assert.ok(visible.includes(id), `${m.name}: ${id} is not a visible check`);
  });

  for (const m of MISTAKES) {
    it(`catches: ${m.name}`, async () => {
      let text = mutate(m.file, m.from, m.to);
      // Module-level state some mistakes need.
      if (m.to.includes('stepsSoFar')) text = text.replace('export function trainStep', 'let stepsSoFar = 0;\nexport function trainStep');
      if (m.to.includes('sharedMatrix')) text = text.replace('export function confusionMatrix', 'let sharedMatrix: number[][] | undefined;\nexport function confusionMatrix');
      const results = await runOn(client, lab, { [m.file]: text }, visible);
      for (const id of m.caughtBy) {
        const r = results.get(id)!;
        assert.ok(r.status === 'fail' || r.status === 'error', `${m.name}: ${id} should fail but is ${r.status}`);
      }
      const first = results.get(m.caughtBy[0])!;
      assert.match(first.message, m.message, `${m.name}: ${m.caughtBy[0]} says "${first.message}"`);
    });
  }
});
