// Every kernel the cpu backend registers and the wasm backend does not (read from TensorFlow.js's
// kernel registry when the wasm backend loads) runs on wasm through the cpu kernel, and gives
// the cpu backend's answer. A kernel without a case here fails the test, so a TensorFlow.js
// upgrade that adds one cannot slip through. complex64 values also go through wasm kernels
// that exist (mul, add, concat, reshape, slice, transpose), as RoPE written as a complex
// rotation needs.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { installWasmFallback } from '../../../sidecar/backend/wasmFallback';

type Tf = typeof tf;
type Outcome = unknown;

/** One op per missing kernel; each returns plain numbers/strings (or what a canvas received). */
const OP_CASES: Record<string, (t: Tf) => Outcome> = {
  Complex: (t) => t.complex([1, -2.5, 3], [0.5, 4, -1]).dataSync(),
  Real: (t) => t.real(t.complex([[1, 2], [3, 4]], [[5, 6], [7, 8]])).arraySync(),
  Imag: (t) => t.imag(t.complex([[1, 2], [3, 4]], [[5, 6], [7, 8]])).arraySync(),
  ComplexAbs: (t) => t.abs(t.complex([3, -1, 0], [4, 1, -2])).arraySync(),
  FFT: (t) => t.spectral.fft(t.complex([1, 2, 0, -1], [0, 1, 1, 0])).dataSync(),
  IFFT: (t) => t.spectral.ifft(t.complex([2, 0, 1, 1], [1, -1, 0, 2])).dataSync(),
  Einsum: (t) => t.einsum('bij,bjk->bik', t.tensor3d([[[1, 2], [3, 4]]]), t.tensor3d([[[0.5, -1], [2, 1]]])).arraySync(),
  UnsortedSegmentSum: (t) => t.unsortedSegmentSum(t.tensor1d([1, 2, 3, 4]), t.tensor1d([1, 0, 1, 2], 'int32'), 3).arraySync(),
  Conv2DBackpropFilter: (t) => {
    const x = t.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    return t.grad((f) => t.sum(t.conv2d(x, f as tf.Tensor4D, 1, 'same')))(t.ones([2, 2, 1, 1])).arraySync();
  },
  DepthwiseConv2dNativeBackpropFilter: (t) => {
    const x = t.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    return t.grad((f) => t.sum(t.depthwiseConv2d(x, f as tf.Tensor4D, 1, 'same')))(t.ones([2, 2, 1, 1])).arraySync();
  },
  DepthwiseConv2dNativeBackpropInput: (t) => {
    const f = t.tensor4d([1, -1, 2, 0.5], [2, 2, 1, 1]);
    return t.grad((x) => t.sum(t.depthwiseConv2d(x as tf.Tensor4D, f, 1, 'same')))(t.ones([1, 3, 3, 1])).arraySync();
  },
  RaggedGather: (t) => {
    const r = t.raggedGather([t.tensor1d([0, 2, 3, 3], 'int32')], t.tensor1d([10, 20, 30]), t.tensor1d([2, 0], 'int32'), 1);
    return [r.outputNestedSplits.map((s) => s.arraySync()), r.outputDenseValues.arraySync()];
  },
  RaggedRange: (t) => {
    const r = t.raggedRange(t.tensor1d([0, 5], 'int32'), t.tensor1d([3, 8], 'int32'), t.tensor1d([1, 2], 'int32'));
    return [r.rtNestedSplits.arraySync(), r.rtDenseValues.arraySync()];
  },
  RaggedTensorToTensor: (t) =>
    t
      .raggedTensorToTensor(t.tensor1d([2, 3], 'int32'), t.tensor1d([1, 2, 3]), t.scalar(0), [t.scalar(2, 'int32'), t.tensor1d([0, 0, 1], 'int32')], [
        'FIRST_DIM_SIZE',
        'VALUE_ROWIDS',
      ])
      .arraySync(),
  StaticRegexReplace: (t) => t.string.staticRegexReplace(t.tensor1d(['a cat', 'a dog']), 'a ', 'the ').arraySync(),
  Draw: (t) => {
    let received: number[] = [];
    const g = globalThis as { ImageData?: unknown };
    const had = g.ImageData;
    // Node has no ImageData; the kernel only passes its bytes to the canvas.
    g.ImageData = class {
      constructor(readonly data: Uint8ClampedArray) {}
    };
    try {
      const canvas = { getContext: () => ({ putImageData: (img: { data: Uint8ClampedArray }) => (received = Array.from(img.data)) }) };
      t.browser.draw(t.tensor3d([[[0.5], [1]]]), canvas as unknown as HTMLCanvasElement);
    } finally {
      g.ImageData = had;
    }
    return received;
  },
};

