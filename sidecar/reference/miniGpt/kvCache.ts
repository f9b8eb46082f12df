// Incremental decoding: keep every layer's keys and values so each new character costs one
// position's work instead of a forward pass over the whole context.
//
// Context limit. wpe has blockSize rows, so a sequence can never be longer than blockSize.
// Learned absolute positions cannot be shifted: once the window moves, every cached K and V
// was computed at the wrong position and must be recomputed. The policy, `keep`:
//   when the cache holds blockSize tokens and another arrives, the cache is rebuilt from the
//   last `keep` tokens (one batched forward, "prefill", at positions 0..keep−1) and the new
//   token is stepped at position `keep`.
// keep = blockSize − 1 is exactly nanoGPT's crop (idx[:, -block_size:]) but rebuilds on every
// token once full, so past blockSize it is no faster than no cache at all. The default,
// keep = blockSize / 2, rebuilds once every blockSize − keep = 32 tokens (one prefill of 32
// positions per 32 tokens): the model then sees between keep + 1 = 33 and 64 characters of
// context instead of always 64. contextLength() gives the window either way, so the uncached
// path can reproduce the cached one exactly.
// Cost, measured on the shared 2-core machine (wasm, bench/generation.ts): one step is 129
// kernels, about 1–3 ms; a 32-position rebuild 10–18 ms, i.e. under 0.6 ms per character at
// keep 32. 256 greedy characters: 866 chars/s with keep 32 (8× the uncached path), 91 chars/s
// with keep 63 (a rebuild per character).
import type * as tfTypes from '@tensorflow/tfjs-core';
import { geluTanhKernels, GELU_TANH_CUBIC, GELU_TANH_SCALE } from '../activations';
import { kernel } from '../kernels';
import { layerNormRowKernels } from '../normalisation';
import { combineHeadsRef, splitHeadsRef } from '../tensorAttention';
import { embed, finishBlock, head, layerNormOf, qkvProjection, referenceAttentionFn } from './layers';
import type { MiniGpt } from './model';

type Tensor = tfTypes.Tensor;
type Tf = typeof tfTypes;

interface FastWeights {
  /** Linear weights reshaped to [1, in, out] (the kernel's batched layout); c_attn's q columns × 1/√hd. */
  w: Record<string, Tensor>;
  /** c_attn biases with the same q scaling. */
  cAttnB: Tensor[];
  /** wte as [1, V, C] for the tied head. */
  wte3: Tensor;
  /** GELU constants as kept tensors (a scalar operand would be uploaded every call). */
  geluA: Tensor;
  geluB: Tensor;
}

const fastCache = new WeakMap<MiniGpt, FastWeights>();

/** Per-model tensors for the one-position step, made once (freed with model.dispose()). */
function fastWeights(model: MiniGpt): FastWeights {
  let f = fastCache.get(model);
  if (f) return f;
  const { tf, config: cfg, params: p } = model;
  const C = cfg.nEmbd;
  const s = 1 / Math.sqrt(C / cfg.nHead);
  const k = GELU_TANH_SCALE;
  f = tf.tidy(() => {
    const colScale = tf.concat([tf.fill([C], s), tf.ones([2 * C])]); // [3C]
    const w: Record<string, Tensor> = {};
    const cAttnB: Tensor[] = [];
    for (let i = 0; i < cfg.nLayer; i++) {
      const pre = `h.${i}.`;
      w[pre + 'attn.c_attn.weight'] = model.own(tf.expandDims(tf.mul(p[pre + 'attn.c_attn.weight'], colScale), 0));
      cAttnB.push(model.own(tf.mul(p[pre + 'attn.c_attn.bias'], colScale)));
      for (const n of ['attn.c_proj.weight', 'mlp.c_fc.weight', 'mlp.c_proj.weight']) w[pre + n] = model.own(tf.expandDims(p[pre + n], 0));
    }
    return {
      w,
      cAttnB,
      wte3: model.own(tf.expandDims(p['wte'], 0)),
      geluA: model.own(tf.scalar(2 * k)),
      geluB: model.own(tf.scalar(2 * k * GELU_TANH_CUBIC)),
    };
  });
  fastCache.set(model, f!);
  return f!;
}

/** x [1, 1, in] · W [1, in, out] + b [out] → [1, 1, out], one kernel. */
function fastLinear(tf: Tf, x: Tensor, w: Tensor, b: Tensor): Tensor {
  return kernel(tf, '_FusedMatMul', { a: x, b: w, bias: b }, { transposeA: false, transposeB: false, activation: 'linear' });
}

