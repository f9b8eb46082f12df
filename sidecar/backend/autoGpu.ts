// Whether `auto` takes the WebGPU route, decided once per sidecar start. The probe runs in a
// process of its own (Set Up GPU Compute's, sidecar/gpuProbe.ts), not in the check process: that
// one must know before it starts whether dawn.node will load, because a native addon means no
// permission model — which a machine without a usable GPU should not give up for nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { autoGpuFrom, type AutoGpu } from '../../core/compute/gpuProbeResult';
import { runGpuProbe } from '../../core/compute/runGpuProbe';

/** Only where Set Up GPU Compute installed webgpu: a development checkout's copy is for the tests' explicit "webgpu". */
export function webgpuInstalledIn(gpuModulesDir: string | undefined): boolean {
  return !!gpuModulesDir && existsSync(join(gpuModulesDir, 'node_modules', 'webgpu', 'package.json'));
}

export async function probeAutoGpu(gpuModulesDir: string | undefined, sidecarScript: string, timeoutMs = 30_000): Promise<AutoGpu> {
  if (!webgpuInstalledIn(gpuModulesDir)) return autoGpuFrom(undefined);
  return autoGpuFrom(await runGpuProbe({ nodePath: process.execPath, sidecarScript, modulesDir: gpuModulesDir, timeoutMs }));
}
