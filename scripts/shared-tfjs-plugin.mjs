// The esbuild plugin both bundlers use: TensorFlow.js must be ONE instance per thread (the backend
// registers into it), so every bundle that imports a tfjs package reaches the single runtime
// bundle (dist/sidecar/tfjs.js) at run time instead of carrying its own copy.
import { dirname, relative } from 'node:path';

const tfPackages = {
  '@tensorflow/tfjs-core': 'core',
  '@tensorflow/tfjs-backend-wasm': 'wasm',
  '@tensorflow/tfjs-backend-cpu': 'cpu',
  '@tensorflow/tfjs-backend-webgpu': 'webgpu',
};

/** Rewrites imports of TensorFlow.js packages in `outfile` to the shared runtime bundle `runtimeFile`. */
export function sharedTfjs(outfile, runtimeFile) {
  let rel = relative(dirname(outfile), runtimeFile).split('\\').join('/');
  if (!rel.startsWith('.')) rel = './' + rel;
  return {
    name: 'shared-tfjs',
    setup(build) {
      build.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-wasm|backend-cpu|backend-webgpu)$/ }, (a) => ({
        path: a.path,
        namespace: 'shared-tfjs',
      }));
      build.onLoad({ filter: /.*/, namespace: 'shared-tfjs' }, (a) => ({
        contents: `module.exports = require("shared-tfjs-runtime")[${JSON.stringify(tfPackages[a.path])}];`,
        loader: 'js',
      }));
      build.onResolve({ filter: /^shared-tfjs-runtime$/ }, () => ({ path: rel, external: true }));
    },
  };
}
