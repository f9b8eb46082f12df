// Set Up GPU Compute's probe, run as its own short process so that a driver crash cannot take
// the sidecar down: starts the webgpu route (software adapters included, so it can tell the
// learner what it found), runs a matMul on it and on the cpu backend, prints one JSON line
// (GpuProbeResult) and ends — which also shows that releaseWebGpu lets Node exit.
//   node sidecar/gpuProbe.js [--modules <dir with node_modules/webgpu>]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { GpuProbeResult } from '../core/compute/gpuProbeResult';
import { explainLoadFailure } from './backend/backendOrder';
import { releaseWebGpu, startWebGpu } from './backend/webgpu';
import type { GpuAdapter } from '../core/protocol/sidecar';

/** Shapes with a ragged inner size, so tiling edges are exercised, and a batch. */
const A_SHAPE: [number, number, number] = [2, 67, 129];
const B_SHAPE: [number, number, number] = [2, 129, 45];

async function matMulOn(backend: string, a: Float32Array, b: Float32Array): Promise<{ out: Float32Array; ms: number }> {
  await tf.setBackend(backend);
  const started = performance.now();
  const out = tf.tidy(() => tf.matMul(tf.tensor3d(a, A_SHAPE), tf.tensor3d(b, B_SHAPE)));
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return { out: data, ms: performance.now() - started };
}

async function probe(modulesDir: string | undefined): Promise<GpuProbeResult> {
  let adapter: GpuAdapter | undefined;
  try {
    await startWebGpu(tf, { allowSoftware: true, gpuModulesDir: modulesDir, onAdapter: (a) => (adapter = a) });
  } catch (err) {
    return { ok: false, adapter, reason: explainLoadFailure('webgpu', err) };
  }
  // Deterministic inputs in [-1, 1): the comparison does not depend on a random seed.
  const a = Float32Array.from({ length: A_SHAPE.reduce((x, y) => x * y) }, (_, i) => Math.sin(i * 12.9898) % 1);
  const b = Float32Array.from({ length: B_SHAPE.reduce((x, y) => x * y) }, (_, i) => Math.cos(i * 78.233) % 1);
  try {
    const gpu = await matMulOn('webgpu', a, b);
    const cpu = await matMulOn('cpu', a, b);
    let maxAbsDiff = 0;
    for (let i = 0; i < cpu.out.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(gpu.out[i] - cpu.out[i]));
    return { ok: true, adapter: adapter!, maxAbsDiff, webgpuMs: gpu.ms, cpuMs: cpu.ms, size: `${A_SHAPE.join('×')} · ${B_SHAPE.join('×')}` };
  } catch (err) {
    return { ok: false, adapter, reason: `the self-test matMul failed on WebGPU: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    releaseWebGpu(tf);
  }
}

const i = process.argv.indexOf('--modules');
void probe(i > 0 ? process.argv[i + 1] : undefined).then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
