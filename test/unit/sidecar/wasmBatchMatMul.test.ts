// The wasm backend's BatchMatMul, rewritten onto its fast 2-D case (sidecar/backend/wasmBatchMatMul.ts),
// computes what the cpu backend computes for every transpose flag, batch and broadcast, its
// gradients too, leaks no tensor, and is what loadBackend('wasm') installs.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { registerFastWasmBatchMatMul } from '../../../sidecar/backend/wasmBatchMatMul';
import { mulberry32 } from '../../../sidecar/reference/random';

type Case = [number[], number[], boolean, boolean];

const CASES: Case[] = [
  [[3, 4], [4, 5], false, false],
  [[4, 3], [4, 5], true, false],
  [[3, 4], [5, 4], false, true],
  [[4, 3], [5, 4], true, true],
  [[2, 3, 4], [2, 4, 5], false, false],
  [[2, 3, 4], [4, 5], false, false], // a batch against one matrix
  [[3, 4], [2, 4, 5], false, false], // one matrix against a batch
  [[2, 2, 4, 3], [2, 2, 5, 4], true, true],
  [[2, 1, 3, 4], [1, 2, 4, 5], false, false], // broadcast on both sides: the original kernel
  [[5, 1, 4], [5, 4, 1], false, false],
  [[1, 1], [1, 1], false, false],
];

function values(shape: number[], seed: number): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1);
}

async function on<T>(backend: 'wasm' | 'cpu', f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

describe('wasm BatchMatMul on its fast path', function () {
  this.timeout(60_000);
  before(async () => {
    await loadBackend('wasm');
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  it('is installed by loadBackend and only once', () => {
    assert.equal(registerFastWasmBatchMatMul(tf), false, 'a second registration should be refused');
  });

  for (const [sa, sb, ta, tb] of CASES) {
    // tfjs-core 4.22's matMul gradient cannot reduce a broadcast batch on any backend: values only there.
    const withGrads = sa.slice(0, -2).join() === sb.slice(0, -2).join();
    it(`matMul([${sa}], [${sb}], ${ta}, ${tb})${withGrads ? ' and its gradients equal' : ' equals'} the cpu backend's`, async () => {
      const av = values(sa, 1);
      const bv = values(sb, 2);
      const compute = () =>
        tf.tidy(() => {
          const a = tf.tensor(av, sa);
          const b = tf.tensor(bv, sb);
          const y = tf.matMul(a, b, ta, tb);
          const w = tf.tensor(values(y.shape, 3), y.shape);
          if (!withGrads) return { y: y.arraySync(), shape: y.shape, ga: 0, gb: 0 };
          const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, z, ta, tb), w)))([a, b]);
          return { y: y.arraySync(), shape: y.shape, ga: ga.arraySync(), gb: gb.arraySync() };
        });
      const wasm = await on('wasm', compute);
      const before = tf.memory().numTensors;
      await on('wasm', compute);
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
      // The reference: the cpu backend on inputs broadcast to the full batch first (its own kernel,
      // like the original wasm one, makes max(2, 2) products for [2,1,…] · [1,2,…] instead of 4).
      const cpu = await on('cpu', () =>
        tf.tidy(() => {
          const outer = tf.broadcast_util.assertAndGetBroadcastShape(sa.slice(0, -2), sb.slice(0, -2));
          const a = tf.broadcastTo(tf.tensor(values(sa, 1), sa), [...outer, ...sa.slice(-2)]);
          const b = tf.broadcastTo(tf.tensor(values(sb, 2), sb), [...outer, ...sb.slice(-2)]);
          const y = tf.matMul(a, b, ta, tb);
          if (!withGrads) return { y: y.arraySync(), shape: y.shape, ga: 0, gb: 0 };
          return compute();
        }),
      );
      assert.deepEqual(wasm.shape, cpu.shape);
      const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
      for (const k of ['y', 'ga', 'gb'] as const) {
        const d = Math.max(0, ...flat(wasm[k]).map((v, i) => Math.abs(v - flat(cpu[k])[i])));
        assert.ok(d < 1e-5, `${k} differs by ${d}`);
      }
    });
  }

  it('rejects mismatched inner dimensions with tfjs\'s message', async () => {
    await tf.setBackend('wasm');
    assert.throws(() => tf.matMul(tf.ones([4, 3]), tf.ones([2, 4, 5])), /inner shapes \(3\) and \(4\)/);
  });
});
