// Lab 4's reference tokenizer, measured in one run: training 1 MB of Moby-Dick to 4,096 tokens,
// loading GPT-2 from js-tiktoken's ranks, and encoding all of Moby-Dick with GPT-2's merges
// beside js-tiktoken itself (same text, same process, alternating runs).
//   node out/bench/tokenizer.js      (or as part of npm run bench)
import { Tiktoken } from 'js-tiktoken/lite';
import { loadCorpus } from '../scripts/train/corpus';
import { gpt2Tokenizer } from '../sidecar/reference/tokenizer/gpt2';
import { BpeTokenizer } from '../sidecar/reference/tokenizer/tokenizer';
import { trainBpe } from '../sidecar/reference/tokenizer/trainer';
import { BenchRow, percentile, printTable } from './stats';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

export function tokenizerBench(): BenchRow[] {
  const moby = loadCorpus().text;
  const mb = Buffer.byteLength(moby) / 1e6;

  // Training: the first 1,000,000 characters, 3 runs, median.
  const text = moby.slice(0, 1_000_000);
  const trainMs = [0, 1, 2].map(() => timed(() => trainBpe(text, { vocabSize: 4096 })).ms);
  const train = percentile(trainMs, 50);

  const load = timed(() => gpt2Tokenizer());
  const g = load.value;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ranks = require('js-tiktoken/ranks/gpt2');
  const jsLoad = timed(() => new Tiktoken(ranks));
  const jt = jsLoad.value;

  // Encoding: a fresh reference tokenizer per run, so its piece cache starts empty (js-tiktoken has none).
  const spec = { byteIds: g.byteIds, merges: g.merges, specialTokens: g.specialTokens };
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const fresh = new BpeTokenizer(spec);
    ours.push(timed(() => fresh.encode(moby)).ms);
    theirs.push(timed(() => jt.encode(moby)).ms);
  }
  const oursMbs = mb / (percentile(ours, 50) / 1000);
  const theirsMbs = mb / (percentile(theirs, 50) / 1000);
  const ratio = oursMbs / theirsMbs;
  return [
    { measure: 'Lab 4 reference trainer, 1 MB of Moby-Dick → 4,096 tokens (median of 3)', value: `${(train / 1000).toFixed(2)} s`, target: '≤ 3 s', ok: train <= 3000 },
    { measure: 'GPT-2 from js-tiktoken\'s ranks: reference load / js-tiktoken load', value: `${load.ms.toFixed(0)} ms / ${jsLoad.ms.toFixed(0)} ms`, target: '', ok: true },
    {
      measure: `GPT-2 encoding of Moby-Dick (${mb.toFixed(2)} MB), reference vs js-tiktoken (median of 3)`,
      value: `${oursMbs.toFixed(1)} vs ${theirsMbs.toFixed(1)} MB/s (${ratio.toFixed(1)}×)`,
      target: '≥ 1× js-tiktoken',
      ok: ratio >= 1,
    },
  ];
}

if (require.main === module) printTable(tokenizerBench());
