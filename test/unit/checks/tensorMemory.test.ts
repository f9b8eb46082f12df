// peakTensorBytes: what the chunked-attention check and the profiler compare. Its run may be
// async (a check reads the result with `await` inside it, as the webgpu backend requires).
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { Tf } from '../../../core/checks/checkApi';
import { peakTensorBytes } from '../../../core/checks/tensorMemory';
import { loadBackend } from '../../../sidecar/backend/loadBackend';

const T = tf as unknown as Tf;
const profiling = () => (tf.engine().state as unknown as { profiling: boolean }).profiling;

describe('check helpers: peakTensorBytes', () => {
  before(() => loadBackend('wasm'));

  it('counts what a run holds at once above its inputs, and disposes what it returned', async () => {
    const input = tf.ones([64, 64]); // 16 KB, not counted
    const tensorsBefore = tf.memory().numTensors;
    const peak = await peakTensorBytes(T, () => {
      const big = tf.add(input, 1); // 16 KB
      const out = tf.sum(big);
      big.dispose();
      return out;
    });
    assert.ok(peak >= 64 * 64 * 4 && peak < 3 * 64 * 64 * 4, `peak ${peak}`);
    assert.equal(tf.memory().numTensors, tensorsBefore, 'the result is disposed');
    input.dispose();
  });

  it('waits for an async run, which may read its result with await inside the measurement', async () => {
    const tensorsBefore = tf.memory().numTensors;
    let read: Float32Array | Int32Array | Uint8Array | undefined;
    const peak = await peakTensorBytes(T, async () => {
      const out = tf.fill([128, 128], 2); // 64 KB
      read = (await out.data()) as Float32Array;
      return out;
    });
    assert.equal(read?.[0], 2);
    assert.ok(peak >= 128 * 128 * 4, `peak ${peak}`);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });

  it('rethrows what a run threw or rejected with, and leaves the engine not profiling', async () => {
    await assert.rejects(
      peakTensorBytes(T, () => {
        throw new RangeError('sync failure');
      }),
      /sync failure/,
    );
    assert.equal(profiling(), false);
    await assert.rejects(
      peakTensorBytes(T, async () => {
        await Promise.resolve();
        throw new RangeError('async failure');
      }),
      /async failure/,
    );
    assert.equal(profiling(), false);
  });
});
