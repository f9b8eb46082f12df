// The WebGPU route: Dawn's Node bindings (the `webgpu` npm package, a native addon with a prebuilt
// dawn.node) provide `navigator.gpu`, and @tensorflow/tfjs-backend-webgpu runs on it.
// Two traps: tfjs-backend-webgpu registers its backend only if `navigator.gpu` exists when the
// module is evaluated, so it is required lazily, after navigator.gpu is set; and a live GPU
// instance may keep Node running, so one-shot scripts call releaseWebGpu() when done (the
// sidecar's workers are terminated, which ends them either way).
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { trackPrint } from './pendingPrints';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { GpuAdapter } from '../../core/protocol/sidecar';
import { adapterName } from '../../core/compute/gpuAdapter';

/** The slice of WebGPU this file uses (the project has no @webgpu/types). */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface Dawn {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

export class SoftwareAdapterRefused extends Error {
  constructor(readonly adapter: GpuAdapter) {
    super(
      `the only WebGPU adapter is a software one (${adapterName(adapter)}): it is slower than wasm, so it is not chosen here; set the backend to "webgpu" to use it anyway`,
    );
    this.name = 'SoftwareAdapterRefused';
  }
}

/** One GPU instance per thread: Dawn's instance is costly and tfjs keeps the device it made. */
let instance: GpuLike | undefined;

/**
 * Loads Dawn from the folder Set Up GPU Compute installed it into, else from the sidecar's own
 * node_modules (a development checkout, CI). `webgpu` is an ES module; Node ≥ 20.19 loads it
 * with require(), older runtimes get its dawn.node directly (the package's index.js only adds a
 * buffer-unmapping fix on device.destroy() around it).
 */
function requireDawn(gpuModulesDir: string | undefined): Dawn {
  const roots = [gpuModulesDir ? path.join(gpuModulesDir, 'package.json') : undefined, __filename].filter((r): r is string => !!r);
  let notFound: unknown;
  for (const from of roots) {
    const req = createRequire(from);
    let entry: string;
    try {
      entry = req.resolve('webgpu');
    } catch (err) {
      notFound = err;
      continue;
    }
    try {
      return req(entry) as Dawn;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw err;
      const arch = process.platform === 'darwin' ? 'universal' : process.arch;
      return req(path.join(path.dirname(entry), 'dist', `${process.platform}-${arch}`, 'dawn.node')) as Dawn;
    }
  }
  throw notFound;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|basic render driver/i;

export function describeAdapter(adapter: AdapterLike): GpuAdapter {
  const info = adapter.info ?? {};
  const a = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  };
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  return { ...a, software: fallback || SOFTWARE.test(`${a.vendor} ${a.architecture} ${a.device} ${a.description}`) };
}

/** Starts Dawn (once per thread) and asks for the adapter tfjs will use. */
export async function probeAdapter(gpuModulesDir?: string): Promise<{ gpu: GpuLike; adapter: GpuAdapter }> {
  if (!instance) {
    const dawn = requireDawn(gpuModulesDir);
    // tfjs-backend-webgpu reads GPUBufferUsage, GPUMapMode… as globals, as in a browser.
    for (const [k, v] of Object.entries(dawn.globals)) {
      if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
    }
    instance = dawn.create([]);
  }
  // The same request tfjs-backend-webgpu makes, so the probed adapter is the one it gets.
  const adapter = await instance.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error('Dawn found no WebGPU adapter (on Linux it needs a Vulkan driver: the GPU vendor\'s, or mesa-vulkan-drivers ≥ 24 for a software one)');
  }
  return { gpu: instance, adapter: describeAdapter(adapter) };
}

