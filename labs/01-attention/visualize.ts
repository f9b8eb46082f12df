// The attention panel's numbers: the learner's own attention (Level 2) or multi-head layer
// (Level 3) on an editable sentence, beside the reference on the same inputs. Q, K and V come
// either from a seeded random embedding and projections, or from one layer of the trained
// mini-GPT (its own Q, K, V per head, so the heatmap shows learned patterns). Two parts
// (core/checks/checkApi.ts LabView): the reference first, outside the learner's time limit.
import type { CheckContext, LabView, ReferenceContext, Tf } from '../../core/checks/checkApi';
import type { AttentionHeadView, AttentionQkvSource, AttentionViewData, AttentionViewInput, LearnerError } from '../../core/protocol/sidecar';
import { toNested } from '../../core/checks/expect';
import { embedTokens, seededProjections, tokenize } from '../../sidecar/reference/positions';
import { attentionRef, causalMaskRef, multiHeadAttentionRef } from '../../sidecar/reference/tensorAttention';
import { layerAttention, sharedMiniGpt } from '../../sidecar/reference/miniGpt/layerAttention';

const D_MODEL = 16;
const PROJECTION_SEED = 2017;
const MAX_TOKENS = 48;
export const PAD = '[PAD]';

type Tensor = ReturnType<Tf['tensor']>;
type AttentionFn = (q: Tensor, k: Tensor, v: Tensor, m?: Tensor) => { weights: unknown };
type Input = Required<AttentionViewInput>;

export function parseAttentionInput(input: unknown): Input {
  const i = (input ?? {}) as Partial<AttentionViewInput>;
  const source: AttentionQkvSource = i.source === 'model' ? 'model' : 'random';
  const heads = [1, 2, 4, 8].includes(Number(i.heads)) ? Number(i.heads) : 1;
  let mask: AttentionViewInput['mask'] = i.mask === 'causal' || i.mask === 'padding' ? i.mask : 'none';
  // The model reads a text, not a padded batch: its own mask is causal.
  if (source === 'model' && mask === 'padding') mask = 'causal';
  const padTokens = Math.max(0, Math.min(8, Math.floor(Number(i.padTokens ?? 2)) || 0));
  const layer = Math.max(1, Math.floor(Number(i.layer ?? 1)) || 1);
  return { sentence: String(i.sentence ?? ''), heads, mask, padTokens, source, layer };
}

