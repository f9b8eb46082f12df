// Masked language modelling, the encoder's pretraining task (Devlin et al. 2018, §3.1): pick
// 15 % of the real tokens; replace 80 % of them by [MASK], 10 % by a random token, leave 10 %
// unchanged; predict the original token at every picked position.
import { geluRef, layerNormRef } from '../block';
import { gatherRows } from './embedding';
import { lnParams, type Params, type Tensor, type Tf } from './encoder';

export const MASK_RATE = 0.15;

export interface MaskedBatch {
  /** The model's input: ids with the picked positions replaced, [B][T]. */
  input: number[][];
  /** Flat positions b·T + t of the picked tokens, in order. */
  positions: number[];
  /** The original token at each picked position. */
  targets: number[];
  /** What was done at each picked position (for the 80/10/10 test). */
  action: ('mask' | 'random' | 'keep')[];
}

export interface MaskOptions {
  maskId: number;
  vocabSize: number;
  /** Ids never picked ([CLS], [SEP], [PAD]) and never drawn as the random replacement. */
  specialIds: number[];
  /** Each row's real length (positions ≥ length are padding); default: the whole row. */
  lengths?: number[];
  rate?: number;
}

/**
 * BERT's masking on a batch of equal-length rows: per row, exactly round(rate · candidates)
 * positions (at least 1) among the non-special real tokens, chosen by a seeded shuffle.
 */
export function maskTokens(ids: number[][], rand: () => number, o: MaskOptions): MaskedBatch {
  const special = new Set(o.specialIds);
  const rate = o.rate ?? MASK_RATE;
  const T = ids[0]?.length ?? 0;
  const input = ids.map((r) => r.slice());
  const positions: number[] = [];
  const targets: number[] = [];
  const action: MaskedBatch['action'] = [];
  const randomToken = () => {
    for (;;) {
      const id = Math.floor(rand() * o.vocabSize);
      if (!special.has(id) && id !== o.maskId) return id;
    }
  };
  ids.forEach((row, b) => {
    const len = o.lengths?.[b] ?? row.length;
    const candidates = [];
    for (let t = 0; t < len; t++) if (!special.has(row[t])) candidates.push(t);
    if (candidates.length === 0) return;
    const k = Math.max(1, Math.round(rate * candidates.length));
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    const picked = candidates.slice(0, k).sort((a, c) => a - c);
    for (const t of picked) {
      const r = rand();
      const a = r < 0.8 ? 'mask' : r < 0.9 ? 'random' : 'keep';
      if (a === 'mask') input[b][t] = o.maskId;
      else if (a === 'random') input[b][t] = randomToken();
      positions.push(b * T + t);
      targets.push(row[t]);
      action.push(a);
    }
  });
  return { input, positions, targets, action };
}

/**
 * BERT's prediction head on the picked positions: hidden [B, T, C], positions [M] (flat b·T + t)
 * → logits [M, V] = LN(GELU(h · W + b)) · tok_embᵀ + bias (the output layer tied to the input embedding).
 */
export function mlmLogits(tf: Tf, p: Params, hidden: Tensor, positions: Tensor): Tensor {
  const [B, T, C] = hidden.shape;
  const h = gatherRows(tf, tf.reshape(hidden, [B * T, C]), positions); // [M, C]
  const z = layerNormRef(tf, geluRef(tf, tf.add(tf.matMul(h, p['mlm.dense.w']), p['mlm.dense.b'])), lnParams(p, 'mlm.ln'));
  return tf.add(tf.matMul(z, p['tok_emb'], false, true), p['mlm.bias']); // [M, V]
}

/** Mean cross-entropy (nats) of logits [M, V] against int targets [M], and the number right. */
export function mlmLoss(tf: Tf, logits: Tensor, targets: Tensor): Tensor {
  const logp = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(targets, 'int32'), logits.shape[1]!)), -1);
  return tf.neg(tf.mean(picked));
}
