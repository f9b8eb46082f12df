// Lab 1's checks against the solution (every check passes), the starter (every check is "not
// started") and planted mistakes: each fails the VISIBLE check aimed at it, whose message names
// the mistake. Runs in process like the sidecar's worker, on the wasm backend.
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { describeLabChecks, type Mistake } from '../../support/plantedMistakes';

const LAB = new LabInProcess('01-attention');
const F = 'attention.ts';
const SOFTMAX_MAX = 'let max = -Infinity;\n  for (const x of xs) if (x > max) max = x;';
const SCALE_ONE = '    return dot / Math.sqrt(d);';
const MASKED = 'const masked = tf.add(scores, tf.mul(tf.sub(1, m), -1e9));';

export const LAB1_MISTAKES: Mistake[] = [
  {
    name: 'softmax without subtracting anything',
    file: F,
    edits: [['Math.exp(x - max)', 'Math.exp(x + 0 * max)']],
    caughtBy: 'softmax-large-logits',
    message: /NaN at \[0\]: Math\.exp\(1000\) is Infinity.*subtract the maximum/,
    alsoCaughtBy: ['softmax-all-negative'],
  },
  {
    name: 'softmax shifts by the first score',
    file: F,
    edits: [[SOFTMAX_MAX, 'const max = xs[0];']],
    caughtBy: 'softmax-all-negative',
    message: /softmax\(\[-2000, -1000, -1001, -1003\]\) has (NaN|Infinity) at \[\d\]: .*first score or by the minimum/,
  },
  {
    name: 'softmax shifts by the minimum',
    file: F,
    edits: [[SOFTMAX_MAX, 'let max = Infinity;\n  for (const x of xs) if (x < max) max = x;']],
    caughtBy: 'softmax-all-negative',
    message: /has (NaN|Infinity) at .*Shift by the maximum/,
  },
  {
    name: 'softmax does not normalise',
    file: F,
    edits: [['return exps.map((e) => e / sum);', 'return exps.map((e) => e + 0 * sum);']],
    caughtBy: 'softmax-sums-to-one',
    message: /softmax\(\[2, 1, 0\.1, -3\]\) sums to .*must sum to 1/,
  },
  {
    name: 'attendOne without the √d scaling',
    file: F,
    edits: [[SCALE_ONE, '    return dot;']],
    caughtBy: 'attend-one-seed-example',
    message: /attendOne\(\[1, 0, 1, 0\].*got 11\.19.*without the √d scaling/,
  },
  {
    name: 'attendOne divides by d instead of √d',
    file: F,
    edits: [[SCALE_ONE, '    return dot / d;']],
    caughtBy: 'attend-one-seed-example',
    message: /dividing the scores by d = 4 instead of √d/,
  },
  {
    name: 'attendOne scales by the width of the values',
    file: F,
    edits: [[SCALE_ONE, '    return dot / Math.sqrt(values[0].length);']],
    caughtBy: 'attend-one-matches-reference',
    message: /attendOne\(query \[8\], keys \[5\]\[8\], values \[5\]\[3\]\).*√\(width of the values\)/,
  },
  {
    name: 'attendOne scales by the number of keys',
    file: F,
    edits: [[SCALE_ONE, '    return dot / Math.sqrt(keys.length);']],
    caughtBy: 'attend-one-matches-reference',
    message: /√\(number of keys\) = √5/,
  },
  {
    name: 'attentionLoops gives masked keys a score of 0 (they still take weight)',
    file: F,
    edits: [
      ['      if (!allowed[j]) continue;\n      let dot = 0;', '      if (!allowed[j]) {\n        scores.push(0);\n        continue;\n      }\n      let dot = 0;'],
      ['weights.push(allowed.map((a) => (a ? probs[next++] : 0)));', 'weights.push(probs); void next;'],
    ],
    caughtBy: 'attention-loops-causal-mask',
    message: /attentionLoops\(X, X, X, causal mask.*\.weights\[\d\]\[\d\] is .* should be 0: a masked key takes no part in the softmax/,
  },
  {
    name: 'attentionLoops gives masked keys −Infinity: a fully masked row is NaN',
    file: F,
    edits: [
      ['    if (!allowed.some((a) => a)) {\n      weights.push(K.map(() => 0));\n      continue;\n    }\n', ''],
      ['      if (!allowed[j]) continue;\n      let dot = 0;', '      if (!allowed[j]) {\n        scores.push(-Infinity);\n        continue;\n      }\n      let dot = 0;'],
      ['weights.push(allowed.map((a) => (a ? probs[next++] : 0)));', 'weights.push(probs); void next;'],
    ],
    caughtBy: 'attention-loops-causal-mask',
    message: /weights\[2\] is \[null.*row 2 may see no key.*not NaN/,
  },
  {
    name: 'attentionLoops ignores the mask',
    file: F,
    edits: [['const allowed = K.map((_, j) => (mask ? mask[i][j] : true));', 'const allowed = K.map(() => true); void mask;']],
    caughtBy: 'attention-loops-causal-mask',
    message: /should be 0: a masked key takes no part in the softmax/,
  },
  {
    name: 'causalMask keeps the upper triangle',
    file: F,
    edits: [['bandPart(tf.ones([n, n]), -1, 0)', 'bandPart(tf.ones([n, n]), 0, -1)']],
    caughtBy: 'causal-mask',
    message: /causalMask\(5\) differs .* that is the UPPER triangle/,
  },
  {
    name: 'causalMask without the diagonal',
    file: F,
    edits: [['return tf.linalg.bandPart(tf.ones([n, n]), -1, 0) as tf.Tensor2D;', 'return tf.sub(tf.linalg.bandPart(tf.ones([n, n]), -1, 0), tf.eye(n)) as tf.Tensor2D;']],
    caughtBy: 'causal-mask',
    message: /the diagonal is missing/,
  },
  {
    name: 'paddingMask counts position = length as real (≤ instead of <)',
    file: F,
    edits: [['tf.less(positions, lens)', 'tf.lessEqual(positions, lens)']],
    caughtBy: 'padding-mask',
    message: /paddingMask\(\[3, 5, 1\], 5\) differs .*not ≤ L/,
  },
  {
    name: 'paddingMask without the middle axis',
    file: F,
    edits: [
      ['tf.reshape(tf.range(0, maxLen), [1, 1, maxLen])', 'tf.reshape(tf.range(0, maxLen), [1, maxLen])'],
      ['tf.tensor3d(lengths, [lengths.length, 1, 1])', 'tf.tensor2d(lengths, [lengths.length, 1])'],
    ],
    caughtBy: 'padding-mask',
    message: /paddingMask\(\[3, 5, 1\], 5\) has the wrong shape: expected \[3, 1, 5\], got \[3, 5\]/,
  },
  {
    name: 'attention without the √d scaling',
    file: F,
    edits: [['tf.div(tf.matMul(q, k, false, true), Math.sqrt(d))', 'tf.div(tf.matMul(q, k, false, true), 1 + 0 * d)']],
    caughtBy: 'attention-matches-reference',
    message: /attention\(q, k, v \[2, 5, 8\], a batch of 2\)\.weights differs .*without dividing by √d/,
  },
  {
    name: 'attention scales by √(number of tokens)',
    file: F,
    edits: [['const d = q.shape[q.rank - 1];', 'const d = q.shape[q.rank - 2];']],
    caughtBy: 'attention-matches-reference',
    message: /divides by √5, the number of tokens/,
  },
  {
    name: 'attention blocks keys with −Infinity: a fully masked row is NaN',
    file: F,
    edits: [[MASKED, 'const masked = tf.where(tf.equal(tf.broadcastTo(m, scores.shape), 0), tf.fill(scores.shape, -Infinity), scores);']],
    caughtBy: 'attention-fully-masked-row',
    message: /weights\[1\] is .*−Infinity on every key of row 1 .*NaN/,
  },
  {
    name: 'attention does not multiply by the mask: a fully masked row is uniform',
    file: F,
    edits: [['weights = tf.mul(tf.softmax(masked), m);', 'weights = tf.softmax(masked);']],
    caughtBy: 'attention-fully-masked-row',
    message: /weights\[1\] is uniform .*multiply the weights by the mask/,
  },
  {
    name: 'attention computes e^score by hand without subtracting the maximum',
    file: F,
    edits: [['      weights = tf.softmax(scores);', '      weights = tf.div(tf.exp(scores), tf.sum(tf.exp(scores), -1, true));']],
    caughtBy: 'attention-large-scores',
    message: /attention\(q × 1000, k, v \[4, 4\]\)\.weights contain NaN.*overflows in float32/,
  },
  {
    name: 'attention normalises over the queries instead of the keys',
    file: F,
    edits: [['      weights = tf.softmax(scores);', '      weights = tf.div(tf.exp(scores), tf.sum(tf.exp(scores), -2, true));']],
    caughtBy: 'attention-rows-sum-to-one',
    message: /row \[\d\] of attention\(q, k, v \[7, 4\]\)\.weights sums to .*must sum to 1/,
  },
  {
    name: 'splitHeads reshapes straight to [heads, n, dHead]',
    file: F,
    edits: [['tf.transpose(tf.reshape(x, [n, heads, dModel / heads]), [1, 0, 2])', 'tf.reshape(x, [heads, n, dModel / heads])']],
    caughtBy: 'split-heads',
    message: /splitHeads\(x \[3, 8\], 2\) differs .*reshapes straight to \[heads, n, dHead\]/,
  },
  {
    name: 'combineHeads reshapes without the transpose',
    file: F,
    edits: [['tf.reshape(tf.transpose(x, [1, 0, 2]), [n, heads * dHead])', 'tf.reshape(x, [n, heads * dHead])']],
    caughtBy: 'combine-heads',
    message: /combineHeads\(x \[4, 3, 2\]\) differs .*bring the tokens axis to the front first/,
  },
  {
    name: 'multiHeadAttention drops the mask',
    file: F,
    edits: [['const { output, weights } = attention(q, k, v, mask);', 'const { output, weights } = attention(q, k, v); void mask;']],
    caughtBy: 'mha-causal-mask',
    message: /multiHeadAttention\(x \[4, 8\], w, 2, causalMask\(4\)\)\.weights\[0\]\[0\]\[1\] is .*every head must respect the mask/,
    alsoCaughtBy: ['mha-causal'],
  },
  {
    name: 'multiHeadAttention without the output projection',
    file: F,
    edits: [['output: tf.matMul(combineHeads(output as tf.Tensor3D), w.wo) as tf.Tensor2D,', 'output: combineHeads(output as tf.Tensor3D),']],
    caughtBy: 'mha-matches-reference',
    message: /multiHeadAttention\(x \[6, 16\], w, 4\)\.output differs .*without the output projection Wo/,
  },
];

describeLabChecks('Lab 1 checks against the solution, the starter and planted mistakes', () => LAB, LAB1_MISTAKES, () => loadBackend('wasm'));
