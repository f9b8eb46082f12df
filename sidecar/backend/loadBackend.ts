// Loads the first TensorFlow.js backend that works for a preference, in this thread.
// Native backends (tfjs-node, tfjs-node-gpu) bring their own tfjs instance; wasm and cpu use
// the bundled one. Whatever is returned as `tf` is what learner code and checks must use.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tfCore from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendAttempt, BackendInfo, BackendName, BackendPreference } from '../../core/protocol/sidecar';
import { BACKEND_PACKAGES, backendOrder, explainLoadFailure } from './backendOrder';
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

async function tryBackend(name: BackendName, gpuModulesDir?: string): Promise<Tf> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const tf = requireNative(BACKEND_PACKAGES[name], gpuModulesDir);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the "tensorflow" backend did not initialise');
      return tf;
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

export async function loadBackend(pref: BackendPreference, gpuModulesDir?: string): Promise<LoadedBackend> {
  const attempts: BackendAttempt[] = [];
  for (const name of backendOrder(pref)) {
    try {
      const tf = await tryBackend(name, gpuModulesDir);
      registerTfjsExtras(tf);
      attempts.push({ backend: name, ok: true });
      return { tf, info: { name, attempts, tfjsVersion: tf.version_core, nodeVersion: process.version } };
    } catch (err) {
      attempts.push({ backend: name, ok: false, reason: explainLoadFailure(name, err) });
    }
  }
  const why = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  throw new Error(`no TensorFlow.js backend could be loaded for "${pref}" (${why})`);
}
