// The GPU bench: the reference multi-head attention, one mini-GPT training step and greedy
// generation on every backend that loads here, each as a ratio to a plain tf.matMul on the same
// backend (so machines compare), with the WebGPU adapter's name. Meant for a machine with a GPU;
// without one the webgpu row runs on a software adapter (llvmpipe) if one is installed.
//   npm run bench:gpu            (README: "Benchmarking a GPU")
// Every timed piece ends with `await tensor.data()`: on WebGPU the work is only done once the
// result is read, and tfjs-backend-webgpu cannot read synchronously in Node (webgpu.ts). For the
// same reason the training step updates with plain SGD: the reference AdamW reads its gradient
// norm with dataSync() for clipping.
import type * as TfCore from '@tensorflow/tfjs-core';
import { adapterName } from '../core/compute/gpuAdapter';
import type { BackendPreference, GpuAdapter } from '../core/protocol/sidecar';
import { loadBackend, type Tf } from '../sidecar/backend/loadBackend';
import { releaseWebGpu } from '../sidecar/backend/webgpu';
import { findModelDir, loadMiniGpt } from '../sidecar/reference/miniGpt/loader';
import { crossEntropy, forwardBatch, type Params } from '../sidecar/reference/miniGpt/layers';
import { attentionRef, causalMaskRef, multiHeadAttentionRef } from '../sidecar/reference/tensorAttention';
import { percentile } from './stats';

const MATMUL = 256;
const MHA = { n: 64, dModel: 128, heads: 4 };
const TRAIN = { batch: 4, seq: 32 };
const GENERATE = { prompt: 'Call me Ishmael. ', tokens: 16 };
const REPEATS = 5;

type Tensor = TfCore.Tensor;

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: shader compilation, kernel caches
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return percentile(samples, 50);
}

