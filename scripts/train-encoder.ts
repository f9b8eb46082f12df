// Pretrains the BERT-style encoder shipped in media/models/encoder with masked language
// modelling on Moby-Dick and the State of the Union addresses, on the TensorFlow.js wasm
// backend (one thread), reproducibly (fixed seed, seeded batches and masks, logged config).
//
//   npm run train:encoder                     # = tsc -p . && nice -n 10 node out/scripts/train-encoder.js
//       as shipped: a BPE vocabulary of 4,096 (Lab 4's trainer), then 3,000 s of training steps
//   node out/scripts/train-encoder.js --measure        # time a few steps and exit, writes nothing
//   node out/scripts/train-encoder.js --max-steps 3000 --out .cache/encoder
//       a step-count schedule instead of the time budget (reproducible bit for bit)
//
// Size (BERT-Tiny's: 2 layers, width 128; here 4 heads of 32, FFN 512, 128 positions) and
// why: MODEL_CARD.md. Written by this script's companion scripts/train/encoderModelCard.ts.
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { loadBackend } from '../sidecar/backend/loadBackend';
import { forwardFlops, parameterCount, SPECIAL_TOKENS, tensorSpecs, type EncoderConfig } from '../sidecar/reference/encoder/config';
import { encode, type Params } from '../sidecar/reference/encoder/encoder';
import { loadEncoder, type EncoderModelJson } from '../sidecar/reference/encoder/loader';
import { maskTokens, mlmLogits, mlmLoss, type MaskedBatch } from '../sidecar/reference/encoder/mlm';
import { initialValues } from '../sidecar/reference/encoder/init';
import { mulberry32 } from '../sidecar/reference/random';
import { trainBpe } from '../sidecar/reference/tokenizer';
import { encodeTensorFile } from '../sidecar/reference/weights/tensorFile';
import { FORMAT_VERSION } from '../sidecar/reference/encoder/config';
import { AdamW } from '../sidecar/reference/adamw';
import { loadEncoderCorpus, windows } from './train/encoderCorpus';
import { matMulGflops } from './train/matmulSpeed';

interface Args {
  vocabSize: number;
  maxLen: number;
  batchSize: number;
  lr: number;
  warmup: number;
  seed: number;
  timeBudgetS: number;
  maxSteps: number;
  evalInterval: number;
  evalBatches: number;
  out: string;
  measure: boolean;
  quick: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    vocabSize: 4096,
    maxLen: 128,
    batchSize: 16,
    lr: 1e-3,
    warmup: 300,
    seed: 5005,
    timeBudgetS: 3000,
    maxSteps: 0,
    evalInterval: 250,
    evalBatches: 6,
    out: resolve(__dirname, '..', '..', 'media', 'models', 'encoder'),
    measure: false,
    quick: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => Number(argv[++i]);
    if (k === '--max-steps') {
      a.maxSteps = next();
      a.timeBudgetS = 0;
    } else if (k === '--time-budget-s') a.timeBudgetS = next();
    else if (k === '--lr') a.lr = next();
    else if (k === '--warmup') a.warmup = next();
    else if (k === '--batch-size') a.batchSize = next();
    else if (k === '--seed') a.seed = next();
    else if (k === '--eval-interval') a.evalInterval = next();
    else if (k === '--out') a.out = resolve(argv[++i]);
    else if (k === '--measure') a.measure = true;
    else if (k === '--quick') a.quick = true;
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { tf, info } = await loadBackend('wasm');
  const log = (s: string) => console.log(s);
  log(`backend ${info.name}, tfjs ${info.tfjsVersion}, node ${info.nodeVersion}; args ${JSON.stringify(args)}`);

