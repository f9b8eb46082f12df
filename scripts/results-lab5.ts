// Lab 5's experiment on the full split, rerunnable by anyone: the pretrained encoder fine-tuned,
// the same encoder from random initialisation fine-tuned the same way, and a bag-of-words
// logistic regression — all labelled training messages, and a small labelled subset (several
// seeds). Scores on the TEST split (882 messages), per class, with hard ham separately.
//
//   npm run results:lab5            # = tsc -p . && nice -n 10 node out/scripts/results-lab5.js
//   node out/scripts/results-lab5.js --quick     # a smoke run of every row on tiny settings
//
// Writes labs/05-bert-fine-tuning/results.json and the table between the results markers of
// labs/05-bert-fine-tuning/INSTRUCTIONS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { FineTuneInput, TrainingResult } from '../core/protocol/views/trainingView';
import { loadBackend } from '../sidecar/backend/loadBackend';
import { BOW_DEFAULTS, trainBagOfWords } from '../sidecar/reference/encoder/bagOfWords';
import { fineTune, referenceParts, stratifiedSample } from '../sidecar/reference/encoder/finetune';
import { findEncoderDir, loadEncoder } from '../sidecar/reference/encoder/loader';
import { classificationMetricsRef, confusionMatrixRef } from '../sidecar/reference/encoder/metrics';
import { findSpamDataDir, readSpamData, type SpamExample } from '../sidecar/reference/encoder/spamData';

const LAB_DIR = resolve(__dirname, '..', '..', 'labs', '05-bert-fine-tuning');
const START = '<!-- results:start (written by npm run results:lab5) -->';
const END = '<!-- results:end -->';

export interface Row {
  model: string;
  labelled: number;
  seeds: number[];
  accuracy: number[];
  spamPrecision: number[];
  spamRecall: number[];
  spamF1: number[];
  hamF1: number[];
  /** Hard ham messages of the test split classified as ham. */
  hardHamCorrect: number[];
  hardHamTotal: number;
  minutes: number;
}

type Scores = Pick<Row, 'hardHamTotal'> & Record<'accuracy' | 'spamPrecision' | 'spamRecall' | 'spamF1' | 'hamF1' | 'hardHamCorrect', number>;

function scoresOf(m: { accuracy: number; perClass: { precision: number; recall: number; f1: number }[] }, hardHamCorrect: number, hardHamTotal: number): Scores {
  const [ham, spam] = m.perClass;
  return { accuracy: m.accuracy, spamPrecision: spam.precision, spamRecall: spam.recall, spamF1: spam.f1, hamF1: ham.f1, hardHamCorrect, hardHamTotal };
}

/** Scores of 0/1 predictions on the test messages. */
function scores(predicted: number[], test: SpamExample[]): Scores {
  const hard = test.flatMap((e, i) => (e.group === 'hard-ham' ? [predicted[i] === 0 ? 1 : 0] : []));
  return scoresOf(classificationMetricsRef(confusionMatrixRef(predicted, test.map((e) => e.label), 2)), hard.reduce((a, b) => a + b, 0), hard.length);
}

function addTo(row: Row, s: Scores): void {
  row.accuracy.push(s.accuracy);
  row.spamPrecision.push(s.spamPrecision);
  row.spamRecall.push(s.spamRecall);
  row.spamF1.push(s.spamF1);
  row.hamF1.push(s.hamF1);
  row.hardHamCorrect.push(s.hardHamCorrect);
  row.hardHamTotal = s.hardHamTotal;
}