/** Deterministic values in [-0.5, 0.5): every backend gets the same inputs. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453) % 1 * 0.5);
}

interface Row {
  backend: string;
  adapter?: string;
  matMulMs: number;
  mhaMs: number;
  trainMs: number;
  generateMs: number;
  loss: number;
  text: string;
}

async function benchOn(tf: Tf, backend: string, adapter: GpuAdapter | undefined): Promise<Row> {
  const a = tf.tensor2d(values(MATMUL * MATMUL, 1), [MATMUL, MATMUL]);
  const b = tf.tensor2d(values(MATMUL * MATMUL, 2), [MATMUL, MATMUL]);
  const matMulMs = await medianMs(async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  });

  const { n, dModel, heads } = MHA;
  const x = tf.tensor2d(values(n * dModel, 3), [n, dModel]);
  const w = (s: number) => tf.tensor2d(values(dModel * dModel, s).map((v) => v * 0.2), [dModel, dModel]);
  const p = { wq: w(4), wk: w(5), wv: w(6), wo: w(7) };
  const mask = causalMaskRef(tf, n);
  const mhaMs = await medianMs(async () => {
    const { output, weights } = multiHeadAttentionRef(tf, x, p, heads, mask);
    await output.data();
    tf.dispose([output, weights]);
  });

  // Mini-GPT: the shipped weights as variables; one step = forward + backward + SGD update.
  const file = loadMiniGpt(findModelDir(__dirname));
  const cfg = file.config;
  const vars: Record<string, TfCore.Variable> = {};
  for (const [name, t] of Object.entries(file.tensors)) vars[name] = tf.variable(tf.tensor(t.data, t.shape, 'float32'), true, `bench/${name}`);
  const params = vars as unknown as Params;
  const attention = (q: Tensor, k: Tensor, v: Tensor, m?: Tensor) => attentionRef(tf, q, k, v, m);
  const ids = Int32Array.from({ length: TRAIN.batch * (TRAIN.seq + 1) }, (_, i) => (i * 7 + 3) % cfg.vocabSize);
  const xs = tf.tensor2d(ids.filter((_, i) => i % (TRAIN.seq + 1) !== TRAIN.seq), [TRAIN.batch, TRAIN.seq], 'int32');
  const ys = tf.tensor1d(ids.filter((_, i) => i % (TRAIN.seq + 1) !== 0), 'int32');
  let loss = NaN;
  const trainMs = await medianMs(async () => {
    const { value, grads } = tf.variableGrads(() => crossEntropy(tf, forwardBatch(tf, params, cfg, xs, { attention, embed: 'onehot' }), ys, cfg.vocabSize) as TfCore.Scalar);
    tf.tidy(() => {
      for (const [k, g] of Object.entries(grads)) vars[k.replace(/^bench\//, '')].assign(tf.sub(vars[k.replace(/^bench\//, '')], tf.mul(g, 1e-4)));
    });
    loss = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
  });
  // Generation from the untouched weights (the steps above moved them by 6 × 1e-4 · grad).
  for (const [name, t] of Object.entries(file.tensors)) vars[name].assign(tf.tensor(t.data, t.shape, 'float32'));

  const vocab = file.vocab;
  const encode = (s: string) => Array.from(s, (ch) => vocab.indexOf(ch));
  let text = '';
  const generateMs = await medianMs(async () => {
    const out = encode(GENERATE.prompt);
    for (let i = 0; i < GENERATE.tokens; i++) {
      const ctx = out.slice(-cfg.blockSize);
      const next = tf.tidy(() => {
        const logits = forwardBatch(tf, params, cfg, tf.tensor2d(ctx, [1, ctx.length], 'int32'), { attention, embed: 'gather' });
        return tf.argMax(tf.slice(logits, [ctx.length - 1, 0], [1, cfg.vocabSize]), 1);
      });
      out.push((await next.data())[0]);
      next.dispose();
    }
    text = out.slice(-GENERATE.tokens).map((id) => vocab[id]).join('');
  });
  tf.dispose([a, b, x, p.wq, p.wk, p.wv, p.wo, mask, xs, ys, ...Object.values(vars)]);
  return { backend, adapter: adapter && adapterName(adapter), matMulMs, mhaMs, trainMs, generateMs, loss, text };
}

async function main(): Promise<void> {
  // Each preference once; a backend already measured (say `gpu` fell to webgpu) is not repeated.
  const prefs: BackendPreference[] = ['gpu', 'node', 'webgpu', 'wasm', 'cpu'];
  const rows: Row[] = [];
  const skipped: string[] = [];
  for (const pref of prefs) {
    let loaded;
    try {
      loaded = await loadBackend(pref);
    } catch (err) {
      skipped.push(`${pref}: ${(err as Error).message.replace(/^no TensorFlow\.js backend could be loaded for "[a-z]+" /, '')}`);
      continue;
    }
    if (rows.some((r) => r.backend === loaded.info.name)) continue;
    process.stderr.write(`bench:gpu: ${loaded.info.name}…\n`);
    rows.push(await benchOn(loaded.tf, loaded.info.name, loaded.info.name === 'webgpu' ? loaded.info.adapter : undefined));
  }
  const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1);
  const ratio = (ms: number, base: number) => `${(ms / base).toFixed(1)}×`;
  console.log(`GPU bench (median of ${REPEATS} after a warm-up; ratio = time / tf.matMul ${MATMUL}² on the same backend)`);
  console.log(`MHA: reference multi-head attention, N=${MHA.n}, d=${MHA.dModel}, ${MHA.heads} heads, causal. Train: mini-GPT forward+backward+SGD, batch ${TRAIN.batch}×${TRAIN.seq}. Generate: ${GENERATE.tokens} greedy tokens, uncached.`);
  console.log('');
  console.log('| backend | adapter | matMul ms | MHA ms (ratio) | train step ms (ratio) | generate ms (ratio) | loss | greedy text |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.backend} | ${r.adapter ?? '—'} | ${f(r.matMulMs)} | ${f(r.mhaMs)} (${ratio(r.mhaMs, r.matMulMs)}) | ${f(r.trainMs)} (${ratio(r.trainMs, r.matMulMs)}) | ${f(r.generateMs)} (${ratio(r.generateMs, r.matMulMs)}) | ${r.loss.toFixed(4)} | ${JSON.stringify(r.text)} |`,
    );
  }
  if (skipped.length) console.log(`\nnot measured: ${skipped.join('; ')}`);
  // Same weights, same inputs: the backends must agree (float32, different summation orders).
  const losses = rows.map((r) => r.loss);
  if (Math.max(...losses) - Math.min(...losses) > 1e-3) console.log(`\nWARNING: the backends' losses differ by more than 1e-3: ${losses.join(', ')}`);
}

main()
  .then(async () => {
    const tf = await import('@tensorflow/tfjs-core');
    releaseWebGpu(tf);
  })
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