  // ── data and vocabulary ──
  const corpus = loadEncoderCorpus();
  const trainText = corpus.train.map((d) => d.text).join('\n\n');
  let t0 = performance.now();
  const tok = trainBpe(trainText, { vocabSize: args.vocabSize, specialTokens: [...SPECIAL_TOKENS] });
  const bpeSeconds = (performance.now() - t0) / 1000;
  const special = { pad: tok.specialTokens['[PAD]'], cls: tok.specialTokens['[CLS]'], sep: tok.specialTokens['[SEP]'], mask: tok.specialTokens['[MASK]'] };
  t0 = performance.now();
  const encodeDocs = (docs: { text: string }[]) => docs.map((d) => tok.encode(d.text, { disallowedSpecial: [] }));
  const trainDocs = encodeDocs(corpus.train);
  const valDocs = encodeDocs(corpus.validation);
  const trainTokens = trainDocs.reduce((n, d) => n + d.length, 0);
  const valTokens = valDocs.reduce((n, d) => n + d.length, 0);
  const cfg: EncoderConfig = { vocabSize: tok.vocabSize, maxLen: args.maxLen, nLayer: 2, nHead: 4, dModel: 128, dFf: 512 };
  const trainSeqs = windows(trainDocs, cfg.maxLen, special);
  const valSeqs = windows(valDocs, cfg.maxLen, special);
  log(`BPE ${tok.vocabSize} ids trained on ${trainText.length} characters in ${bpeSeconds.toFixed(1)} s; tokens: train ${trainTokens}, validation ${valTokens} (${((performance.now() - t0) / 1000).toFixed(1)} s to encode)`);
  log(`windows of ${cfg.maxLen}: train ${trainSeqs.length}, validation ${valSeqs.length}; config ${JSON.stringify(cfg)}, ${parameterCount(cfg)} parameters`);

  const specialIds = [special.pad, special.cls, special.sep, special.mask];
  const maskOpts = (rows: { length: number }[]) => ({ maskId: special.mask, vocabSize: cfg.vocabSize, specialIds, lengths: rows.map((r) => r.length) });
  const B = args.batchSize;
  const T = cfg.maxLen;

  // ── baselines on the same masked validation positions ──
  const counts = new Float64Array(cfg.vocabSize).fill(1); // add-1
  for (const d of trainDocs) for (const id of d) counts[id]++;
  for (const id of specialIds) counts[id] = 0;
  const countTotal = counts.reduce((a, b) => a + b, 0);
  let mostFrequent = 0;
  counts.forEach((c, i) => (c > counts[mostFrequent] ? (mostFrequent = i) : 0));

  // ── parameters, optimiser ──
  const init = initialValues(tensorSpecs(cfg), args.seed);
  const vars: Record<string, tfTypes.Variable> = {};
  for (const s of tensorSpecs(cfg)) vars[s.name] = tf.variable(tf.tensor(init[s.name], s.shape), true, `encoder/${s.name}`);
  const decays = new Set(tensorSpecs(cfg).filter((s) => s.shape.length >= 2).map((s) => s.name));
  const opt = new AdamW(tf, vars, decays, { beta1: 0.9, beta2: 0.999, eps: 1e-6, weightDecay: 0.01, gradClip: 1.0 });
  const params = vars as unknown as Params;

  const toTensors = (rows: { ids: number[]; length: number }[], m: MaskedBatch) => ({
    ids: tf.tensor2d(m.input, [rows.length, T], 'int32'),
    mask: tf.tensor2d(rows.map((r) => r.ids.map((_, t) => (t < r.length ? 1 : 0))), [rows.length, T], 'float32'),
    positions: tf.tensor1d(m.positions, 'int32'),
    targets: tf.tensor1d(m.targets, 'int32'),
  });

  /** MLM loss (mean over masked positions), correct predictions, and the masked count, without gradients. */
  const evaluate = (rows: { ids: number[]; length: number }[], m: MaskedBatch) =>
    tf.tidy(() => {
      const t = toTensors(rows, m);
      const logits = mlmLogits(tf, params, encode(tf, params, cfg, t.ids, t.mask).hidden, t.positions);
      const loss = mlmLoss(tf, logits, t.targets).dataSync()[0];
      const pred = tf.argMax(logits, 1).dataSync();
      let right = 0;
      m.targets.forEach((y, i) => (right += pred[i] === y ? 1 : 0));
      return { lossSum: loss * m.targets.length, right, n: m.targets.length };
    });

