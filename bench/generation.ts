// Generation speed of the shipped mini GPT on the wasm backend, measured in one run: load time,
// 256 greedy characters with and without the KV cache, and a width-4 beam search.
//   node out/bench/generation.js      (or as part of npm run bench)
import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../sidecar/backend/loadBackend';
import { beamSearch } from '../sidecar/reference/miniGpt/beam';
import { generateCached, generateUncached } from '../sidecar/reference/miniGpt/generate';
import { findModelDir, loadMiniGpt } from '../sidecar/reference/miniGpt/loader';
import { MiniGpt } from '../sidecar/reference/miniGpt/model';
import { BenchRow, percentile, printTable } from './stats';

const PROMPT = 'Call me Ishmael. ';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

export async function generationBench(): Promise<BenchRow[]> {
  await loadBackend('wasm');
  const dir = findModelDir(__dirname);
  // Load: read + validate (sha256, finite values) + upload to tensors; median of 5.
  const loads: number[] = [];
  let model: MiniGpt | undefined;
  for (let i = 0; i < 5; i++) {
    model?.dispose();
    const t = timed(() => new MiniGpt(tf, loadMiniGpt(dir)));
    loads.push(t.ms);
    model = t.value;
  }
  const m = model!;
  const prompt = m.tokenizer.encode(PROMPT);
  generateCached(m, prompt, 70); // warm-up: compile every kernel shape once
  generateUncached(m, prompt, 70);

  const N = 256;
  const cached = timed(() => generateCached(m, prompt, N));
  const uncached = timed(() => generateUncached(m, prompt, N));
  if (m.tokenizer.decode(cached.value) !== m.tokenizer.decode(uncached.value)) throw new Error('cached and uncached greedy generation disagree');
  // nanoGPT's exact crop (keep = blockSize − 1): rebuilt every token once the window is full.
  const exact = timed(() => generateCached(m, prompt, N, { keep: m.config.blockSize - 1 }));
  const speedup = uncached.ms / cached.ms;
  const charsPerS = (N / cached.ms) * 1000;

  const beams: number[] = [];
  for (let i = 0; i < 3; i++) beams.push(timed(() => beamSearch(m, prompt, { width: 4, length: 100 })).ms);
  const beamMs = percentile(beams, 50);
  m.dispose();

  const loadMs = percentile(loads, 50);
  return [
    { measure: 'mini-gpt load (read, sha256, validate, to tensors), median of 5', value: `${loadMs.toFixed(0)} ms`, target: '< 1000 ms', ok: loadMs < 1000 },
    { measure: `greedy ${N} chars: KV cache vs none (same output)`, value: `${cached.ms.toFixed(0)} vs ${uncached.ms.toFixed(0)} ms = ${speedup.toFixed(1)}×`, target: '≥ 5× faster', ok: speedup >= 5 },
    { measure: `greedy ${N} chars with the KV cache`, value: `${charsPerS.toFixed(0)} chars/s`, target: '≥ 300 chars/s', ok: charsPerS >= 300 },
    { measure: `  same, nanoGPT's exact crop (rebuild every char past 64)`, value: `${((N / exact.ms) * 1000).toFixed(0)} chars/s`, target: '(for comparison)', ok: true },
    { measure: 'beam search width 4, 100 chars (KvCacheSession.clone), median of 3', value: `${beamMs.toFixed(0)} ms`, target: '< 1000 ms', ok: beamMs < 1000 },
  ];
}

if (require.main === module) {
  generationBench().then(printTable, (err) => {
    console.error(err);
    process.exit(1);
  });
}
