// Gradients and chained tensor methods (x.sub(m), x.reshape(…), .transpose(), …) for the wasm
// and cpu backends. tfjs-core's CommonJS build registers neither: they live in its ES-module
// files dist/register_all_gradients.js and dist/public/chained_ops/register_all_chained_ops.js.
// Those files carry their own copy of tfjs-core's modules, so they must load AFTER the
// CommonJS entry: the global engine, kernel registry and Tensor class are created by whichever
// copy comes first, and the second copy registers into them.
//
// Where they come from:
// - the packaged sidecar (dist/): bundled into its TensorFlow.js runtime (scripts/tfjs-runtime.js);
// - tsc's out/: a CommonJS bundle of both files written at compile time
//   (scripts/build-tfjs-extras.mjs → out/sidecar/tfjs-extras.js); the check process, which
//   may neither start programs nor threads, loads that file;
// - anything else (e.g. the training script before a compile): bundled in memory with
//   esbuild, a devDependency.
import { existsSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

type TfLike = { getGradient(kernelName: string): unknown; tensor(values: number[]): object };

export const EXTRAS_ENTRIES = [
  '@tensorflow/tfjs-core/dist/register_all_gradients.js',
  '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js',
];
const PREBUILT = path.join(__dirname, '..', 'tfjs-extras.js');

/** True when tf.grad and friends work (probed on RealDiv, which every course loss uses). */
export function hasGradients(tf: Pick<TfLike, 'getGradient'>): boolean {
  return tf.getGradient('RealDiv') !== undefined;
}

/** True when tensors have their chained methods (probed on x.sub and x.reshape). */
export function hasChainedOps(tf: Pick<TfLike, 'tensor'>): boolean {
  const proto = Object.getPrototypeOf(tf.tensor([0])) as Record<string, unknown>;
  return typeof proto.sub === 'function' && typeof proto.reshape === 'function';
}

function compileInMemory(): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const esbuild = require('esbuild') as typeof import('esbuild');
  const entry = require.resolve(EXTRAS_ENTRIES[0]);
  const result = esbuild.buildSync({
    stdin: { contents: EXTRAS_ENTRIES.map((e) => `require(${JSON.stringify(e)});`).join('\n'), resolveDir: __dirname },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const m = new Module(entry) as Module & { _compile(code: string, filename: string): void };
  m.filename = entry;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
  m._compile(result.outputFiles[0].text, path.join(path.dirname(entry), 'tfjs-extras.cjs'));
}

/** Registers gradients and chained ops into tfjs's global registries, once. */
export function registerTfjsExtras(tf: TfLike): void {
  if (hasGradients(tf) && hasChainedOps(tf)) return;
  if (existsSync(PREBUILT)) require(PREBUILT);
  else compileInMemory();
  if (!hasGradients(tf) || !hasChainedOps(tf)) throw new Error('TensorFlow.js gradients or chained tensor methods did not register');
}
