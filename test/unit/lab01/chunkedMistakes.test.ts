// Lab 1's bonus, chunkedAttention (an online softmax over chunks of keys): the usual slips, each
// planted in the solution, fail the VISIBLE check aimed at it with a message that names the slip —
// a running sum not rescaled when the maximum grows, the chunk's own maximum taken for the running
// one, a running maximum that starts at 0 (wrong only when every score is negative), a masked
// chunk that is entirely −Infinity (e^(−∞ − (−∞)) = NaN), a query with every key masked divided
// by its zero sum, and the last shorter chunk left out when N is not a multiple of the chunk size.
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { itCatchesEach, type Mistake } from '../../support/plantedMistakes';

const LAB = new LabInProcess('01-attention');
const F = 'attention.ts';
const RESCALED_SUM = 'const sum = tf.add(tf.mul(prev.sum, shrink), tf.sum(e, -1, true));';
const RUNNING_MAX = 'const max = tf.maximum(prev.max, tf.max(scores, -1, true));';
const SAFE_REF = 'const ref = tf.where(tf.equal(max, -Infinity), tf.zerosLike(max), max);';
const SAFE_DIVISION = 'const result = tf.tidy(() => tf.div(state.out, tf.where(tf.equal(state.sum, 0), tf.onesLike(state.sum), state.sum))) as tf.Tensor2D;';

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
    message: /with every score at −300 or lower .*a running maximum that starts at 0 instead of −Infinity/,
  },
  {
    name: 'chunkedAttention starts the running maximum at 0 and divides by the sum as it is (NaN)',
    file: F,
    edits: [
      ['max: tf.fill([nq, 1], -Infinity),', 'max: tf.zeros([nq, 1]),'],
      [SAFE_DIVISION, 'const result = tf.div(state.out, state.sum) as tf.Tensor2D;'],
    ],
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
    edits: [[SAFE_DIVISION, 'const result = tf.mul(state.out, 1) as tf.Tensor2D;']],
    caughtBy: 'chunked-matches-reference',
    message: /without the final division by the running sum of exponentials/,
  },
  {
    name: 'chunkedAttention measures a chunk whose keys are all masked (−Infinity) against a running maximum of −Infinity',
    file: F,
    edits: [[SAFE_REF, 'const ref = max;']],
    caughtBy: 'chunked-masked-chunk',
    message: /has NaN in row 1: every key of row 1's first chunk is masked, .*e\^\(−∞ − \(−∞\)\) = NaN/,
  },
  {
    name: 'chunkedAttention divides a query with every key masked by its zero sum',
    file: F,
    edits: [[SAFE_DIVISION, 'const result = tf.div(state.out, state.sum) as tf.Tensor2D;']],
    caughtBy: 'chunked-masked-chunk',
    message: /has NaN in row 3: every key of row 3 is masked, so its running sum is 0 and the final division is 0 \/ 0/,
  },
  {
    name: 'chunkedAttention ignores the mask',
    file: F,
    edits: [['  if (mask) scores = tf.where(', '  if (mask && nq < 0) scores = tf.where(']],
    caughtBy: 'chunked-masked-chunk',
    message: /should equal attention\(q, k, v, mask\)\.output.*that is attention without the mask/,
  },
];

describe("Lab 1's bonus chunkedAttention against planted mistakes", function () {
  this.timeout(180_000);
  before(() => loadBackend('wasm'));
  itCatchesEach(() => LAB, CHUNKED_MISTAKES);
});
