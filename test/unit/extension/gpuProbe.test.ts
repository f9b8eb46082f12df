// What Set Up GPU Compute says after its WebGPU probe (the probe itself runs in the webgpu suite).
import assert from 'node:assert/strict';
import { autoGpuFrom, describeProbe, SELF_TEST_TOLERANCE, type GpuProbeResult } from '../../../core/compute/gpuProbeResult';

const rtx = { vendor: 'nvidia', architecture: 'ada-lovelace', device: '', description: 'NVIDIA GeForce RTX 4070', software: false };
const llvmpipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', software: true };
const ok = (adapter = rtx, maxAbsDiff = 2e-6): GpuProbeResult => ({ ok: true, adapter, maxAbsDiff, webgpuMs: 1, cpuMs: 2, size: 'x' });

describe('Set Up GPU Compute: the probe result in words', () => {
  it('a working hardware adapter: names it, the agreement, and why the checks stay on their backend', () => {
    const d = describeProbe(ok());
    assert.equal(d.works, true);
    assert.match(d.message, /WebGPU works on NVIDIA GeForce RTX 4070, ada-lovelace, hardware \(your GPU\): a matMul agreed with the cpu backend to 2\.0e-6/);
    assert.match(d.message, /"auto" runs the checks on it from now on \(learner code then runs without Node's permission model/);
    assert.equal(d.autoUsesIt, true);
  });

  it('a software adapter is called slower than wasm', () => {
    const d = describeProbe(ok(llvmpipe));
    assert.match(d.message, /llvmpipe.*\(a software adapter, slower than wasm\).*"auto" keeps the checks on their backend/);
    assert.equal(d.autoUsesIt, false);
  });

  it('auto takes WebGPU only on a hardware adapter that passed the self-test, and says why not otherwise', () => {
    assert.deepEqual(autoGpuFrom(ok()), { webgpu: true });
    const cases: [GpuProbeResult | undefined, RegExp][] = [
      [undefined, /^not chosen automatically: the webgpu package is not installed \(Set Up GPU Compute installs it\)$/],
      [ok(llvmpipe), /^not chosen automatically: the only WebGPU adapter is a software one \(mesa llvmpipe.*\), slower than wasm/],
      [ok(rtx, SELF_TEST_TOLERANCE * 2), /^not chosen automatically: WebGPU on NVIDIA GeForce RTX 4070.* computed a wrong matMul/],
      [ok(rtx, NaN), /wrong matMul/],
      [{ ok: false, adapter: rtx, reason: 'device lost' }, /^not chosen automatically: WebGPU does not work here \(adapter: NVIDIA.*\): device lost$/],
    ];
    for (const [r, why] of cases) {
      const a = autoGpuFrom(r);
      assert.equal(a.webgpu, false);
      assert.match(a.reason!, why);
    }
    assert.equal(autoGpuFrom(ok(rtx, SELF_TEST_TOLERANCE)).webgpu, true, 'the tolerance itself passes');
  });

  it('a matMul off by more than the tolerance (or NaN) does not count as working', () => {
    for (const diff of [SELF_TEST_TOLERANCE * 10, NaN]) {
      const d = describeProbe(ok(rtx, diff));
      assert.equal(d.works, false);
      assert.match(d.message, /computed a wrong matMul: it differs from the cpu backend by/);
    }
  });

  it('a failed probe passes its reason on, with the adapter when one was found', () => {
    assert.deepEqual(describeProbe({ ok: false, reason: 'cancelled' }), { works: false, autoUsesIt: false, message: 'WebGPU does not work here: cancelled' });
    assert.match(describeProbe({ ok: false, adapter: rtx, reason: 'boom' }).message, /\(adapter: NVIDIA GeForce RTX 4070.*\): boom/);
  });
});
