// The TensorFlow.js that learner code imports: every op, the tensor classes, the namespaces of
// ops (linalg, signal, spectral, image, losses, …), gradients and optimizers — but not the
// parts that reach outside the computation: the engine and backends (which hold the wasm heap
// and the kernel registry the checks also use), kernel and gradient registration, the
// platform (with its fetch and timers), file and network I/O (tf.io, tf.util.fetch), the
// environment object (tf.env().global is the real global object). The checks keep the real
// module; learner code gets this frozen copy.
import type { Tf } from '../../core/checks/checkApi';
import { LearnerError } from './learnerErrors';
import { harden } from './hardenRealm';

/** Leaving these out is what keeps learner code inside the computation (see the file comment). */
const WITHHELD = new Set([
  'engine',
  'ENV',
  'backend',
  'setBackend',
  'registerBackend',
  'removeBackend',
  'findBackend',
  'findBackendFactory',
  'getKernel',
  'getKernelsForBackend',
  'registerKernel',
  'unregisterKernel',
  'getGradient',
  'registerGradient',
  'unregisterGradient',
  'copyRegisteredKernels',
  'setPlatform',
  'enableDebugMode',
  'enableProdMode',
  'disableDeprecationWarnings',
  'deprecationWarn',
  'nextFrame',
  'io',
  'browser',
  'device_util',
  'test_util',
  'backend_util',
  'kernel_impls',
  'serialization',
  'Environment',
  'KernelBackend',
  'DataStorage',
]);
/** tf.util without its network and timer helpers. */
const WITHHELD_UTIL = new Set(['fetch', 'repeatedTry']);

function refuse(what: string): () => never {
  return () => {
    throw new LearnerError(`${what} is not available in lab code: it reaches outside the computation (files, network, the engine)`);
  };
}

/** A read-only view of tf.env(): flags can be read, not set, and there is no `global`. */
function readOnlyEnv(tf: Tf): () => object {
  const env = tf.env();
  const view = {
    get: (flag: string) => env.get(flag),
    getBool: (flag: string) => env.getBool(flag),
    getNumber: (flag: string) => env.getNumber(flag),
    getFlags: () => ({ ...env.getFlags() }),
    set: refuse('tf.env().set'),
    setFlags: refuse('tf.env().setFlags'),
  };
  return () => view;
}

/** The learner's TensorFlow.js, built once per process from the real module. */
export function learnerTf(tf: Tf): Record<string, unknown> {
  const facade: Record<string, unknown> = {};
  const real = tf as unknown as Record<string, unknown>;
  for (const key of Object.keys(real)) {
    if (WITHHELD.has(key)) {
      // Functions refuse when called; namespaces (tf.io, tf.ENV) as soon as they are touched.
      if (typeof real[key] === 'function') facade[key] = refuse(`tf.${key}`);
      else Object.defineProperty(facade, key, { get: refuse(`tf.${key}`), enumerable: false });
      continue;
    }
    const v = real[key];
    if (key === 'util') {
      facade.util = Object.fromEntries(
        Object.entries(v as object).map(([k, f]) => [k, WITHHELD_UTIL.has(k) ? refuse(`tf.util.${k}`) : f]),
      );
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      // A namespace of ops (tf.linalg, tf.spectral, …): a copy, so learner code cannot edit the checks'.
      facade[key] = { ...(v as object) };
    } else {
      facade[key] = v;
    }
  }
  facade.env = readOnlyEnv(tf);
  facade.default = facade;
  // As the real module: TypeScript's `import * as tf` then uses this object as it is.
  Object.defineProperty(facade, '__esModule', { value: true });
  harden(facade);
  return facade;
}

/**
 * On the cpu backend, dataSync() hands out the tensor's own storage: learner code given a
 * check's tensor could rewrite it before the check computes the reference. Reads become copies.
 */
export function copyOnRead(tf: Tf): void {
  const cpu = tf.findBackend('cpu') as unknown as { readSync(id: object): unknown } | null;
  if (!cpu || tf.getBackend() !== 'cpu') return;
  const readSync = cpu.readSync.bind(cpu);
  cpu.readSync = (id: object) => {
    const v = readSync(id);
    return ArrayBuffer.isView(v) ? (v as unknown as Float32Array).slice() : Array.isArray(v) ? v.slice() : v;
  };
}
