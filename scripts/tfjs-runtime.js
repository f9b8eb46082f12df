// The one TensorFlow.js instance of a sidecar thread, as a bundle entry (see bundle.mjs).
module.exports = {
  core: require('@tensorflow/tfjs-core'),
  wasm: require('@tensorflow/tfjs-backend-wasm'),
  cpu: require('@tensorflow/tfjs-backend-cpu'),
};
