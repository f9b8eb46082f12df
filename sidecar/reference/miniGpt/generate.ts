// Greedy and sampled generation, with the KV cache and without it (a full forward pass on
// the current window every step). Both use the same window policy (kvCache.ts), so with the
// same inputs they produce the same characters.
// Each step draws with Lab 6's decoding references (decoding/decodingRef.ts).
import { applyTemperatureRef, greedyRef, sampleFromRef } from '../decoding/decodingRef';
import { contextLength, KvCacheSession } from './kvCache';
import type { MiniGpt } from './model';

/** softmax(logits / temperature) sampling; temperature ≤ 0 means greedy. */
export function sampleFrom(logits: ArrayLike<number>, temperature: number, rand: () => number): number {
  return temperature <= 0 ? greedyRef(logits) : sampleFromRef(applyTemperatureRef(logits, temperature), rand);
}

export interface GenerateOptions {
  /** Window policy, see KvCacheSession; default blockSize / 2. */
  keep?: number;
  temperature?: number;
  rand?: () => number;
}

/** Continues `prompt` (ids) by n tokens using a KvCacheSession; returns the new ids. */
export function generateCached(model: MiniGpt, prompt: number[], n: number, opts: GenerateOptions = {}): number[] {
  const s = new KvCacheSession(model, { keep: opts.keep });
  try {
    let logits = s.feed(prompt);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const next = sampleFrom(logits, opts.temperature ?? 0, opts.rand ?? Math.random);
      out.push(next);
      if (i < n - 1) logits = s.step(next);
    }
    return out;
  } finally {
    s.dispose();
  }
}

/**
 * The same without a cache: each step runs model.forward on the window the cached session
 * would hold (contextLength) and reads its last row.
 */
export function generateUncached(model: MiniGpt, prompt: number[], n: number, opts: GenerateOptions = {}): number[] {
  const T = model.config.blockSize;
  const keep = opts.keep ?? Math.floor(T / 2);
  const ids = [...prompt];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const window = ids.slice(ids.length - contextLength(ids.length, T, keep));
    const { logits } = model.forward(window);
    const last = model.tf.tidy(() => model.tf.slice(logits, [window.length - 1, 0], [1, model.config.vocabSize]).dataSync());
    logits.dispose();
    const next = sampleFrom(last, opts.temperature ?? 0, opts.rand ?? Math.random);
    out.push(next);
    ids.push(next);
  }
  return out;
}

/** Text in, text out (greedy unless a temperature is given). */
export function generateText(model: MiniGpt, prompt: string, n: number, opts: GenerateOptions = {}): string {
  return model.tokenizer.decode(generateCached(model, model.tokenizer.encode(prompt), n, opts));
}
