// The one TensorFlow.js instance of a sidecar thread, as a bundle entry (see bundle.mjs).
// tfjs-core's CommonJS entry registers no gradients; this ES-module file does (Lab 2's panel
// takes gradient norms through the learner's blocks).
require('@tensorflow/tfjs-core/dist/register_all_gradients');
module.exports = {
  core: require('@tensorflow/tfjs-core'),
  wasm: require('@tensorflow/tfjs-backend-wasm'),
  cpu: require('@tensorflow/tfjs-backend-cpu'),
};
