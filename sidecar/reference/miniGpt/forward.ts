// The GPT's forward pass on one sequence, over the layers in layers.ts: the one Lab 6's checks
// and panels compare the learner with, and the one the shipped model (MiniGpt) runs.
import type { MiniGptConfig } from './config';
import { blockRef, embed, expectShape, head, type AttentionFn, type Params, type Tensor, type Tf } from './layers';

export interface GptForwardOptions {
  /** Replaces the attention of every head of every layer; default the course's attentionRef. */
  attention?: AttentionFn;
  /** Also return the attention weights, [layer][head][query][key] (a synchronous read: not on webgpu). */
  collectAttention?: boolean;
  /** Also return each layer's attention weights as a tensor [nHead, T, T], for the caller to read with `await`. */
  keepAttention?: boolean;
}

/** Token + position embeddings → blocks → ln_f → logits = x · wteᵀ: tokens [T] → [T, V]. Call inside a tidy. */
export function gptForwardRef(
  tf: Tf,
  p: Params,
  config: MiniGptConfig,
  tokens: number[],
  opts: GptForwardOptions = {},
): { logits: Tensor; attention?: number[][][][]; attentionTensors?: Tensor[] } {
  const T = tokens.length;
  if (T < 1 || T > config.blockSize) throw new RangeError(`the model reads 1 to ${config.blockSize} tokens (the learned position table's length), got ${T}`);
  let x = embed(tf, p, tokens); // [T, C]
  const maps: Tensor[] = [];
  for (let l = 0; l < config.nLayer; l++) {
    const b = blockRef(tf, x, p, l, config.nHead, opts.attention);
    if (opts.collectAttention || opts.keepAttention) {
      expectShape(`attention weights (layer ${l})`, b.weights, [config.nHead, T, T]);
      maps.push(b.weights);
    }
    x = b.output;
  }
  return {
    logits: head(tf, p, x),
    attention: opts.collectAttention ? maps.map((m) => m.arraySync() as number[][][]) : undefined,
    attentionTensors: opts.keepAttention ? maps : undefined,
  };
}

/** The logits [V] of the next token after `tokens` (cropped to the last blockSize), as a tensor. Call inside a tidy. */
export function nextLogitsTensorRef(tf: Tf, p: Params, config: MiniGptConfig, tokens: number[], attention?: AttentionFn): Tensor {
  const ctx = tokens.slice(-config.blockSize);
  const { logits } = gptForwardRef(tf, p, config, ctx, { attention });
  return tf.reshape(tf.slice(logits, [ctx.length - 1, 0], [1, config.vocabSize]), [config.vocabSize]);
}
