// The wasm backend has no kernel for some ops the cpu backend runs (Complex, Real, Imag, Einsum,
// FFT, UnsortedSegmentSum, … — enumerated from the kernel registry, not listed here) and no
// complex64 support at all. Every such call is run by the cpu backend's kernel instead: inputs
// are copied out of the wasm heap into cpu tensors, the cpu kernel runs, and its outputs are
// written back into the wasm heap, so the engine only ever sees wasm tensors.
//
// complex64 tensors live in the wasm heap as interleaved float32 pairs [re, im, re, im, …]
// (tfjs's own convention for complex data); any kernel that receives or produces complex64
// goes to the cpu kernel, which represents them as a pair of real tensors.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;
type TensorInfo = tfTypes.TensorInfo;
type KernelConfig = ReturnType<Tf['getKernelsForBackend']>[number];
type KernelFunc = KernelConfig['kernelFunc'];
type BackendValues = Parameters<tfTypes.KernelBackend['write']>[0];

interface WasmData {
  memoryOffset: number;
  dtype: string;
  shape: number[];
}

interface WasmBackend {
  dataIdMap: { get(dataId: object): WasmData };
  wasm: { HEAPU8: Uint8Array };
  readSync(dataId: object, start?: number, end?: number): BackendValues;
  makeOutput(shape: number[], dtype: string, memoryOffset?: number, values?: BackendValues): TensorInfo;
}

interface CpuBackend {
  makeTensorInfo(shape: number[], dtype: string, values?: BackendValues): TensorInfo;
  readSync(dataId: object): BackendValues;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

export interface FallbackReport {
  /** Kernels the cpu backend registers and wasm does not: now run by the cpu kernel. */
  missing: string[];
  /** wasm kernels that hand complex64 inputs to the cpu kernel of the same name. */
  complexRouted: number;
}

const COMPLEX = 'complex64';
/** Backends already taught: loading the backend twice in one thread must not wrap twice. */
const installed = new WeakMap<object, FallbackReport>();

/** Teaches the wasm backend to store and read complex64 as interleaved float32 pairs. */
function patchComplexStorage(wasm: WasmBackend): void {
  const readSync = wasm.readSync.bind(wasm);
  wasm.readSync = (dataId: object, start?: number, end?: number): BackendValues => {
    const d = wasm.dataIdMap.get(dataId);
    if (!d || d.dtype !== COMPLEX) return readSync(dataId, start, end);
    const size = d.shape.reduce((a, b) => a * b, 1);
    const from = d.memoryOffset + (start ?? 0) * 8;
    const to = d.memoryOffset + (end ?? size) * 8;
    return new Float32Array(wasm.wasm.HEAPU8.slice(from, to).buffer);
  };
}

function toCpu(info: TensorInfo, wasm: WasmBackend, cpu: CpuBackend, complexKernel: KernelFunc, made: TensorInfo[]): TensorInfo {
  const values = wasm.readSync(info.dataId);
  if (info.dtype !== COMPLEX) {
    const t = cpu.makeTensorInfo(info.shape, info.dtype, values);
    made.push(t);
    return t;
  }
  const pairs = values as Float32Array;
  const re = new Float32Array(pairs.length / 2);
  const im = new Float32Array(pairs.length / 2);
  for (let i = 0; i < re.length; i++) {
    re[i] = pairs[2 * i];
    im[i] = pairs[2 * i + 1];
  }
  const real = cpu.makeTensorInfo(info.shape, 'float32', re);
  const imag = cpu.makeTensorInfo(info.shape, 'float32', im);
  const complex = complexKernel({ inputs: { real, imag }, backend: cpu as never, attrs: {} }) as TensorInfo;
  made.push(real, imag, complex);
  return complex;
}

function cpuFallback(name: string, cpuKernel: KernelFunc, complexKernel: KernelFunc, getCpu: () => CpuBackend): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const wasm = backend as unknown as WasmBackend;
    const cpu = getCpu();
    const made: TensorInfo[] = [];
    try {
      // Ops of many tensors (Einsum, Concat, Pack, AddN) pass an array; the rest a named map,
      // whose entries may be arrays themselves (RaggedGather's paramsNestedSplits).
      const move = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(move) : v ? toCpu(v as TensorInfo, wasm, cpu, complexKernel, made) : v;
      const cpuInputs = Array.isArray(inputs)
        ? (inputs as unknown[]).map(move)
        : Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, move(v)]));
      const out = cpuKernel({ inputs: cpuInputs as never, attrs, backend: cpu as never });
      const outs = Array.isArray(out) ? out : [out];
      made.push(...outs);
      const back = outs.map((o) => wasm.makeOutput(o.shape, o.dtype, undefined, cpu.readSync(o.dataId)));
      return Array.isArray(out) ? back : back[0];
    } catch (err) {
      if (err instanceof Error && !err.message.includes(name)) err.message = `${name} (run by the cpu kernel): ${err.message}`;
      throw err;
    } finally {
      for (const t of made) cpu.disposeIntermediateTensorInfo(t);
    }
  };
}

function touchesComplex(inputs: Record<string, unknown>, attrs: unknown): boolean {
  for (const v of Object.values(inputs)) {
    if ((v as TensorInfo | undefined)?.dtype === COMPLEX) return true;
    if (Array.isArray(v) && v.some((x) => (x as TensorInfo | undefined)?.dtype === COMPLEX)) return true;
  }
  return (attrs as { dtype?: string } | undefined)?.dtype === COMPLEX;
}

/**
 * Registers, for the wasm backend, the cpu kernel of every op wasm lacks, and routes complex64
 * calls of the kernels it has to the cpu kernel of the same name. Call once, after
 * tf.setBackend('wasm') resolved (the wasm kernels' setup has run by then).
 */
export function installWasmFallback(tf: Tf): FallbackReport {
  const getCpu = () => {
    const cpu = tf.findBackend('cpu') as unknown as CpuBackend | null;
    if (!cpu) throw new Error('the cpu backend is not registered, so ops the wasm backend lacks cannot run');
    return cpu;
  };
  const cpuKernels = new Map(tf.getKernelsForBackend('cpu').map((k) => [k.kernelName, k]));
  const complexKernel = cpuKernels.get('Complex')?.kernelFunc;
  if (!complexKernel) throw new Error('the cpu backend has no Complex kernel');
  const wasmKernels = tf.getKernelsForBackend('wasm');
  const wasmNames = new Set(wasmKernels.map((k) => k.kernelName));
  const wasmBackend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  if (!wasmBackend) throw new Error('the wasm backend is not initialised');
  const done = installed.get(wasmBackend);
  if (done) return done;
  patchComplexStorage(wasmBackend);

  const missing: string[] = [];
  for (const [name, k] of cpuKernels) {
    if (wasmNames.has(name)) continue;
    missing.push(name);
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: cpuFallback(name, k.kernelFunc, complexKernel, getCpu) });
  }
  let complexRouted = 0;
  for (const k of wasmKernels) {
    const cpuKernel = cpuKernels.get(k.kernelName);
    if (!cpuKernel) continue;
    const viaCpu = cpuFallback(k.kernelName, cpuKernel.kernelFunc, complexKernel, getCpu);
    const own = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => (touchesComplex(args.inputs as Record<string, unknown>, args.attrs) ? viaCpu(args) : own(args)),
    });
    complexRouted++;
  }
  const report = { missing: missing.sort(), complexRouted };
  installed.set(wasmBackend, report);
  return report;
}
