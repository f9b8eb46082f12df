// gatherRows: a gather forward, and a scatter-add backward that the wasm backend can run, equal
// to the gradient of the one-hot product the mini-GPT used (rows that share an index add up).
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { gatherRows } from '../../../sidecar/reference/encoder/embedding';

describe('encoder: gatherRows', () => {
  before(async () => {
    await loadBackend('wasm');
  });

  it('has the one-hot product\'s value and gradient, repeated indices included, on wasm', () => {
    const table = tf.randomNormal([7, 3], 0, 1, 'float32', 4);
    const index = tf.tensor1d([2, 5, 2, 0, 2], 'int32');
    const w = tf.randomNormal([5, 3], 0, 1, 'float32', 5);
    const viaGather = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(tf, t, index), w)))(table);
    const viaOneHot = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.oneHot(index, 7), t), w)))(table);
    const d = tf.max(tf.abs(tf.sub(viaGather, viaOneHot))).dataSync()[0];
    assert.ok(d < 1e-6, `gradients differ by ${d}`);
    const v = tf.max(tf.abs(tf.sub(gatherRows(tf, table, index), tf.gather(table, index)))).dataSync()[0];
    assert.equal(v, 0);
    // Row 2 was picked three times: its gradient is the sum of three rows of w.
    const row2 = tf.sum(tf.gather(w, tf.tensor1d([0, 2, 4], 'int32')), 0).arraySync() as number[];
    (viaGather.arraySync() as number[][])[2].forEach((x, c) => assert.ok(Math.abs(x - row2[c]) < 1e-6));
  });
});
