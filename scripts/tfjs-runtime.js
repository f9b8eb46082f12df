// The one TensorFlow.js instance of a sidecar thread, as a bundle entry (see bundle.mjs).
const core = require('@tensorflow/tfjs-core');
// tfjs-core's CommonJS entry registers no gradients and no chained tensor methods (x.sub(m),
// x.reshape(…)); its ES-module files do (Lab 2's panel takes gradient norms through the learner's
// blocks, training needs them; learner code written as in TensorFlow.js's tutorials chains).
// They carry their own copy of tfjs-core's modules, so they must load AFTER the CommonJS entry:
// the global engine, kernel registry and Tensor class are created by whichever copy comes first.
require('@tensorflow/tfjs-core/dist/register_all_gradients');
require('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops');
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