const emptyRow = (model: string, labelled: number): Row => ({
  model,
  labelled,
  seeds: [],
  accuracy: [],
  spamPrecision: [],
  spamRecall: [],
  spamF1: [],
  hamF1: [],
  hardHamCorrect: [],
  hardHamTotal: 0,
  minutes: 0,
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cell = (xs: number[], digits = 3) =>
  xs.length === 1 ? xs[0].toFixed(digits) : `${mean(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

export function table(rows: Row[]): string {
  const lines = [
    '| model | labelled training messages | accuracy | spam precision | spam recall | spam F1 | ham F1 | hard ham kept as ham |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const hard = r.hardHamCorrect.length === 1 ? `${r.hardHamCorrect[0]} / ${r.hardHamTotal}` : `${mean(r.hardHamCorrect).toFixed(1)} / ${r.hardHamTotal} (${Math.min(...r.hardHamCorrect)}–${Math.max(...r.hardHamCorrect)})`;
    lines.push(`| ${r.model} | ${r.labelled.toLocaleString('en-US')}${r.seeds.length > 1 ? ` (${r.seeds.length} seeds)` : ''} | ${cell(r.accuracy)} | ${cell(r.spamPrecision)} | ${cell(r.spamRecall)} | ${cell(r.spamF1)} | ${cell(r.hamF1)} | ${hard} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const { tf, info } = await loadBackend('wasm');
  const encoder = loadEncoder(findEncoderDir(__dirname));
  const { splits } = readSpamData(findSpamDataDir(__dirname));
  const test = quick ? stratifiedSample(splits.test, 64, 1) : splits.test;
  const train = splits.train;
  const log = (s: string) => console.log(s);
  const subsetSize = quick ? 32 : 100;
  const subsetSeeds = quick ? [1] : [1, 2, 3];
  const full = quick ? 64 : train.length;
  const encoderRuns: { name: string; input: Omit<FineTuneInput, 'subset' | 'seed'>; fullEpochs: number; subsetEpochs: number }[] = [
    { name: 'pretrained encoder, fine-tuned (all weights)', input: { seqLen: 128, epochs: 0, lr: 3e-4, freezeEncoder: false, init: 'pretrained', pooling: 'cls', batchSize: 16 }, fullEpochs: 2, subsetEpochs: 10 },
    { name: 'same encoder from random initialisation, fine-tuned the same way', input: { seqLen: 128, epochs: 0, lr: 3e-4, freezeEncoder: false, init: 'random', pooling: 'cls', batchSize: 16 }, fullEpochs: 2, subsetEpochs: 10 },
    { name: 'pretrained encoder frozen, head on the mean of its outputs', input: { seqLen: 128, epochs: 0, lr: 0.05, freezeEncoder: true, init: 'pretrained', pooling: 'mean', batchSize: 128 }, fullEpochs: 20, subsetEpochs: 40 },
  ];
  const rows: Row[] = [];
  const started = performance.now();

  const runEncoder = async (name: string, input: FineTuneInput): Promise<Scores> => {
    const t0 = performance.now();
    // Evaluate on the test split only at the end: evalEvery = every step would cost a test pass each.
    const r: TrainingResult = await fineTune(
      tf,
      encoder,
      { train, validation: test },
      { ...input, validationSize: test.length, evalEvery: 1e9 },
      referenceParts(tf),
      { progress: (p) => (p.kind === 'step' && (p.step + 1) % 100 === 0 ? log(`    step ${p.step + 1}/${p.totalSteps}: loss ${p.loss.toFixed(3)}, lr ${p.lr.toExponential(2)}`) : undefined), aborted: () => false },
      { evaluateBefore: false },
    );
    const s = r.final!;
    const c = r.confusion!;
    log(`  ${name} (${input.subset} messages, seed ${input.seed}): accuracy ${s.accuracy.toFixed(4)}, spam F1 ${s.perClass[1].f1.toFixed(4)}, hard ham ${s.hardHamAccuracy.toFixed(3)}, confusion ${JSON.stringify(c)}, ${((performance.now() - t0) / 60000).toFixed(1)} min`);
    const hardTotal = test.filter((e) => e.group === 'hard-ham').length;
    return scoresOf(s, Math.round(s.hardHamAccuracy * hardTotal), hardTotal);
  };

  for (const [labelled, seeds] of [[full, [1]], [subsetSize, subsetSeeds]] as const) {
    log(`── ${labelled} labelled messages ──`);
    const bow = emptyRow('bag-of-words logistic regression', labelled);
    let t0 = performance.now();
    for (const seed of seeds) {
      const sample = stratifiedSample(train, labelled, seed);
      const m = trainBagOfWords(sample.map((e) => e.text), sample.map((e) => e.label), { ...BOW_DEFAULTS, seed });
      addTo(bow, scores(test.map((e) => (m.probability(e.text) >= 0.5 ? 1 : 0)), test));
      bow.seeds.push(seed);
    }
    bow.minutes = (performance.now() - t0) / 60000;
    log(`  bag of words: accuracy ${cell(bow.accuracy, 4)}, spam F1 ${cell(bow.spamF1, 4)}`);
    const encoderRows: Row[] = [];
    for (const run of encoderRuns) {
      const row = emptyRow(run.name, labelled);
      t0 = performance.now();
      for (const seed of seeds) {
        const epochs = quick ? 1 : labelled === full ? run.fullEpochs : run.subsetEpochs;
        addTo(row, await runEncoder(run.name, { ...run.input, epochs, subset: labelled, seed, seqLen: quick ? 32 : run.input.seqLen }));
        row.seeds.push(seed);
      }
      row.minutes = (performance.now() - t0) / 60000;
      encoderRows.push(row);
    }
    rows.push(...encoderRows, bow);
  }

  const settings = encoderRuns.map((r) => `${r.name}: ${r.input.freezeEncoder ? 'only the head trains' : 'all weights train'}, lr ${r.input.lr} peak (10 % warm-up, linear decay), batch ${r.input.batchSize}, ${r.input.seqLen} tokens, ${r.input.pooling === 'mean' ? 'mean pooling' : '[CLS] vector'}, ${r.fullEpochs} epochs on all messages and ${r.subsetEpochs} on the subset`);
  const result = {
    quick,
    testMessages: test.length,
    rows,
    settings,
    bagOfWords: `binary word features (words in ≥ 2 training messages; URLs and numbers as one token each), L2 ${BOW_DEFAULTS.l2}, AdaGrad lr ${BOW_DEFAULTS.lr}, ${BOW_DEFAULTS.epochs} epochs`,
    encoder: `${encoder.config.nLayer} layers, width ${encoder.config.dModel}, weights sha256 ${encoder.meta.weightsSha256.slice(0, 12)}…`,
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, tfjs ${info.tfjsVersion} wasm`,
    minutes: Number(((performance.now() - started) / 60000).toFixed(1)),
  };
  const md = table(rows);
  log('\n' + md);
  if (quick) return;
  writeFileSync(join(LAB_DIR, 'results.json'), JSON.stringify(result, null, 1) + '\n');
  const instructions = join(LAB_DIR, 'INSTRUCTIONS.md');
  const text = readFileSync(instructions, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${instructions} has no results markers`);
  const block = `${START}\nTest split: ${test.length} messages (${result.rows[0].hardHamTotal} hard ham). ${result.encoder}. Ranges are over the seeds of the subset runs.\n\n${md}\n\n${settings.map((s) => `- ${s}.`).join('\n')}\n- Bag of words: ${result.bagOfWords}.\n- ${result.machine}; ${result.minutes} min in all.\n`;
  writeFileSync(instructions, text.slice(0, a) + block + text.slice(b));
  log(`wrote ${join(LAB_DIR, 'results.json')} and the table in INSTRUCTIONS.md`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
