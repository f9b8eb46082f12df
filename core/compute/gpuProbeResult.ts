// What Set Up GPU Compute's probe process (sidecar/gpuProbe.ts) reports, and what the setup
// does with it. Pure, so the decision is unit-tested without a GPU.
import type { GpuAdapter } from '../protocol/sidecar';
import { adapterName } from './gpuAdapter';

export type GpuProbeResult =
  | { ok: true; adapter: GpuAdapter; maxAbsDiff: number; webgpuMs: number; cpuMs: number; size: string }
  | { ok: false; adapter?: GpuAdapter; reason: string };

/** float32 sums over 129 products of values in [-1, 1]: a few ulps of ~10 each. */
export const SELF_TEST_TOLERANCE = 1e-3;

export type GpuDecision = { switchTo: 'webgpu'; message: string } | { switchTo?: undefined; message: string };

export function decideAfterProbe(r: GpuProbeResult): GpuDecision {
  if (!r.ok) {
    const seen = r.adapter ? ` (adapter: ${adapterName(r.adapter)})` : '';
    return { message: `WebGPU does not work here${seen}: ${r.reason}` };
  }
  const name = adapterName(r.adapter);
  if (!(r.maxAbsDiff <= SELF_TEST_TOLERANCE)) {
    return { message: `WebGPU on ${name} computed a wrong matMul: it differs from the cpu backend by ${r.maxAbsDiff.toPrecision(3)} (tolerance ${SELF_TEST_TOLERANCE})` };
  }
  if (r.adapter.software) {
    return {
      message: `WebGPU works, but only on a software adapter (${name}), which is slower than wasm; install your GPU's Vulkan driver, or choose the "webgpu" backend to use it anyway`,
    };
  }
  return { switchTo: 'webgpu', message: `WebGPU works on ${name}: a matMul agreed with the cpu backend to ${r.maxAbsDiff.toExponential(1)}` };
}
