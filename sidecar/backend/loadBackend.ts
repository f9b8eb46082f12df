// Loads the first TensorFlow.js backend that works for a preference, in this thread.
// Native backends (tfjs-node, tfjs-node-gpu) bring their own tfjs instance; wasm and cpu use
// the bundled one. Whatever is returned as `tf` is what learner code and checks must use.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tfCore from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendAttempt, BackendInfo, BackendName, BackendPreference, GpuAdapter } from '../../core/protocol/sidecar';
import type { AutoGpu } from '../../core/compute/gpuProbeResult';
import { allowsSoftwareAdapter, autoSkips, BACKEND_PACKAGES, backendOrder, explainLoadFailure } from './backendOrder';
import { SoftwareAdapterRefused, startWebGpu } from './webgpu';
import { registerTfjsExtras } from './tfjsExtras';
import { installWasmFallback } from './wasmFallback';
import { registerFastWasmBatchMatMul } from './wasmBatchMatMul';
import { polyfillUtilIs } from './utilPolyfill';

export type Tf = typeof tfCore;

export interface LoadedBackend {
  tf: Tf;
  info: BackendInfo;
}

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/** The folder holding the .wasm binaries: next to the bundle in the .vsix, else in node_modules. */
export function wasmDir(): string | undefined {
  const candidates = [path.join(__dirname, '..', 'wasm'), path.join(__dirname, '..', '..', 'wasm')];
  try {
    candidates.push(path.dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_FILE}`)));
  } catch {
    // Bundled: there is no node_modules; the copies beside the bundle are the ones.
  }
  return candidates.find((dir) => existsSync(path.join(dir, WASM_FILE)));
}

function requireNative(pkg: string, gpuModulesDir: string | undefined): Tf {
  polyfillUtilIs();
  if (gpuModulesDir) {
    const req = createRequire(path.join(gpuModulesDir, 'package.json'));
    try {
      return req(pkg) as Tf;
    } catch (err) {
      if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  // Hidden from bundlers on purpose: native tfjs is never bundled, only found at run time.
  const req = createRequire(__filename);
  return req(pkg) as Tf;
}

interface TryContext {
  pref: BackendPreference;
  gpuModulesDir?: string;
  onAdapter(a: GpuAdapter): void;
}

async function tryBackend(name: BackendName, ctx: TryContext): Promise<Tf> {
  const gpuModulesDir = ctx.gpuModulesDir;
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const tf = requireNative(BACKEND_PACKAGES[name], gpuModulesDir);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the "tensorflow" backend did not initialise');
      return tf;
    }
    case 'webgpu': {
      // Dawn is a native addon, refused under the permission model: say so without trying.
      if ((process as { permission?: unknown }).permission) {
        throw Object.assign(new Error('native addons are refused'), { code: 'ERR_DLOPEN_DISABLED' });
      }
      await startWebGpu(tfCore, { allowSoftware: allowsSoftwareAdapter(ctx.pref), gpuModulesDir, onAdapter: ctx.onAdapter });
      return tfCore;
    }
    case 'wasm': {
      const dir = wasmDir();
      if (!dir) throw new Error(`the WebAssembly binaries (${WASM_FILE}) were not found beside the sidecar`);
      setWasmPaths(dir + path.sep);
      if (!(await tfCore.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      registerFastWasmBatchMatMul(tfCore);
      installWasmFallback(tfCore);
      return tfCore;
    }
    case 'cpu': {
      if (!(await tfCore.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
      return tfCore;
    }
  }
}

export async function loadBackend(pref: BackendPreference, gpuModulesDir?: string, autoGpu?: AutoGpu): Promise<LoadedBackend> {
  const attempts: BackendAttempt[] = autoSkips(pref, autoGpu).map((s) => ({ backend: s.backend, ok: false, reason: s.reason }));
  const order = backendOrder(pref, autoGpu);
  let adapter: GpuAdapter | undefined;
  const ctx: TryContext = { pref, gpuModulesDir, onAdapter: (a) => (adapter = a) };
  const permissionModel = !!(process as { permission?: unknown }).permission;
  for (const name of order) {
    try {
      const tf = await tryBackend(name, ctx);
      registerTfjsExtras(tf);
      attempts.push({ backend: name, ok: true });
      return { tf, info: { name, attempts, tfjsVersion: tf.version_core, nodeVersion: process.version, adapter, permissionModel, order } };
    } catch (err) {
      attempts.push({ backend: name, ok: false, reason: err instanceof SoftwareAdapterRefused ? err.message : explainLoadFailure(name, err) });
    }
  }
  const why = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new Error(`no TensorFlow.js backend could be loaded for "${pref}" (${why})`);
}
