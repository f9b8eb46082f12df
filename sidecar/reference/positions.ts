// Seeded token embeddings plus sinusoidal positions (positionalEncodings.ts):
// until a trained model ships, the attention panel builds its Q/K/V from these.
import { sinusoidalRef } from './positionalEncodings';
import { hashString, mulberry32, normal, randomMatrix } from './random';

/** A fixed random vector per distinct token (case-insensitive), [d]. */
export function tokenEmbedding(token: string, d: number): number[] {
  const n = normal(mulberry32(hashString(token.toLowerCase())));
  return Array.from({ length: d }, () => n());
}

/** Embedding + position for each token: [n][d]. */
export function embedTokens(tokens: string[], d: number): number[][] {
  const pe = sinusoidalRef(tokens.length, d);
  return tokens.map((t, i) => tokenEmbedding(t, d).map((x, j) => x + pe[i][j]));
}

/** Seeded projection matrices [d][d] scaled by 1/sqrt(d), as a freshly initialised layer. */
export function seededProjections(seed: number, d: number): { wq: number[][]; wk: number[][]; wv: number[][]; wo: number[][] } {
  const rand = mulberry32(seed);
  const s = 1 / Math.sqrt(d);
  return { wq: randomMatrix(rand, d, d, s), wk: randomMatrix(rand, d, d, s), wv: randomMatrix(rand, d, d, s), wo: randomMatrix(rand, d, d, s) };
}

/** Splits a sentence into word and punctuation tokens. */
export function tokenize(sentence: string): string[] {
  return sentence.match(/[A-Za-z0-9']+|[^\sA-Za-z0-9']/g) ?? [];
}
