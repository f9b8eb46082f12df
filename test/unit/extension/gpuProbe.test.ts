// What Set Up GPU Compute says after its WebGPU probe (the probe itself runs in the webgpu suite).
import assert from 'node:assert/strict';
import { describeProbe, SELF_TEST_TOLERANCE, type GpuProbeResult } from '../../../core/compute/gpuProbeResult';

const rtx = { vendor: 'nvidia', architecture: 'ada-lovelace', device: '', description: 'NVIDIA GeForce RTX 4070', software: false };
const llvmpipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', software: true };
const ok = (adapter = rtx, maxAbsDiff = 2e-6): GpuProbeResult => ({ ok: true, adapter, maxAbsDiff, webgpuMs: 1, cpuMs: 2, size: 'x' });

describe('Set Up GPU Compute: the probe result in words', () => {
  it('a working hardware adapter: names it, the agreement, and why the checks stay on their backend', () => {
    const d = describeProbe(ok());
    assert.equal(d.works, true);
    assert.match(d.message, /WebGPU works on NVIDIA GeForce RTX 4070, ada-lovelace, hardware \(your GPU\): a matMul agreed with the cpu backend to 2\.0e-6/);
    assert.match(d.message, /cannot read tensors synchronously/);
  });

  it('a software adapter is called slower than wasm', () => {
    assert.match(describeProbe(ok(llvmpipe)).message, /llvmpipe.*\(a software adapter, slower than wasm\)/);
  });

  it('a matMul off by more than the tolerance (or NaN) does not count as working', () => {
    for (const diff of [SELF_TEST_TOLERANCE * 10, NaN]) {
      const d = describeProbe(ok(rtx, diff));
      assert.equal(d.works, false);
      assert.match(d.message, /computed a wrong matMul: it differs from the cpu backend by/);
    }
  });

  it('a failed probe passes its reason on, with the adapter when one was found', () => {
    assert.deepEqual(describeProbe({ ok: false, reason: 'cancelled' }), { works: false, message: 'WebGPU does not work here: cancelled' });
    assert.match(describeProbe({ ok: false, adapter: rtx, reason: 'boom' }).message, /\(adapter: NVIDIA GeForce RTX 4070.*\): boom/);
  });
});