function setNavigatorGpu(gpu: GpuLike | undefined): void {
  const g = globalThis as { navigator?: { gpu?: GpuLike } };
  if (g.navigator === undefined) {
    // Node 20 has no navigator; 21+ has one without `gpu`.
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
}

/**
 * Makes `webgpu` the active backend of this thread's tfjs-core. Refuses a software adapter
 * unless asked for; `onAdapter` hears about the adapter either way (the hover names it).
 */
export async function startWebGpu(
  tf: typeof TfCore,
  opts: { allowSoftware: boolean; gpuModulesDir?: string; onAdapter?: (a: GpuAdapter) => void },
): Promise<GpuAdapter> {
  const { gpu, adapter } = await probeAdapter(opts.gpuModulesDir);
  opts.onAdapter?.(adapter);
  if (adapter.software && !opts.allowSoftware) throw new SoftwareAdapterRefused(adapter);
  setNavigatorGpu(gpu);
  if (!tf.findBackendFactory('webgpu')) {
    // Evaluated here, after navigator.gpu exists; the bundle keeps this require lazy.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require('@tensorflow/tfjs-backend-webgpu');
  }
  if (!tf.findBackendFactory('webgpu')) {
    throw new Error('@tensorflow/tfjs-backend-webgpu was loaded before navigator.gpu existed, so it did not register');
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialise');
  explainSyncReads(tf);
  printWhenRead(tf);
  splitWideAddN(tf);
  failReadsAfterDeviceErrors(tf);
  return adapter;
}

/** The first line of what the device reported, for a message a learner can read. */
function firstLine(message: string): string {
  return message.split('\n').map((l) => l.trim()).find(Boolean) ?? 'an error';
}

/**
 * A WebGPU validation error does not throw: Dawn prints it, the kernel's pipeline is invalid and
 * its output stays zeros (the AddN case above, before the split). Errors the device reports are
 * collected, and the next read fails with them instead of handing out those numbers.
 */
function failReadsAfterDeviceErrors(tf: typeof TfCore): void {
  const backend = tf.backend() as unknown as {
    device?: { addEventListener?(type: 'uncapturederror', listener: (e: { error?: { message?: string } }) => void): void };
    read(dataId: object): Promise<unknown>;
    tlWatched?: boolean;
  };
  if (backend.tlWatched || typeof backend.device?.addEventListener !== 'function') return;
  const reported: string[] = [];
  backend.device.addEventListener('uncapturederror', (e) => reported.push(firstLine(e.error?.message ?? '')));
  const read = backend.read.bind(backend);
  backend.read = async (dataId: object) => {
    const values = await read(dataId);
    if (reported.length > 0) {
      const errors = reported.splice(0);
      throw new Error(`${WEBGPU_ERROR}: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
    }
    return values;
  };
  backend.tlWatched = true;
}

/** How a read starts when the device reported an error since the last one. */
export const WEBGPU_ERROR = 'the GPU reported an error while computing, so these numbers would be wrong (choose "wasm" with Transformer Labs: Select Compute Backend to compare)';

type KernelFunc = (args: { inputs: TfCore.TensorInfo[]; backend: unknown; attrs?: unknown }) => TfCore.TensorInfo;

/**
 * tfjs-backend-webgpu 4.22.0's AddN binds one storage buffer per input, and the device it
 * requests keeps Dawn's default of 8 per shader stage: with 8 or more inputs the pipeline is
 * invalid and the result silently stays zeros (Lab 2's panel summed a layer's 12 squared
 * gradients so: every gradient norm 0). Its Concat splits its inputs by the limit; AddN is made
 * to do the same: sums of at most limit − 1 inputs, then the sum of those.
 */
function splitWideAddN(tf: typeof TfCore): void {
  const backend = tf.backend() as unknown as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } }; disposeData(id: object): void };
  const kernel = tf.getKernel('AddN', 'webgpu');
  if (!kernel || (kernel.kernelFunc as { tlSplit?: boolean }).tlSplit) return;
  const original = kernel.kernelFunc as unknown as KernelFunc;
  const maxInputs = Math.max(2, (backend.device?.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
  const split: KernelFunc = (args) => {
    const inputs = args.inputs;
    if (inputs.length <= maxInputs) return original(args);
    const partial: TfCore.TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += maxInputs) partial.push(original({ ...args, inputs: inputs.slice(i, i + maxInputs) }));
    const sum = split({ ...args, inputs: partial });
    for (const p of partial) backend.disposeData(p.dataId);
    return sum;
  };
  (split as { tlSplit?: boolean }).tlSplit = true;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({ ...kernel, kernelFunc: split as unknown as TfCore.KernelFunc });
}

/** The message a synchronous read gets on this backend in Node. */
export const NO_SYNC_READS =
  'the webgpu backend cannot read a tensor synchronously in Node: tfjs-backend-webgpu 4.22.0 implements dataSync(), arraySync() and bufferSync() with OffscreenCanvas, a browser API that Node lacks; read with await tensor.data() or await tensor.array() in a function declared async (the lab instructions say which functions may be), or keep the result a tensor';

/**
 * tfjs-backend-webgpu's readSync copies through OffscreenCanvas; in Node that is a bare
 * "OffscreenCanvas is not defined". Dawn offers no synchronous map either, so the read cannot be
 * made to work here; it is made to say why.
 */
function explainSyncReads(tf: typeof TfCore): void {
  if ('OffscreenCanvas' in globalThis) return;
  const backend = tf.backend() as unknown as { readSync(dataId: object): unknown; tlExplained?: boolean };
  if (backend.tlExplained) return;
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    try {
      return readSync(dataId);
    } catch (err) {
      if (err instanceof ReferenceError && /OffscreenCanvas/.test(err.message)) throw new Error(NO_SYNC_READS);
      throw err;
    }
  };
  backend.tlExplained = true;
}

/**
 * t.print() is how a learner looks at a tensor while debugging, in any function; it reads
 * synchronously. On this backend it reads with `await` instead and prints once the values are
 * there: a read leaves them cached on the CPU, where print's own synchronous read finds them. A
 * clone (kept: the learner's tidy may end first) holds the values until then.
 */
function printWhenRead(tf: typeof TfCore): void {
  const proto = tf.Tensor.prototype as unknown as { print(verbose?: boolean): void; tlPrintWhenRead?: boolean };
  if (proto.tlPrintWhenRead) return;
  const print = proto.print;
  proto.print = function (this: TfCore.Tensor, verbose = false) {
    if (tf.getBackend() !== 'webgpu' || this.isDisposed) return print.call(this, verbose);
    const held = tf.keep(tf.clone(this));
    trackPrint(
      held
        .data()
        .then(
          () => print.call(held, verbose),
          (err: unknown) => console.log(`(print: ${err instanceof Error ? err.message : String(err)})`),
        )
        .finally(() => held.dispose()),
    );
  };
  proto.tlPrintWhenRead = true;
}

/**
 * Lets a one-shot script's process end: drops the tfjs backend (destroying its device), the
 * navigator.gpu reference and the Dawn instance.
 */
export function releaseWebGpu(tf: typeof TfCore): void {
  if (tf.engine().registry.webgpu) tf.removeBackend('webgpu');
  setNavigatorGpu(undefined);
  instance = undefined;
}
