// inTensorScope: tf.tidy for an async body (checks, views and tests read tensors with await).
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { Tf } from '../../../core/checks/checkApi';
import { inTensorScope } from '../../../core/checks/tensorScope';
import { loadBackend } from '../../../sidecar/backend/loadBackend';

const T = tf as unknown as Tf;

describe('check helpers: inTensorScope', () => {
  before(() => loadBackend('wasm'));

  it('disposes what the body made across its awaits, keeps what it kept, and returns its value', async () => {
    const before = tf.memory().numTensors;
    let kept: tf.Tensor | undefined;
    const value = await inTensorScope(T, async () => {
      const a = tf.ones([3]);
      const sum = (await tf.sum(a).data())[0];
      tf.mul(a, 2);
      kept = tf.keep(tf.add(a, 1));
      return sum;
    });
    assert.equal(value, 3);
    assert.equal(tf.memory().numTensors, before + 1, 'only the kept tensor is left');
    assert.deepEqual(await kept!.array(), [2, 2, 2]);
    kept!.dispose();
  });

  it('disposes them when the body throws, and the throw passes through', async () => {
    const before = tf.memory().numTensors;
    await assert.rejects(
      inTensorScope(T, async () => {
        tf.ones([4]);
        await null;
        throw new Error('the body broke');
      }),
      /the body broke/,
    );
    assert.equal(tf.memory().numTensors, before);
  });
});
