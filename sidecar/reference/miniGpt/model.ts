// The trained character-level GPT as tfjs tensors, with a full forward pass into which any
// Lab 1 style attention function can be plugged.
import type * as tfTypes from '@tensorflow/tfjs-core';
import { attentionRef } from '../tensorAttention';
import type { MiniGptConfig } from './config';
import { finishBlock, fromHeads, head, qkv, type AttentionFn, type Params, type Tf } from './layers';
import type { MiniGptFile } from './loader';
import { CharTokenizer } from './tokenizer';

export type { AttentionFn } from './layers';

export interface ForwardOptions {
  /** Replaces the attention of every head of every layer; default attentionRef. */
  attention?: AttentionFn;
  /** Also return the attention weights, [layer][head][query][key]. */
  collectAttention?: boolean;
}

export interface ForwardResult {
  /** [T, V]: row t scores the character after tokens[0..t]. The caller disposes it. */
  logits: tfTypes.Tensor2D;
  attention?: number[][][][];
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
    this.defaultAttention = (q, k, v, mask) => attentionRef(tf, q, k, v, mask);
  }

  /** The model on one sequence of 1..blockSize token ids. */
  forward(tokens: number[], opts: ForwardOptions = {}): ForwardResult {
    const { tf, config: cfg, params: p } = this;
    const T = tokens.length;
    if (T < 1 || T > cfg.blockSize) throw new RangeError(`forward needs 1..${cfg.blockSize} tokens (the learned position table's length), got ${T}`);
    tokens.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= cfg.vocabSize) throw new RangeError(`token ${i} is ${id}, expected an id in 0..${cfg.vocabSize - 1}`);
    });
    const H = cfg.nHead;
    const hd = cfg.nEmbd / H;
    const attend = opts.attention ?? this.defaultAttention;
    const attention: number[][][][] | undefined = opts.collectAttention ? [] : undefined;
    const logits = tf.tidy(() => {
      const ids = tf.tensor1d(tokens, 'int32');
      let x = tf.add(tf.gather(p['wte'], ids), tf.slice(p['wpe'], [0, 0], [T, cfg.nEmbd])); // [T, C]
      const mask = tf.linalg.bandPart(tf.ones([T, T]), -1, 0); // [T, T], 1 = may attend
      for (let i = 0; i < cfg.nLayer; i++) {
        // [T, C] → [H, T, hd]: Lab 1's multi-head layout.
        const [q, k, v] = qkv(tf, p, i, x).map((t) => tf.transpose(tf.reshape(t, [T, H, hd]), [1, 0, 2]));
        const { output, weights } = attend(q, k, v, mask);
        expectShape(`attention output (layer ${i})`, output, [H, T, hd]);
        if (attention) {
          expectShape(`attention weights (layer ${i})`, weights, [H, T, T]);
          attention.push(weights.arraySync() as number[][][]);
        }
        x = finishBlock(tf, p, i, x, fromHeads(tf, tf.reshape(output, [1, H, T, hd])));
      }
      return head(tf, p, x) as tfTypes.Tensor2D; // [T, V]
    });
    return attention ? { logits, attention } : { logits };
  }

  /** Mean cross-entropy (nats/char) of predicting tokens[1..] from the ones before, one window. */
  loss(tokens: number[]): number {
    const { tf } = this;
    const { logits } = this.forward(tokens.slice(0, -1));
    const v = tf.tidy(() => {
      const logp = tf.logSoftmax(logits);
      const target = tf.oneHot(tf.tensor1d(tokens.slice(1), 'int32'), this.config.vocabSize);
      return tf.neg(tf.mean(tf.sum(tf.mul(logp, target), -1))).dataSync()[0];
    });
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

function expectShape(what: string, t: tfTypes.Tensor, expected: number[]): void {
  const ok = t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i]);
  if (!ok) throw new Error(`${what} has shape [${t.shape.join(', ')}], expected [${expected.join(', ')}] ([heads, T, headDim] / [heads, T, T])`);
}
