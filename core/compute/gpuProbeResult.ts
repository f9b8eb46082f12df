// What Set Up GPU Compute's probe process (sidecar/gpuProbe.ts) reports, and what the setup
// does with it. Pure, so the decision is unit-tested without a GPU.
import type { GpuAdapter } from '../protocol/sidecar';
import { adapterName } from './gpuAdapter';
import { t } from '../l10n';

export type GpuProbeResult =
  | { ok: true; adapter: GpuAdapter; maxAbsDiff: number; webgpuMs: number; cpuMs: number; size: string }
  | { ok: false; adapter?: GpuAdapter; reason: string };

/** float32 sums over 129 products of values in [-1, 1]: a few ulps of ~10 each. */
export const SELF_TEST_TOLERANCE = 1e-3;

/**
 * What Set Up GPU Compute tells the learner, and whether `auto` now takes the route (the same
 * decision the sidecar makes at start, autoGpuFrom): the setup then restarts the compute process.
 */
export function describeProbe(r: GpuProbeResult): { works: boolean; message: string; autoUsesIt: boolean } {
  if (!r.ok) {
    const message = r.adapter ? t('WebGPU does not work here (adapter: {0}): {1}', adapterName(r.adapter), r.reason) : t('WebGPU does not work here: {0}', r.reason);
    return { works: false, autoUsesIt: false, message };
  }
  const name = adapterName(r.adapter);
  if (!(r.maxAbsDiff <= SELF_TEST_TOLERANCE)) {
    return { works: false, autoUsesIt: false, message: t('WebGPU on {0} computed a wrong matMul: it differs from the cpu backend by {1} (tolerance {2})', name, r.maxAbsDiff.toPrecision(3), SELF_TEST_TOLERANCE) };
  }
  const agreed = t('a matMul agreed with the cpu backend to {0}', r.maxAbsDiff.toExponential(1));
  if (r.adapter.software) {
    return {
      works: true,
      autoUsesIt: false,
      message: t('WebGPU works on {0} (a software adapter, slower than wasm): {1}. "auto" keeps the checks on their backend; the "webgpu" backend setting or "npm run bench:gpu" use it anyway', name, agreed),
    };
  }
  return {
    works: true,
    autoUsesIt: autoGpuFrom(r).webgpu,
    message: t("WebGPU works on {0} (your GPU): {1}. \"auto\" runs the checks on it from now on (learner code then runs without Node's permission model: dawn.node is a native addon; choose \"wasm\" to keep it)", name, agreed),
  };
}

/** Whether `auto` takes the WebGPU route, decided once per sidecar start by the probe process. */
// autoGpuFrom's reasons stay English: the sidecar decides, where no translator is set.
export interface AutoGpu {
  webgpu: boolean;
  /** Why not, for the status bar hover (when webgpu is false). */
  reason?: string;
}

/**
 * `auto` takes WebGPU only where Set Up GPU Compute installed it and a hardware adapter passes
 * the self-test: the check process then runs without Node's permission model (dawn.node is a
 * native addon), which is not worth it for a software adapter (slower than wasm) or a broken one.
 */
export function autoGpuFrom(r: GpuProbeResult | undefined): AutoGpu {
  const no = (why: string): AutoGpu => ({ webgpu: false, reason: `not chosen automatically: ${why}` });
  if (!r) return no('the webgpu package is not installed (Set Up GPU Compute installs it)');
  if (!r.ok) return no(`WebGPU does not work here${r.adapter ? ` (adapter: ${adapterName(r.adapter)})` : ''}: ${r.reason}`);
  if (r.adapter.software) return no(`the only WebGPU adapter is a software one (${adapterName(r.adapter)}), slower than wasm; choose "webgpu" to use it anyway`);
  if (!(r.maxAbsDiff <= SELF_TEST_TOLERANCE)) return no(`WebGPU on ${adapterName(r.adapter)} computed a wrong matMul (off by ${r.maxAbsDiff.toPrecision(3)})`);
  return { webgpu: true };
}
