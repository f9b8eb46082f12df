// Lab 1's bonus, chunkedAttention (an online softmax over chunks of keys): the usual slips, each
// planted in the solution, fail the VISIBLE check aimed at it with a message that names the slip —
// a running sum not rescaled when the maximum grows, the chunk's own maximum taken for the running
// one, a running maximum that starts at 0 (wrong only when every score is negative), and the last
// shorter chunk left out when N is not a multiple of the chunk size.
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { itCatchesEach, type Mistake } from '../../support/plantedMistakes';

const LAB = new LabInProcess('01-attention');
const F = 'attention.ts';
const RESCALED_SUM = 'const sum = tf.add(tf.mul(prev.sum, shrink), tf.sum(e, -1, true));';
const RUNNING_MAX = 'const max = tf.maximum(prev.max, tf.max(scores, -1, true));';

export const CHUNKED_MISTAKES: Mistake[] = [
  {
    name: 'chunkedAttention does not rescale the running sum when the maximum changes',
    file: F,
    edits: [[RESCALED_SUM, 'const sum = tf.add(prev.sum, tf.sum(e, -1, true)); void shrink;']],
    caughtBy: 'chunked-matches-reference',
    message: /chunkedAttention\(q \[6, 8\], k \[10, 8\], v \[10, 5\], 4\) .*rescales the running output but not the running sum of exponentials when the maximum changes/,
    alsoCaughtBy: ['chunked-chunk-sizes', 'chunked-random'],
  },
  {
    name: "chunkedAttention measures each chunk against the chunk's own maximum, not the running one",
    file: F,
    edits: [[RUNNING_MAX, 'const max = tf.max(scores, -1, true);']],
    caughtBy: 'chunked-large-scores',
    message: /chunkedAttention\(q \[4, 4\] × 300, .*has (NaN|Infinity|-Infinity) at flat index \d+: .*not the current chunk's own maximum/,
  },
  {
    name: 'chunkedAttention starts the running maximum at 0 (all-negative scores underflow)',
    file: F,
    edits: [['max: tf.fill([nq, 1], -Infinity),', 'max: tf.zeros([nq, 1]),']],
    caughtBy: 'chunked-all-negative',
    message: /with every score at −300 or lower has NaN at flat index 0: .*a running maximum that starts at 0 instead of −Infinity/,
  },
  {
    name: 'chunkedAttention leaves out the last chunk when N is not a multiple of the chunk size',
    file: F,
    edits: [['for (let from = 0; from < nk; from += chunkSize) {', 'for (let from = 0; from + chunkSize <= nk; from += chunkSize) {']],
    caughtBy: 'chunked-matches-reference',
    message: /leaves out the last, shorter chunk \(10 keys are not a multiple of 4\)/,
    alsoCaughtBy: ['chunked-chunk-sizes', 'chunked-random'],
  },
  {
    name: 'chunkedAttention never divides by the running sum',
    file: F,
    edits: [['const result = tf.div(state.out, state.sum) as tf.Tensor2D;', 'const result = tf.mul(state.out, 1) as tf.Tensor2D;']],
    caughtBy: 'chunked-matches-reference',
    message: /without the final division by the running sum of exponentials/,
  },
];

describe("Lab 1's bonus chunkedAttention against planted mistakes", function () {
  this.timeout(180_000);
  before(() => loadBackend('wasm'));
  itCatchesEach(() => LAB, CHUNKED_MISTAKES);
});
