// The attention panel's numbers: the learner's own attention (Level 2) or multi-head layer
// (Level 3) on an editable sentence, beside the reference on the same inputs.
import type { CheckContext, Tf } from '../../core/checks/checkApi';
import type { AttentionHeadView, AttentionViewData, AttentionViewInput, LearnerError } from '../../core/protocol/sidecar';
import { toNested } from '../../core/checks/expect';
import { embedTokens, seededProjections, tokenize } from '../../sidecar/reference/positions';
import { attentionRef, causalMaskRef, multiHeadAttentionRef } from '../../sidecar/reference/tensorAttention';

const D_MODEL = 16;
const PROJECTION_SEED = 2017;
const MAX_TOKENS = 48;
export const PAD = '[PAD]';

type Tensor = ReturnType<Tf['tensor']>;

function parseInput(input: unknown): Required<AttentionViewInput> {
  const i = (input ?? {}) as Partial<AttentionViewInput>;
  const heads = [1, 2, 4, 8].includes(Number(i.heads)) ? Number(i.heads) : 1;
  const mask = i.mask === 'causal' || i.mask === 'padding' ? i.mask : 'none';
  const padTokens = Math.max(0, Math.min(8, Math.floor(Number(i.padTokens ?? 2)) || 0));
  return { sentence: String(i.sentence ?? ''), heads, mask, padTokens };
}

function asMatrices(value: unknown, heads: number, n: number): number[][][] {
  const nested = toNested(value, 'weights') as unknown;
  const arr = (heads === 1 && Array.isArray(nested) && !Array.isArray((nested as unknown[][])[0]?.[0]) ? [nested] : nested) as number[][][];
  const ok =
    Array.isArray(arr) &&
    arr.length === heads &&
    arr.every((m) => Array.isArray(m) && m.length === n && m.every((r) => Array.isArray(r) && r.length === n));
  if (!ok) {
    throw new Error(`weights should have shape ${heads === 1 ? `[${n}, ${n}]` : `[${heads}, ${n}, ${n}]`} for ${n} tokens`);
  }
  return arr;
}

export function attentionView(ctx: CheckContext, rawInput: unknown): AttentionViewData {
  const tf = ctx.tf;
  const input = parseInput(rawInput);
  let tokens = tokenize(input.sentence).slice(0, MAX_TOKENS);
  if (tokens.length === 0) tokens = ['(empty)'];
  if (input.mask === 'padding') tokens = [...tokens, ...Array<string>(input.padTokens).fill(PAD)];
  const n = tokens.length;
  const real = tokens.map((t) => t !== PAD);

  const x = tf.tensor2d(embedTokens(tokens, D_MODEL)); // [n, dModel]
  const p = seededProjections(PROJECTION_SEED, D_MODEL);
  const w = { wq: tf.tensor2d(p.wq), wk: tf.tensor2d(p.wk), wv: tf.tensor2d(p.wv), wo: tf.tensor2d(p.wo) };
  const mask: Tensor | undefined =
    input.mask === 'causal' ? causalMaskRef(tf, n) : input.mask === 'padding' ? tf.tensor2d([real.map((r) => (r ? 1 : 0))]) : undefined;

  let reference: number[][][];
  if (input.heads === 1) {
    const ref = attentionRef(tf, tf.matMul(x, w.wq), tf.matMul(x, w.wk), tf.matMul(x, w.wv), mask);
    reference = [ref.weights.arraySync() as number[][]];
  } else {
    reference = multiHeadAttentionRef(tf, x, w, input.heads, mask).weights.arraySync() as number[][][];
  }

  let learner: number[][][] | null = null;
  let learnerError: LearnerError | undefined;
  try {
    if (input.heads === 1) {
      const attention = ctx.fn<(q: Tensor, k: Tensor, v: Tensor, m?: Tensor) => { weights: unknown }>('attention.ts', 'attention');
      const q = tf.matMul(x, w.wq);
      const k = tf.matMul(x, w.wk);
      const v = tf.matMul(x, w.wv);
      const out = mask ? attention(q, k, v, mask) : attention(q, k, v);
      learner = asMatrices(out?.weights, 1, n);
    } else {
      const mha = ctx.fn<(x: Tensor, w: unknown, h: number, m?: Tensor) => { weights: unknown }>('attention.ts', 'multiHeadAttention');
      const out = mask ? mha(x, w, input.heads, mask) : mha(x, w, input.heads);
      learner = asMatrices(out?.weights, input.heads, n);
    }
  } catch (err) {
    const e = err as { message?: string; location?: LearnerError['location'] };
    learnerError = { message: e?.message ?? String(err), location: e?.location };
  }

  const heads: AttentionHeadView[] = reference.map((ref, h) => ({ learner: learner ? learner[h] : null, reference: ref }));
  return {
    tokens,
    mask: input.mask,
    heads,
    source:
      `No trained model yet: Q, K and V come from a fixed seeded random embedding (d = ${D_MODEL}) plus sinusoidal positions, ` +
      `projected by seeded random weights. The patterns show what your function computes, not learned meaning.`,
    learnerError,
    tolerance: 1e-4,
  };
}