  /** Fixed evaluation sets: rows and masks drawn once from their own seeds. */
  const fixedSet = (seqs: typeof trainSeqs, nBatches: number, seed: number) => {
    const r = mulberry32(seed);
    const picked = Array.from({ length: Math.min(nBatches * B, seqs.length) }, () => seqs[Math.floor(r() * seqs.length)]);
    const batches = [];
    for (let i = 0; i < picked.length; i += B) {
      const rows = picked.slice(i, i + B);
      batches.push({ rows, m: maskTokens(rows.map((x) => x.ids), r, maskOpts(rows)) });
    }
    return batches;
  };
  const evalSets = { train: fixedSet(trainSeqs, args.evalBatches, args.seed + 11), validation: fixedSet(valSeqs, args.evalBatches, args.seed + 12) };
  const estimate = (set: { rows: typeof trainSeqs; m: MaskedBatch }[]) => {
    let loss = 0;
    let right = 0;
    let n = 0;
    for (const b of set) {
      const e = evaluate(b.rows, b.m);
      loss += e.lossSum;
      right += e.right;
      n += e.n;
    }
    return { loss: loss / n, accuracy: right / n };
  };

  // ── one training step ──
  const rand = mulberry32(args.seed + 1);
  let order: number[] = [];
  let cursor = 0;
  let epoch = 0;
  const nextRows = () => {
    if (cursor + B > order.length) {
      // A fresh seeded shuffle per epoch; masks are drawn per batch (dynamic masking, as RoBERTa).
      order = trainSeqs.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      cursor = 0;
      epoch++;
    }
    const rows = order.slice(cursor, cursor + B).map((i) => trainSeqs[i]);
    cursor += B;
    return rows;
  };
  const trainStep = (lr: number) => {
    const rows = nextRows();
    const m = maskTokens(rows.map((x) => x.ids), rand, maskOpts(rows));
    return tf.tidy(() => {
      const t = toTensors(rows, m);
      const { value, grads } = tf.variableGrads(() => mlmLoss(tf, mlmLogits(tf, params, encode(tf, params, cfg, t.ids, t.mask).hidden, t.positions), t.targets) as tfTypes.Scalar);
      const byName: Record<string, tfTypes.Tensor> = {};
      for (const [k, g] of Object.entries(grads)) byName[k.replace(/^encoder\//, '')] = g;
      const norm = opt.step(byName, lr);
      return { loss: value.dataSync()[0], norm, masked: m.targets.length };
    });
  };
  const meanMasked = Math.round(0.15 * (T - 2));
  const flopsPerStep = 3 * forwardFlops(cfg, B, T, B * meanMasked);

  /** Linear warm-up over `warmup` steps, then linear decay to 0 at the end of the budget (BERT's shape). */
  const learningRate = (step: number, progress: number) => (step < args.warmup ? (args.lr * step) / args.warmup : args.lr * Math.max(0, 1 - progress));

  const mm = () => ({ square512: matMulGflops(tf, 512, 512, 512, 10), ffnShaped: matMulGflops(tf, B * T, cfg.dModel, cfg.dFf, 10) });
  const mmSamples = [mm()];
  log(`plain tf.matMul: 512×512·512×512 ${mmSamples[0].square512.toFixed(2)} GFLOP/s, ${B * T}×${cfg.dModel}·${cfg.dModel}×${cfg.dFf} ${mmSamples[0].ffnShaped.toFixed(2)} GFLOP/s`);

  if (args.measure) {
    const times: number[] = [];
    for (let s = 0; s < 12; s++) {
      const start = performance.now();
      const r = trainStep(learningRate(s, 0));
      times.push(performance.now() - start);
      log(`step ${s}: loss ${r.loss.toFixed(4)}, grad norm ${r.norm.toFixed(3)}, ${times[s].toFixed(0)} ms, tensors ${tf.memory().numTensors}`);
    }
    const med = times.slice(2).sort((a, b) => a - b)[5];
    const after = mm();
    log(`median step ${med.toFixed(0)} ms: ${((B * T) / (med / 1000)).toFixed(0)} tokens/s, ${(flopsPerStep / (med / 1000) / 1e9).toFixed(2)} GFLOP/s; matMul after: ${after.square512.toFixed(2)} / ${after.ffnShaped.toFixed(2)} GFLOP/s`);
    return;
  }

  // ── training ──
  mkdirSync(args.out, { recursive: true });
  const csv = join(args.out, 'training-log.csv');
  writeFileSync(csv, 'step,epoch,train_mlm_loss,train_masked_acc,val_mlm_loss,val_masked_acc,lr,elapsed_s,train_tokens_per_s\n');
  const started = performance.now();
  let trainMs = 0;
  let warmupMs = 0;
  let lr = 0;
  let steps = 0;
  const progress = () =>
    args.timeBudgetS > 0 ? Math.max(0, (trainMs - warmupMs) / 1000 / (args.timeBudgetS - warmupMs / 1000)) : (steps - args.warmup) / Math.max(1, args.maxSteps - args.warmup);
  const evalAndLog = () => {
    const tr = estimate(evalSets.train);
    const va = estimate(evalSets.validation);
    const elapsed = (performance.now() - started) / 1000;
    const tps = (steps * B * T) / (trainMs / 1000 || 1);
    appendFileSync(csv, `${steps},${epoch},${tr.loss.toFixed(4)},${tr.accuracy.toFixed(4)},${va.loss.toFixed(4)},${va.accuracy.toFixed(4)},${lr.toExponential(3)},${elapsed.toFixed(1)},${tps.toFixed(0)}\n`);
    log(`step ${steps} (epoch ${epoch}): train loss ${tr.loss.toFixed(3)} acc ${(tr.accuracy * 100).toFixed(1)} %, val loss ${va.loss.toFixed(3)} acc ${(va.accuracy * 100).toFixed(1)} %, lr ${lr.toExponential(2)}, ${elapsed.toFixed(0)} s, ${tps.toFixed(0)} tokens/s`);
  };
  evalAndLog();
  const done = () => (args.timeBudgetS > 0 ? trainMs / 1000 >= args.timeBudgetS : steps >= args.maxSteps);
  let lastNorm = NaN;
  while (!done()) {
    if (steps === args.warmup) warmupMs = trainMs;
    lr = learningRate(steps, progress());
    const start = performance.now();
    const r = trainStep(lr);
    trainMs += performance.now() - start;
    steps++;
    lastNorm = r.norm;
    if (!Number.isFinite(r.loss)) throw new Error(`loss became ${r.loss} at step ${steps}`);
    if (steps % 50 === 0) log(`  step ${steps}: batch loss ${r.loss.toFixed(3)}, grad norm ${r.norm.toFixed(2)}, lr ${lr.toExponential(2)}, ${(trainMs / steps).toFixed(0)} ms/step`);
    if (steps % args.evalInterval === 0 || done()) {
      evalAndLog();
      mmSamples.push(mm());
      save({ checkpoint: true });
    }
  }
  const trainSeconds = trainMs / 1000;

  // ── final evaluation on every validation window, one fixed mask ──
  const finalRand = mulberry32(args.seed + 99);
  const finalRows = args.quick ? valSeqs.slice(0, 4 * B) : valSeqs;
  let lossSum = 0;
  let right = 0;
  let n = 0;
  let uniRight = 0;
  let uniNll = 0;
  for (let i = 0; i < finalRows.length; i += B) {
    const rows = finalRows.slice(i, i + B);
    const m = maskTokens(rows.map((x) => x.ids), finalRand, maskOpts(rows));
    const e = evaluate(rows, m);
    lossSum += e.lossSum;
    right += e.right;
    n += e.n;
    for (const y of m.targets) {
      uniRight += y === mostFrequent ? 1 : 0;
      uniNll -= Math.log(counts[y] / countTotal);
    }
  }
  mmSamples.push(mm());
  const mean = (k: 'square512' | 'ffnShaped') => mmSamples.reduce((s, x) => s + x[k], 0) / mmSamples.length;
  const achieved = (flopsPerStep * steps) / trainSeconds / 1e9;
  const summary = {
    steps,
    epochs: Number(((steps * B) / trainSeqs.length).toFixed(2)),
    batchSize: B,
    sequenceLength: T,
    schedule: args.timeBudgetS > 0 ? `time budget ${args.timeBudgetS} s of training steps: linear warm-up over ${args.warmup} steps, then linear decay to 0 on the fraction of the budget spent` : `max_steps ${args.maxSteps}: linear warm-up over ${args.warmup} steps, then linear decay to 0`,
    lr: { peak: args.lr, warmupSteps: args.warmup },
    optimizer: 'AdamW β1 0.9, β2 0.999, eps 1e-6, weight decay 0.01 on ≥2-D tensors, global grad-norm clip 1.0',
    masking: '15 % of the real non-special tokens per window (round, at least 1); of those 80 % [MASK], 10 % a random non-special token, 10 % unchanged; drawn anew for every batch',
    dropout: 0,
    seed: args.seed,
    lastGradNorm: Number(lastNorm.toFixed(3)),
    bpe: { vocabSize: tok.vocabSize, merges: tok.merges.length, trainSeconds: Number(bpeSeconds.toFixed(1)), charactersPerToken: Number((trainText.length / trainTokens).toFixed(2)) },
    windows: { train: trainSeqs.length, validation: valSeqs.length },
    final: {
      validationMaskedTokens: n,
      mlmLoss: Number((lossSum / n).toFixed(4)),
      maskedAccuracy: Number((right / n).toFixed(4)),
      unigramLoss: Number((uniNll / n).toFixed(4)),
      unigramAccuracy: Number((uniRight / n).toFixed(4)),
      unigramToken: tok.decode([mostFrequent]),
      how: `every validation window (${finalRows.length}), one seeded mask (seed ${args.seed + 99}); the unigram baseline predicts the most frequent training token and scores −ln p(token) with add-1 counts`,
    },
    trainSeconds: Number(trainSeconds.toFixed(1)),
    wallSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    tokensPerSecond: Math.round((steps * B * T) / trainSeconds),
    flopsPerStep,
    achievedGflops: Number(achieved.toFixed(3)),
    matmulGflops: {
      square512: Number(mean('square512').toFixed(3)),
      ffnShaped: Number(mean('ffnShaped').toFixed(3)),
      samples: mmSamples.map((x) => [Number(x.square512.toFixed(2)), Number(x.ffnShaped.toFixed(2))]),
    },
    utilisation: { square512: Number((achieved / mean('square512')).toFixed(4)), ffnShaped: Number((achieved / mean('ffnShaped')).toFixed(4)) },
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, tfjs ${info.tfjsVersion} wasm (SIMD, 1 thread), shared with other jobs`,
  };
  save(summary);
  const back = loadEncoder(args.out); // what ships must load
  log(`saved ${back.meta.weightsBytes} bytes to ${args.out}`);
  log(JSON.stringify(summary, null, 2));

  function save(training: Record<string, unknown>): void {
    const values: Record<string, Float32Array> = {};
    for (const s of tensorSpecs(cfg)) values[s.name] = vars[s.name].dataSync() as Float32Array;
    const { header, bin } = encodeTensorFile(tensorSpecs(cfg), values, FORMAT_VERSION);
    const json: EncoderModelJson = {
      ...header,
      config: cfg,
      tokenizer: tok.toJSON(),
      corpus: { sources: corpus.sources, split: corpus.split, trainTokens, validationTokens: valTokens },
      trainedSteps: steps,
      training,
    };
    writeFileSync(join(args.out, 'weights.bin.tmp'), bin);
    writeFileSync(join(args.out, 'model.json.tmp'), JSON.stringify(json) + '\n');
    renameSync(join(args.out, 'weights.bin.tmp'), join(args.out, 'weights.bin'));
    renameSync(join(args.out, 'model.json.tmp'), join(args.out, 'model.json'));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
