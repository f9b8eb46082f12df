// AdamW (decoupled weight decay, Loshchilov & Hutter) with optional global-norm gradient
// clipping, written out because tfjs-core's Adam has no decoupled decay and a fixed learning
// rate. Used by the mini-GPT and encoder training scripts and by Lab 5's fine-tuning.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip the global gradient norm to this (0 = off). */
  gradClip: number;
}

export class AdamW {
  private readonly m = new Map<string, tfTypes.Variable>();
  private readonly v = new Map<string, tfTypes.Variable>();
  private t = 0;

  constructor(
    private readonly tf: Tf,
    private readonly vars: Record<string, tfTypes.Variable>,
    /** Names of the parameters that decay (nanoGPT: every tensor with ≥ 2 dims). */
    private readonly decays: Set<string>,
    private readonly o: AdamWOptions,
  ) {
    for (const [name, p] of Object.entries(vars)) {
      // tidy frees the zeros the variables were copied from.
      this.m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
      this.v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
  }

  /**
   * One update; grads keyed like vars. A parameter without a gradient (a frozen one) is left
   * as it is, moments included. Returns the global gradient norm before clipping.
   */
  step(grads: Record<string, tfTypes.Tensor>, lr: number): number {
    const norm = this.update(grads, lr);
    try {
      return norm ? norm.dataSync()[0] : 0;
    } finally {
      norm?.dispose();
    }
  }

  /**
   * The update of step() without reading the norm back: a synchronous read, which the webgpu
   * backend cannot do in Node (Lab 5's fine-tuning runs there). Returns the norm as a tensor for
   * the caller to read or dispose, or undefined when no parameter got a gradient.
   */
  update(grads: Record<string, tfTypes.Tensor>, lr: number): tfTypes.Scalar | undefined {
    const tf = this.tf;
    this.t++;
    const { beta1, beta2, eps, weightDecay, gradClip } = this.o;
    const bc1 = 1 - Math.pow(beta1, this.t);
    const bc2 = 1 - Math.pow(beta2, this.t);
    return tf.tidy(() => {
      const names = Object.keys(this.vars).filter((n) => grads[n] !== undefined);
      if (names.length === 0) return undefined;
      const sq = tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))));
      const norm = tf.sqrt(sq) as tfTypes.Scalar;
      const scale = gradClip > 0 ? tf.minimum(1, tf.div(gradClip, tf.add(norm, 1e-6))) : tf.scalar(1);
      for (const n of names) {
        const p = this.vars[n];
        const g = tf.mul(grads[n], scale);
        const m = this.m.get(n)!;
        const v = this.v.get(n)!;
        const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m2);
        v.assign(v2);
        let update = tf.div(tf.div(m2, bc1), tf.add(tf.sqrt(tf.div(v2, bc2)), eps));
        if (this.decays.has(n)) update = tf.add(update, tf.mul(p, weightDecay));
        p.assign(tf.sub(p, tf.mul(update, lr)));
      }
      return norm;
    });
  }

  /** Frees the moment estimates (the parameters belong to the caller). */
  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
