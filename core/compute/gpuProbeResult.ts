// What Set Up GPU Compute's probe process (sidecar/gpuProbe.ts) reports, and what the setup
// does with it. Pure, so the decision is unit-tested without a GPU.
import type { GpuAdapter } from '../protocol/sidecar';
import { adapterName } from './gpuAdapter';

export type GpuProbeResult =
  | { ok: true; adapter: GpuAdapter; maxAbsDiff: number; webgpuMs: number; cpuMs: number; size: string }
  | { ok: false; adapter?: GpuAdapter; reason: string };

/** float32 sums over 129 products of values in [-1, 1]: a few ulps of ~10 each. */
export const SELF_TEST_TOLERANCE = 1e-3;

/**
 * What Set Up GPU Compute tells the learner. It never switches the checks to WebGPU: in Node,
 * tfjs-backend-webgpu 4.22.0 cannot read tensors synchronously (dataSync/arraySync go through
 * OffscreenCanvas), and learner code of Labs 3 and 5 does (functions that return numbers read
 * from tensors); the checks themselves read with `await`. The adapter and the self-test
 * still say whether the route would work once that is solved.
 */
export function describeProbe(r: GpuProbeResult): { works: boolean; message: string } {
  if (!r.ok) {
    const seen = r.adapter ? ` (adapter: ${adapterName(r.adapter)})` : '';
    return { works: false, message: `WebGPU does not work here${seen}: ${r.reason}` };
  }
  const name = adapterName(r.adapter);
  if (!(r.maxAbsDiff <= SELF_TEST_TOLERANCE)) {
    return { works: false, message: `WebGPU on ${name} computed a wrong matMul: it differs from the cpu backend by ${r.maxAbsDiff.toPrecision(3)} (tolerance ${SELF_TEST_TOLERANCE})` };
  }
  const kind = r.adapter.software ? 'a software adapter, slower than wasm' : 'your GPU';
  return {
    works: true,
    message:
      `WebGPU works on ${name} (${kind}): a matMul agreed with the cpu backend to ${r.maxAbsDiff.toExponential(1)}. ` +
      'The checks stay on their backend: in Node, tfjs-backend-webgpu cannot read tensors synchronously (dataSync/arraySync), which some lab functions need (Labs 3 and 5). ' +
      '"npm run bench:gpu" or the "webgpu" backend setting use it anyway',
  };
}
