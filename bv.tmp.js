(async () => {
  const { loadBackend } = require('/work/main/out/sidecar/backend/loadBackend');
  await loadBackend(process.argv[2]);
  const tf = require('/work/main/node_modules/@tensorflow/tfjs-core');
  const { mulberry32 } = require('/work/main/out/sidecar/reference/random');
  const v = require('/work/main/out/labs/02-transformer-block/visualize.js');
  console.log(tf.getBackend(), 'gradients', v.gradientsAvailable(tf));
  const r = await v.blockView.reference({ tf, rng: mulberry32 }, { layers: 2 });
  console.log(JSON.stringify(r.payload.runs.map((x) => x.reference.map((l) => l.gradNorm))));
  process.exit(0);
})();
