// The one TensorFlow.js instance of a sidecar thread, as a bundle entry (see bundle.mjs).
const core = require('@tensorflow/tfjs-core');
// tfjs-core's CommonJS entry registers no gradients; its ES-module file does (Lab 2's panel takes
// gradient norms through the learner's blocks, training needs them). It carries its own copy of
// tfjs-core's modules, so it must load AFTER the CommonJS entry: the global engine (and the
// tensor class whose methods work) is created by whichever copy comes first.
require('@tensorflow/tfjs-core/dist/register_all_gradients');
module.exports = {
  core,
  wasm: require('@tensorflow/tfjs-backend-wasm'),
  cpu: require('@tensorflow/tfjs-backend-cpu'),
  // Evaluated on first use only: it registers its backend only if navigator.gpu exists by then
  // (sidecar/backend/webgpu.ts sets it first).
  get webgpu() {
    return require('@tensorflow/tfjs-backend-webgpu');
  },
};
