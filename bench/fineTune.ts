// Lab 5's fine-tuning as the training panel runs it (fineTuneRun from the lab's check module,
// with the reference solution as the learner's code, in this process on the wasm backend): the
// whole run's time, training examples per second, and the training steps' matmul throughput as
// a fraction of plain tf.matMul measured in the same run.
//   node out/bench/fineTune.js      (or as part of npm run bench)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { CheckContext, Tf } from '../core/checks/checkApi';
import { findBuildPaths } from '../core/compute/paths';
import type { FineTuneInput, TrainingProgress, TrainingResult } from '../core/protocol/views/trainingView';
import { loadBackend } from '../sidecar/backend/loadBackend';
import * as helpers from '../sidecar/learner/helpers';
import { forwardFlops } from '../sidecar/reference/encoder/config';
import { shippedEncoder } from '../sidecar/reference/encoder/shipped';
import { createCheckContext } from '../sidecar/runner/checkContext';
import { Sandbox } from '../sidecar/runner/sandbox';
import { transpile } from '../sidecar/runner/transpile';
import { matMulGflops } from '../scripts/train/matmulSpeed';
import { BenchRow, printTable } from './stats';

const LAB = '05-bert-fine-tuning';
type RunFn = (ctx: CheckContext, input: FineTuneInput, hooks: { progress(p: TrainingProgress): void; aborted(): boolean }) => Promise<TrainingResult>;

function solutionContext(): CheckContext {
  const paths = findBuildPaths(__dirname);
  const dir = join(paths.labsRoot, LAB);
  const manifest = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as { files: { path: string; solution: string }[] };
  const { files } = transpile(manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(dir, f.solution), 'utf8') })));
  return createCheckContext(tf as unknown as Tf, new Sandbox(files, { tf, helpers, log: () => undefined }));
}

export async function fineTuneBench(): Promise<BenchRow[]> {
  await loadBackend('wasm');
  const mod = require(join(findBuildPaths(__dirname).labsDist, LAB, 'checks.js')) as { fineTuneRun: RunFn; PANEL_RUN: FineTuneInput; FROZEN_PANEL_RUN: FineTuneInput };
  const cfg = shippedEncoder().config;
  const rows: BenchRow[] = [];
  for (const [label, input] of [
    ['full fine-tuning', mod.PANEL_RUN],
    ['frozen encoder', mod.FROZEN_PANEL_RUN],
  ] as const) {
    const B = input.batchSize ?? 16;
    const mm = () => ({ square: matMulGflops(tf, 512, 512, 512, 10), ffn: matMulGflops(tf, B * input.seqLen, cfg.dModel, cfg.dFf, 10) });
    const before = mm();
    const t0 = performance.now();
    const r = await mod.fineTuneRun(solutionContext(), input, { progress: () => undefined, aborted: () => false });
    const totalS = (performance.now() - t0) / 1000;
    const after = mm();
    const flops = r.steps.reduce((s, p) => s + 3 * forwardFlops(cfg, B, p.paddedTokens / B), 0);
    const gflops = flops / (r.timing.trainMs / 1000) / 1e9;
    const square = (before.square + after.square) / 2;
    const ffn = (before.ffn + after.ffn) / 2;
    const what = `${input.subset} messages × ${input.epochs} epochs, ${input.seqLen} tokens, batch ${B}, ${input.validationSize} validation × ${r.evals.length} evaluations`;
    rows.push(
      { measure: `Lab 5 fine-tuning run, ${label} (${what})`, value: `${totalS.toFixed(1)} s, spam F1 ${r.final!.perClass[1].f1.toFixed(3)}`, target: '≤ 120 s', ok: totalS <= 120 },
      {
        measure: input.freezeEncoder
          ? `  head-training examples per second (${r.steps.length} steps on encoder outputs computed once, inside the run's time)`
          : `  training examples per second (${r.steps.length} steps, forward + backward through the encoder)`,
        value: `${r.timing.examplesPerSecond.toFixed(1)} /s`,
        target: '',
        ok: true,
      },
    );
    if (!input.freezeEncoder) {
      rows.push({
        measure: '  training-step matmul throughput vs plain tf.matMul (512², FFN-shaped)',
        value: `${gflops.toFixed(2)} GFLOP/s = ${((100 * gflops) / square).toFixed(0)} % / ${((100 * gflops) / ffn).toFixed(0)} % of ${square.toFixed(1)} / ${ffn.toFixed(1)}`,
        target: '',
        ok: true,
      });
    }
  }
  return rows;
}

if (require.main === module) {
  fineTuneBench().then(printTable, (err) => {
    console.error(err);
    process.exit(1);
  });
}
