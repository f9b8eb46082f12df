// The shape of the character-level GPT shipped in media/models/mini-gpt (nanoGPT's names).
import { sizeOf, type TensorSpec } from '../weights/tensorFile';

export interface MiniGptConfig {
  /** Distinct characters in the corpus (V). */
  vocabSize: number;
  /** Longest context the learned position table covers (T): positions 0..blockSize-1. */
  blockSize: number;
  nLayer: number;
  nHead: number;
  /** Width of the residual stream (C); must be a multiple of nHead. */
  nEmbd: number;
}

/** LayerNorm epsilon, as PyTorch's nn.LayerNorm default and GPT-2. */
export const LN_EPS = 1e-5;

/** The file format version written to model.json; bump when the layout changes. */
export const FORMAT_VERSION = 1;


export { sizeOf, type TensorSpec };

/**
 * Every tensor of the model in file order, with nanoGPT's names and shapes.
 * Linear weights are stored [in, out] (x · W), unlike PyTorch's [out, in].
 * There is no lm_head tensor: it is tied to wte (logits = x · wteᵀ).
 */
export function tensorSpecs(c: MiniGptConfig): TensorSpec[] {
  const C = c.nEmbd;
  const specs: TensorSpec[] = [
    { name: 'wte', shape: [c.vocabSize, C] },
    { name: 'wpe', shape: [c.blockSize, C] },
  ];
  for (let i = 0; i < c.nLayer; i++) {
    const p = `h.${i}.`;
    specs.push(
      { name: p + 'ln_1.weight', shape: [C] },
      { name: p + 'ln_1.bias', shape: [C] },
      { name: p + 'attn.c_attn.weight', shape: [C, 3 * C] },
      { name: p + 'attn.c_attn.bias', shape: [3 * C] },
      { name: p + 'attn.c_proj.weight', shape: [C, C] },
      { name: p + 'attn.c_proj.bias', shape: [C] },
      { name: p + 'ln_2.weight', shape: [C] },
      { name: p + 'ln_2.bias', shape: [C] },
      { name: p + 'mlp.c_fc.weight', shape: [C, 4 * C] },
      { name: p + 'mlp.c_fc.bias', shape: [4 * C] },
      { name: p + 'mlp.c_proj.weight', shape: [4 * C, C] },
      { name: p + 'mlp.c_proj.bias', shape: [C] },
    );
  }
  specs.push({ name: 'ln_f.weight', shape: [C] }, { name: 'ln_f.bias', shape: [C] });
  return specs;
}

/** Total number of parameters (lm_head is tied, so not counted twice). */
export function parameterCount(c: MiniGptConfig): number {
  return tensorSpecs(c).reduce((n, s) => n + sizeOf(s.shape), 0);
}