/** GELU (tanh) of one row with this model's kept constants. */
function fastGelu(tf: Tf, x: Tensor, f: FastWeights): Tensor {
  return geluTanhKernels(tf, x, f.geluA, f.geluB);
}

/**
 * How many of the last tokens the cached session conditions on after n tokens have been fed
 * one by one (the window whose last logits predict token n).
 */
export function contextLength(n: number, blockSize: number, keep: number): number {
  if (n <= blockSize) return n;
  return keep + 1 + ((n - blockSize - 1) % (blockSize - keep));
}

export interface KvCacheOptions {
  /** Tokens kept when the window is full (1..blockSize−1); default blockSize / 2. */
  keep?: number;
}

export class KvCacheSession {
  readonly keep: number;
  /** Every token fed so far (the cache covers the last `length` of them). */
  private history: number[] = [];
  /** Per layer: [H, t, hd]. */
  private ks: Tensor[] = [];
  private vs: Tensor[] = [];
  private lastLogits: Float32Array | undefined;
  /** Batched rebuilds done (for cost accounting). */
  rebuilds = 0;

  constructor(
    readonly model: MiniGpt,
    opts: KvCacheOptions = {},
  ) {
    const T = model.config.blockSize;
    this.keep = opts.keep ?? Math.floor(T / 2);
    if (!Number.isInteger(this.keep) || this.keep < 1 || this.keep > T - 1) throw new RangeError(`keep must be an integer in 1..${T - 1}, got ${this.keep}`);
  }

  /** Positions currently cached (≤ blockSize). */
  get length(): number {
    return this.ks.length ? this.ks[0].shape[1]! : 0;
  }

  get tokens(): readonly number[] {
    return this.history;
  }

  /** The logits [V] predicting the next token after everything fed so far. */
  get logits(): Float32Array {
    if (!this.lastLogits) throw new Error('no token fed yet');
    return this.lastLogits;
  }

  /** Feeds tokens (a prompt at once when the cache is empty); returns the last logits [V]. */
  feed(tokens: number[]): Float32Array {
    const T = this.model.config.blockSize;
    let i = 0;
    while (i < tokens.length) {
      if (this.length === 0) {
        const chunk = tokens.slice(i, i + T);
        this.prefill(chunk);
        this.history.push(...chunk);
        i += chunk.length;
      } else {
        this.step(tokens[i++]);
      }
    }
    return this.logits;
  }

