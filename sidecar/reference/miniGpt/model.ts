// The trained character-level GPT as kept tfjs tensors, run by the shared forward pass
// (forward.ts) into which any Lab 1 style attention function can be plugged.
import type * as tfTypes from '@tensorflow/tfjs-core';
import type { MiniGptConfig } from './config';
import { gptForwardRef } from './forward';
import { crossEntropy, referenceAttentionFn, type AttentionFn, type Params, type Tf } from './layers';
import type { MiniGptFile } from './loader';
import { CharTokenizer } from './tokenizer';

export type { AttentionFn } from './layers';

export interface ForwardOptions {
  /** Replaces the attention of every head of every layer; default attentionRef. */
  attention?: AttentionFn;
  /** Also return the attention weights, [layer][head][query][key] (a synchronous read: not on webgpu). */
  collectAttention?: boolean;
  /** Also return each layer's weights [nHead, T, T] as a tensor the caller reads with `await` and disposes. */
  keepAttention?: boolean;
}

export interface ForwardResult {
  /** [T, V]: row t scores the character after tokens[0..t]. The caller disposes it. */
  logits: tfTypes.Tensor2D;
  attention?: number[][][][];
  attentionTensors?: tfTypes.Tensor[];
}

export class MiniGpt {
  readonly config: MiniGptConfig;
  readonly tokenizer: CharTokenizer;
  /** Parameters by nanoGPT name; kept until dispose(). */
  readonly params: Params;
  private readonly defaultAttention: AttentionFn;
  private owned: tfTypes.Tensor[] = [];

  constructor(
    readonly tf: Tf,
    file: MiniGptFile,
  ) {
    this.config = file.config;
    this.tokenizer = new CharTokenizer(file.vocab);
    const params: Params = {};
    for (const [name, t] of Object.entries(file.tensors)) params[name] = tf.keep(tf.tensor(t.data, t.shape, 'float32'));
    this.params = params;
    this.defaultAttention = referenceAttentionFn(tf);
  }

  /** The model on one sequence of 1..blockSize token ids. */
  forward(tokens: number[], opts: ForwardOptions = {}): ForwardResult {
    const { tf, config: cfg, params: p } = this;
    const T = tokens.length;
    if (T < 1 || T > cfg.blockSize) throw new RangeError(`forward needs 1..${cfg.blockSize} tokens (the learned position table's length), got ${T}`);
    tokens.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= cfg.vocabSize) throw new RangeError(`token ${i} is ${id}, expected an id in 0..${cfg.vocabSize - 1}`);
    });
    let attention: number[][][][] | undefined;
    const r = tf.tidy(() => {
      const out = gptForwardRef(tf, p, cfg, tokens, { attention: opts.attention ?? this.defaultAttention, collectAttention: opts.collectAttention, keepAttention: opts.keepAttention });
      attention = out.attention;
      return { logits: out.logits as tfTypes.Tensor2D, attentionTensors: out.attentionTensors ?? [] }; // [T, V]
    });
    return {
      logits: r.logits,
      ...(attention ? { attention } : {}),
      ...(opts.keepAttention ? { attentionTensors: r.attentionTensors } : {}),
    };
  }

  /** Mean cross-entropy (nats/char) of predicting tokens[1..] from the ones before, one window. */
  loss(tokens: number[]): number {
    const { tf } = this;
    const { logits } = this.forward(tokens.slice(0, -1));
    const v = tf.tidy(() => crossEntropy(tf, logits, tf.tensor1d(tokens.slice(1), 'int32'), this.config.vocabSize).dataSync()[0]);
    logits.dispose();
    return v;
  }

  /** Keeps a derived tensor (e.g. the KV step's pre-scaled weights) alive until dispose(). */
  own<T extends tfTypes.Tensor>(t: T): T {
    this.owned.push(this.tf.keep(t));
    return t;
  }

  dispose(): void {
    for (const t of [...Object.values(this.params), ...this.owned]) t.dispose();
    this.owned = [];
  }
}
