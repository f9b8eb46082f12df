// The shape of the BERT-style encoder shipped in media/models/encoder, and the names and
// shapes of its tensors in weights.bin (format shared with the mini-GPT: ../weights/tensorFile.ts).
import { sizeOf, type TensorSpec } from '../weights/tensorFile';

export interface EncoderConfig {
  /** BPE vocabulary including the special tokens (V). */
  vocabSize: number;
  /** Longest sequence the learned position table covers (T_max), [CLS] and [SEP] included. */
  maxLen: number;
  nLayer: number;
  nHead: number;
  /** Width of the residual stream (C); a multiple of nHead. */
  dModel: number;
  /** Hidden width of the feed-forward network (BERT: 4·C). */
  dFf: number;
}

/** The file format version written to model.json; bump when the layout changes. */
export const FORMAT_VERSION = 1;

/** BERT's special tokens. Byte-level BPE can spell any text, so there is no [UNK]. */
export const SPECIAL_TOKENS = ['[PAD]', '[CLS]', '[SEP]', '[MASK]'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

/**
 * Every pretrained tensor in file order. Linear weights are [in, out] (x · W). The MLM output
 * layer is tied to tok_emb (logits = h · tok_embᵀ + mlm.bias); the classification head is not
 * here: fine-tuning creates it fresh.
 */
export function tensorSpecs(c: EncoderConfig): TensorSpec[] {
  const C = c.dModel;
  const specs: TensorSpec[] = [
    { name: 'tok_emb', shape: [c.vocabSize, C] },
    { name: 'pos_emb', shape: [c.maxLen, C] },
    { name: 'emb_ln.gamma', shape: [C] },
    { name: 'emb_ln.beta', shape: [C] },
  ];
  for (let i = 0; i < c.nLayer; i++) {
    const p = `layers.${i}.`;
    specs.push(
      { name: p + 'attn.wq', shape: [C, C] },
      { name: p + 'attn.wk', shape: [C, C] },
      { name: p + 'attn.wv', shape: [C, C] },
      { name: p + 'attn.wo', shape: [C, C] },
      { name: p + 'ln1.gamma', shape: [C] },
      { name: p + 'ln1.beta', shape: [C] },
      { name: p + 'ffn.w1', shape: [C, c.dFf] },
      { name: p + 'ffn.b1', shape: [c.dFf] },
      { name: p + 'ffn.w2', shape: [c.dFf, C] },
      { name: p + 'ffn.b2', shape: [C] },
      { name: p + 'ln2.gamma', shape: [C] },
      { name: p + 'ln2.beta', shape: [C] },
    );
  }
  specs.push(
    { name: 'mlm.dense.w', shape: [C, C] },
    { name: 'mlm.dense.b', shape: [C] },
    { name: 'mlm.ln.gamma', shape: [C] },
    { name: 'mlm.ln.beta', shape: [C] },
    { name: 'mlm.bias', shape: [c.vocabSize] },
  );
  return specs;
}

/** Total number of pretrained parameters (the tied MLM output is counted once, in tok_emb). */
export function parameterCount(c: EncoderConfig): number {
  return tensorSpecs(c).reduce((n, s) => n + sizeOf(s.shape), 0);
}

/** Names of the tensors that belong to the encoder body (everything fine-tuning keeps). */
export function isMlmHead(name: string): boolean {
  return name.startsWith('mlm.');
}

/**
 * Matmul FLOPs of one forward pass over B sequences of T positions, with M masked positions
 * through the MLM head (0 when fine-tuning). Forward + backward ≈ 3 × this.
 */
export function forwardFlops(c: EncoderConfig, B: number, T: number, M = 0): number {
  const N = B * T;
  const hd = c.dModel / c.nHead;
  const perLayer = 2 * N * 4 * c.dModel * c.dModel + 2 * N * 2 * c.dModel * c.dFf + B * c.nHead * 2 * 2 * T * T * hd;
  return c.nLayer * perLayer + M * (2 * c.dModel * c.dModel + 2 * c.dModel * c.vocabSize);
}