  /** Feeds one token; returns the logits [V] for the token after it. */
  step(token: number): Float32Array {
    const { tf, config: cfg, params: p } = this.model;
    if (!Number.isInteger(token) || token < 0 || token >= cfg.vocabSize) throw new RangeError(`token ${token} is outside 0..${cfg.vocabSize - 1}`);
    if (this.length === 0) return this.feed([token]);
    if (this.length === cfg.blockSize) {
      // Window full: recompute K, V for the last `keep` tokens at positions 0..keep−1.
      this.prefill(this.history.slice(-this.keep));
      this.rebuilds++;
    }
    const pos = this.length;
    const H = cfg.nHead;
    const hd = cfg.nEmbd / H;
    const f = fastWeights(this.model);
    const newK: Tensor[] = [];
    const newV: Tensor[] = [];
    // About 30 kernels per layer: at one position the work is tiny, so the number of kernel
    // launches, not FLOPs, sets the speed (see fastWeights).
    const C = cfg.nEmbd;
    const logits = tf.tidy(() => {
      const e = kernel(tf, 'GatherV2', { x: p['wte'], indices: tf.tensor1d([token], 'int32') }, { axis: 0, batchDims: 0 }); // [1, C]
      const pe = kernel(tf, 'Slice', { x: p['wpe'] }, { begin: [pos, 0], size: [1, C] });
      let x = kernel(tf, 'Reshape', { x: kernel(tf, 'Add', { a: e, b: pe }) }, { shape: [1, 1, C] }); // [1, 1, C]
      for (let i = 0; i < cfg.nLayer; i++) {
        const pre = `h.${i}.`;
        const h = layerNormRowKernels(tf, x, p[pre + 'ln_1.weight'], p[pre + 'ln_1.bias']);
        const fused = fastLinear(tf, h, f.w[pre + 'attn.c_attn.weight'], f.cAttnB[i]); // [1, 1, 3C], q pre-scaled
        const parts = tf.engine().runKernel('SplitV', { x: fused }, { numOrSizeSplits: 3, axis: 2 }) as Tensor[];
        // [1, 1, C] → [H, 1, hd]: for one row no transpose is needed.
        const [q, k, v] = parts.map((t) => kernel(tf, 'Reshape', { x: t }, { shape: [H, 1, hd] }));
        const K = tf.keep(kernel(tf, 'Concat', [this.ks[i], k], { axis: 1 })); // [H, t+1, hd]
        const V = tf.keep(kernel(tf, 'Concat', [this.vs[i], v], { axis: 1 }));
        newK.push(K);
        newV.push(V);
        // The newest query may see every cached key: no mask. 1/√hd is folded into q.
        const scores = kernel(tf, 'BatchMatMul', { a: q, b: K }, { transposeA: false, transposeB: true }); // [H, 1, t+1]
        const w = kernel(tf, 'Softmax', { logits: scores }, { dim: 2 });
        const y = kernel(tf, 'Reshape', { x: kernel(tf, 'BatchMatMul', { a: w, b: V }, { transposeA: false, transposeB: false }) }, { shape: [1, 1, C] });
        const a = kernel(tf, 'Add', { a: x, b: fastLinear(tf, y, f.w[pre + 'attn.c_proj.weight'], p[pre + 'attn.c_proj.bias']) });
        const h2 = layerNormRowKernels(tf, a, p[pre + 'ln_2.weight'], p[pre + 'ln_2.bias']);
        const u = fastLinear(tf, h2, f.w[pre + 'mlp.c_fc.weight'], p[pre + 'mlp.c_fc.bias']); // [1, 1, 4C]
        x = kernel(tf, 'Add', { a, b: fastLinear(tf, fastGelu(tf, u, f), f.w[pre + 'mlp.c_proj.weight'], p[pre + 'mlp.c_proj.bias']) });
      }
      const hf = layerNormRowKernels(tf, x, p['ln_f.weight'], p['ln_f.bias']);
      return kernel(tf, 'BatchMatMul', { a: hf, b: f.wte3 }, { transposeA: false, transposeB: true }); // [1, 1, V]
    });
    this.replace(newK, newV);
    this.history.push(token);
    this.lastLogits = logits.dataSync() as Float32Array; // the one sync per token
    logits.dispose();
    return this.lastLogits;
  }

  /** An independent copy (tensors are shared copy-on-write by tf.clone, so this is cheap). */
  clone(): KvCacheSession {
    const c = new KvCacheSession(this.model, { keep: this.keep });
    c.history = [...this.history];
    c.ks = this.ks.map((t) => this.model.tf.clone(t));
    c.vs = this.vs.map((t) => this.model.tf.clone(t));
    c.lastLogits = this.lastLogits;
    c.rebuilds = this.rebuilds;
    return c;
  }

  dispose(): void {
    for (const t of [...this.ks, ...this.vs]) t.dispose();
    this.ks = [];
    this.vs = [];
  }

  /** Replaces the cache with K, V of `tokens` at positions 0..n−1; sets the last logits. */
  private prefill(tokens: number[]): void {
    const { tf, config: cfg, params: p } = this.model;
    const n = tokens.length;
    const attention = referenceAttentionFn(tf);
    const newK: Tensor[] = [];
    const newV: Tensor[] = [];
    const logits = tf.tidy(() => {
      let x = embed(tf, p, tokens); // [n, C]
      const mask = tf.linalg.bandPart(tf.ones([n, n]), -1, 0);
      for (let i = 0; i < cfg.nLayer; i++) {
        const h = layerNormOf(tf, p, `h.${i}.ln_1`, x);
        const [q, k, v] = qkvProjection(tf, h, p, i).map((t) => splitHeadsRef(tf, t, cfg.nHead)); // [H, n, hd]
        newK.push(tf.keep(k));
        newV.push(tf.keep(v));
        const { output } = attention(q, k, v, mask);
        x = finishBlock(tf, p, i, x, combineHeadsRef(tf, output));
      }
      return tf.slice(head(tf, p, x), [n - 1, 0], [1, cfg.vocabSize]);
    });
    this.replace(newK, newV);
    this.lastLogits = logits.dataSync() as Float32Array;
    logits.dispose();
  }

  private replace(ks: Tensor[], vs: Tensor[]): void {
    for (const t of [...this.ks, ...this.vs]) t.dispose();
    this.ks = ks;
    this.vs = vs;
  }
}
