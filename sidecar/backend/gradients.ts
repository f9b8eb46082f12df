// Gradients for the wasm and cpu backends. tfjs-core's CommonJS build registers none: they live
// in its ES-module file dist/register_all_gradients.js. The packaged sidecar imports that file
// in its bundled runtime (scripts/tfjs-runtime.js); from tsc's out/ (tests, training) Node
// cannot load it as is (extensionless ESM imports), so it is bundled to CommonJS with esbuild
// (a devDependency) in memory, once. Its registrations go into tfjs's global gradient registry
// and its ops use the global engine, so the active backend's kernels compute every backward op.
import Module from 'node:module';

type GradientLookup = { getGradient(kernelName: string): unknown };

/** True when tf.grad and friends work (probed on RealDiv, which every course loss uses). */
export function hasGradients(tf: GradientLookup): boolean {
  return tf.getGradient('RealDiv') !== undefined;
}

export function registerGradients(tf: GradientLookup): void {
  if (hasGradients(tf)) return;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const esbuild = require('esbuild') as typeof import('esbuild');
  const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const result = esbuild.buildSync({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' });
  const m = new Module(entry) as Module & { _compile(code: string, filename: string): void };
  m.filename = entry;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
  m._compile(result.outputFiles[0].text, entry + '.cjs');
}