async function asMatrices(value: unknown, heads: number, n: number): Promise<number[][][]> {
  const nested = (await toNested(value, 'weights')) as unknown;
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

function asLearnerError(err: unknown): LearnerError {
  const e = err as { message?: string; location?: LearnerError['location'] };
  return { message: e?.message ?? String(err), location: e?.location };
}

/** What the learner part needs: the inputs the reference was computed on, and how to call the learner. */
type Shared =
  | { kind: 'random'; input: Input; x: Tensor; w: Record<'wq' | 'wk' | 'wv' | 'wo', Tensor>; mask?: Tensor }
  | { kind: 'model'; qkv: { q: number[][][]; k: number[][][]; v: number[][][] }; mask?: Tensor };

/** Seeded random embedding plus sinusoidal positions, seeded projections: the random source. */
async function randomReference(tf: Tf, input: Input): Promise<{ payload: AttentionViewData; shared: Shared }> {
  let tokens = tokenize(input.sentence).slice(0, MAX_TOKENS);
  if (tokens.length === 0) tokens = ['(empty)'];
  if (input.mask === 'padding') tokens = [...tokens, ...Array<string>(input.padTokens).fill(PAD)];
  const n = tokens.length;
  const x = tf.tensor2d(embedTokens(tokens, D_MODEL)); // [n, dModel]
  const p = seededProjections(PROJECTION_SEED, D_MODEL);
  const w = { wq: tf.tensor2d(p.wq), wk: tf.tensor2d(p.wk), wv: tf.tensor2d(p.wv), wo: tf.tensor2d(p.wo) };
  const mask: Tensor | undefined =
    input.mask === 'causal' ? causalMaskRef(tf, n) : input.mask === 'padding' ? tf.tensor2d([tokens.map((t) => (t === PAD ? 0 : 1))]) : undefined;
  const reference =
    input.heads === 1
      ? [(await attentionRef(tf, tf.matMul(x, w.wq), tf.matMul(x, w.wk), tf.matMul(x, w.wv), mask).weights.array()) as number[][]]
      : ((await multiHeadAttentionRef(tf, x, w, input.heads, mask).weights.array()) as number[][][]);
  return {
    payload: {
      tokens,
      mask: input.mask,
      heads: reference.map((ref) => ({ learner: null, reference: ref })),
      source:
        `Seeded random: Q, K and V come from a fixed seeded random embedding (d = ${D_MODEL}) plus sinusoidal positions, ` +
        `projected by seeded random weights. The patterns show what your function computes, not learned meaning — ` +
        `choose "trained mini-GPT" to see a trained model's own Q and K.`,
      sourceKind: 'random',
      tolerance: 1e-4,
    },
    shared: { kind: 'random', input, x, w, mask },
  };
}

/** How a character is written as a heatmap label (spaces and line breaks stay visible). */
export function characterLabel(ch: string): string {
  return ch === ' ' ? '␣' : ch === '\n' ? '⏎' : ch === '\t' ? '⇥' : ch;
}

/** One layer of the trained mini-GPT on the text: its Q, K and V per head. */
async function modelReference(tf: Tf, input: Input): Promise<{ payload: AttentionViewData; shared: Shared }> {
  const model = sharedMiniGpt(tf);
  const { nLayer, nHead, nEmbd, blockSize } = model.config;
  const layer = Math.min(input.layer, nLayer);
  const known = new Set(model.tokenizer.vocab);
  const chars = Array.from(input.sentence);
  const dropped = [...new Set(chars.filter((c) => !known.has(c)))];
  let kept = chars.filter((c) => known.has(c)).slice(-Math.min(MAX_TOKENS, blockSize));
  if (kept.length === 0) kept = Array.from('The cat sat on the mat.');
  const ids = model.tokenizer.encode(kept.join(''));
  const la = await layerAttention(model, ids, layer - 1);
  const n = ids.length;
  const mask = input.mask === 'causal' ? causalMaskRef(tf, n) : undefined;
  // The model's own weights are causal; without a mask the same Q and K are compared everywhere.
  const reference =
    input.mask === 'causal' ? la.weights : ((await attentionRef(tf, tf.tensor3d(la.q), tf.tensor3d(la.k), tf.tensor3d(la.v)).weights.array()) as number[][][]);
  return {
    payload: {
      tokens: kept.map(characterLabel),
      mask: input.mask,
      heads: reference.map((ref) => ({ learner: null, reference: ref })),
      source:
        `The trained mini-GPT (character-level, trained on Moby-Dick): Q, K and V of layer ${layer} of ${nLayer}, ` +
        `each of its ${nHead} heads (head size ${nEmbd / nHead}), on the last ${n} characters of the text. ` +
        `Your attention() gets one head's Q, K and V at a time; the patterns are learned. The model was trained with the causal mask.` +
        (dropped.length > 0 ? ` Left out (not in the model's alphabet): ${dropped.map((c) => JSON.stringify(c)).join(' ')}.` : ''),
      sourceKind: 'model',
      model: { layer, nLayer, nHead, dropped },
      tolerance: 1e-4,
    },
    shared: { kind: 'model', qkv: la, mask },
  };
}

async function learnerWeights(ctx: CheckContext, shared: Shared, n: number, heads: number): Promise<number[][][]> {
  const tf = ctx.tf;
  if (shared.kind === 'model') {
    // One head at a time, as [T, headDim] matrices: the shape Lab 1's attention() is written for.
    const attention = ctx.fn<AttentionFn>('attention.ts', 'attention');
    const perHead: number[][][] = [];
    for (let h = 0; h < shared.qkv.q.length; h++) {
      const [q, k, v] = [shared.qkv.q[h], shared.qkv.k[h], shared.qkv.v[h]].map((m) => tf.tensor2d(m));
      const out = shared.mask ? attention(q, k, v, shared.mask) : attention(q, k, v);
      perHead.push((await asMatrices(out?.weights, 1, n))[0]);
    }
    return perHead;
  }
  const { x, w, mask, input } = shared;
  if (input.heads === 1) {
    const attention = ctx.fn<AttentionFn>('attention.ts', 'attention');
    const out = mask ? attention(tf.matMul(x, w.wq), tf.matMul(x, w.wk), tf.matMul(x, w.wv), mask) : attention(tf.matMul(x, w.wq), tf.matMul(x, w.wk), tf.matMul(x, w.wv));
    return asMatrices(out?.weights, 1, n);
  }
  const mha = ctx.fn<(x: Tensor, w: unknown, h: number, m?: Tensor) => { weights: unknown }>('attention.ts', 'multiHeadAttention');
  const out = mask ? mha(x, w, input.heads, mask) : mha(x, w, input.heads);
  return asMatrices(out?.weights, heads, n);
}

export const attentionView: LabView<AttentionViewData, Shared> = {
  async reference(ctx: ReferenceContext, rawInput: unknown) {
    const input = parseAttentionInput(rawInput);
    return input.source === 'model' ? modelReference(ctx.tf, input) : randomReference(ctx.tf, input);
  },
  async learner(ctx: CheckContext, payload: AttentionViewData, shared: Shared) {
    try {
      const learner = await learnerWeights(ctx, shared, payload.tokens.length, payload.heads.length);
      payload.heads = payload.heads.map((head: AttentionHeadView, h) => ({ ...head, learner: learner[h] }));
    } catch (err) {
      payload.learnerError = asLearnerError(err);
    }
    return payload;
  },
};