/** complex64 through kernels wasm does have: they hand complex inputs to the cpu kernel. */
const COMPLEX_CASES: Record<string, (t: Tf) => Outcome> = {
  'mul (a complex rotation)': (t) => t.mul(t.complex([1, 2], [3, 4]), t.complex([0.6, 0], [0.8, 1])).dataSync(),
  'add, sub': (t) => t.sub(t.add(t.complex([1, 2], [3, 4]), t.complex([1, 1], [1, 1])), t.complex([0.5, 0], [0, 0.5])).dataSync(),
  'concat, reshape': (t) => t.reshape(t.concat([t.complex([1], [2]), t.complex([3], [4])]), [2, 1]).dataSync(),
  transpose: (t) => t.transpose(t.complex([[1, 2], [3, 4]], [[5, 6], [7, 8]])).dataSync(),
  'cast to complex64': (t) => t.cast(t.tensor1d([1, -2]), 'complex64').dataSync(),
};

function plain(v: Outcome): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function assertClose(got: unknown, want: unknown, where: string): void {
  if (typeof want === 'number') {
    assert.equal(typeof got, 'number', where);
    assert.ok(Math.abs((got as number) - want) <= 1e-5 + 1e-5 * Math.abs(want), `${where}: wasm ${got}, cpu ${want}`);
  } else if (Array.isArray(want)) {
    assert.ok(Array.isArray(got) && got.length === want.length, `${where}: wasm ${JSON.stringify(got)}, cpu ${JSON.stringify(want)}`);
    want.forEach((w, i) => assertClose((got as unknown[])[i], w, `${where}[${i}]`));
  } else {
    assert.deepEqual(got, want, where);
  }
}

async function on(backend: 'cpu' | 'wasm', op: (t: Tf) => Outcome): Promise<unknown> {
  assert.ok(await tf.setBackend(backend));
  return tf.tidy(() => plain(op(tf)) as never);
}

describe('wasm backend: every op the cpu backend runs', function () {
  this.timeout(60_000);
  let missing: string[] = [];

  before(async () => {
    await loadBackend('wasm');
    missing = installWasmFallback(tf).missing;
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  it('enumerates the kernels wasm lacks from the kernel registry, and now has every cpu kernel', () => {
    assert.ok(missing.includes('Complex') && missing.includes('Einsum'), missing.join(', '));
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    assert.deepEqual(tf.getKernelsForBackend('cpu').map((k) => k.kernelName).filter((k) => !wasm.has(k)), []);
  });

  it('has an op to test for every kernel wasm lacked', () => {
    assert.deepEqual(missing.filter((k) => !OP_CASES[k]), [], 'add a case to OP_CASES');
  });

  for (const [kernel, op] of Object.entries(OP_CASES)) {
    it(`${kernel}: wasm gives the cpu backend's answer`, async () => {
      const cpu = await on('cpu', op);
      const cpuData = tf.findBackend('cpu')!.numDataIds();
      const wasm = await on('wasm', op);
      assertClose(wasm, cpu, kernel);
      assert.equal(tf.findBackend('cpu')!.numDataIds(), cpuData, 'the cpu copies made for wasm are released');
    });
  }

  for (const [what, op] of Object.entries(COMPLEX_CASES)) {
    it(`complex64 through ${what}: the cpu backend's answer`, async () => {
      assertClose(await on('wasm', op), await on('cpu', op), what);
    });
  }

  it('an error from a borrowed cpu kernel names the kernel', async () => {
    await tf.setBackend('wasm');
    assert.throws(
      () => tf.einsum('ij,jk->ikz', tf.ones([2, 2]), tf.ones([2, 2])),
      (err: Error) => err.message === 'Einsum (run by the cpu kernel): Output subscripts contain the label z not present in the input subscripts.',
    );
  });

  it('a complex tensor reads back as interleaved pairs and keeps its dtype', async () => {
    await tf.setBackend('wasm');
    const c = tf.complex([1, 2], [3, 4]);
    assert.equal(c.dtype, 'complex64');
    assert.deepEqual(Array.from(c.dataSync()), [1, 3, 2, 4]);
    assert.deepEqual(Array.from(await c.data()), [1, 3, 2, 4]);
    c.dispose();
  });
});
