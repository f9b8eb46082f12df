// BERT's initialisation (Devlin et al. 2018's code: truncated N(0, 0.02)); here a plain
// N(0, 0.02) for every matrix and embedding, zero biases, LayerNorm γ = 1 and β = 0. Used to
// start pretraining and for Lab 5's "same encoder from random initialisation".
import { mulberry32, normal } from '../random';
import type { TensorSpec } from '../weights/tensorFile';

export const INIT_STD = 0.02;

export function initialValues(specs: TensorSpec[], seed: number): Record<string, Float32Array> {
  const randn = normal(mulberry32(seed));
  const out: Record<string, Float32Array> = {};
  for (const s of specs) {
    const v = new Float32Array(s.shape.reduce((x, y) => x * y, 1));
    if (s.name.endsWith('.gamma')) v.fill(1);
    else if (s.shape.length === 1) v.fill(0);
    else for (let j = 0; j < v.length; j++) v[j] = randn() * INIT_STD;
    out[s.name] = v;
  }
  return out;
}
