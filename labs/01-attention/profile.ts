// The complexity profiler's one bounded measurement (core/protocol/views/profileView.ts): one
// function at one sequence length N — attention, multiHeadAttention or the bonus chunkedAttention,
// the reference's first (outside the learner's limit), then the learner's on the same seeded
// inputs. Time is the median of repeated calls within a budget; memory is the peak of tensor
// bytes held at once during one call (tf.profile), above the inputs.
import type { CheckContext, LabView, ReferenceContext, Tf } from '../../core/checks/checkApi';
import { peakTensorBytes } from '../../core/checks/tensorMemory';
import { inTensorScope } from '../../core/checks/tensorScope';
import { PROFILE_TARGETS, type Measurement, type ProfileSizeInput, type ProfileSizeResult, type ProfileTarget } from '../../core/protocol/views/profileView';
import { chunkedAttentionRef } from '../../sidecar/reference/chunkedAttention';
import { attentionRef, multiHeadAttentionRef } from '../../sidecar/reference/tensorAttention';

const FILE = 'attention.ts';
const MAX_RUNS = 7;
type Tensor = ReturnType<Tf['tensor']>;
type Inputs = { q: Tensor; k: Tensor; v: Tensor; w: Record<'wq' | 'wk' | 'wv' | 'wo', Tensor> };

function whole(x: unknown, lo: number, hi: number, what: string): number {
  const n = Number(x);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`${what} must be a whole number from ${lo} to ${hi}, got ${JSON.stringify(x)}`);
  return n;
}

/** The input, checked: a request the page or the CLI got wrong is refused with the field named. */
export function parseProfileInput(raw: unknown): ProfileSizeInput {
  const i = (raw ?? {}) as Partial<ProfileSizeInput>;
  // No target: attention (a panel's first request, and the packaged-views test, send {}).
  if (i.target !== undefined && !PROFILE_TARGETS.includes(i.target as ProfileTarget)) throw new Error(`target must be one of ${PROFILE_TARGETS.join(', ')}, got ${JSON.stringify(i.target)}`);
  const input: ProfileSizeInput = {
    target: (i.target ?? 'attention') as ProfileTarget,
    n: whole(i.n ?? 64, 1, 16384, 'n'),
    d: whole(i.d ?? 64, 1, 1024, 'd'),
    heads: whole(i.heads ?? 4, 1, 64, 'heads'),
    chunk: whole(i.chunk ?? 64, 1, 16384, 'chunk'),
    budgetMs: Math.max(0, Math.min(60_000, Number(i.budgetMs ?? 500) || 0)),
    skipLearner: i.skipLearner === true,
    skipReference: i.skipReference === true,
  };
  if (input.target === 'multiHeadAttention' && input.d % input.heads !== 0) throw new Error(`d (${input.d}) must be a multiple of heads (${input.heads})`);
  return input;
}

/** Seeded inputs of one size: the same numbers for the reference and for the learner. */
function inputsFor(tf: Tf, input: ProfileSizeInput): Inputs {
  const { n, d } = input;
  const seed = 1000 + n;
  const r = (shape: [number, number], s: number, scale = 1) => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed + s), scale) as Tensor;
  const ws = 1 / Math.sqrt(d);
  return { q: r([n, d], 1), k: r([n, d], 2), v: r([n, d], 3), w: { wq: r([d, d], 4, ws), wk: r([d, d], 5, ws), wv: r([d, d], 6, ws), wo: r([d, d], 7, ws) } };
}

/** Reads the result so that an asynchronous backend (webgpu) has finished computing it: the read is part of the time. */
async function settle(tf: Tf, result: unknown): Promise<void> {
  const t = (result && typeof result === 'object' && 'output' in result ? (result as { output: unknown }).output : result) as Tensor | undefined;
  if (t instanceof tf.Tensor) await t.data();
}

async function measure(tf: Tf, call: () => unknown, budgetMs: number): Promise<Measurement> {
  // The profiled call also warms the kernels up; its time is not counted.
  const peakBytes = await peakTensorBytes(tf, async () => {
    const out = call();
    await settle(tf, out);
    return out;
  });
  const runs: number[] = [];
  const start = performance.now();
  do {
    const t0 = performance.now();
    await inTensorScope(tf, () => settle(tf, call()));
    runs.push(performance.now() - t0);
  } while (runs.length < MAX_RUNS && performance.now() - start < budgetMs);
  const sorted = [...runs].sort((a, b) => a - b);
  return { ms: sorted[Math.floor(sorted.length / 2)], runs, peakBytes };
}

function referenceCall(tf: Tf, input: ProfileSizeInput, x: Inputs): () => unknown {
  switch (input.target) {
    case 'attention':
      return () => attentionRef(tf, x.q, x.k, x.v);
    case 'multiHeadAttention':
      return () => multiHeadAttentionRef(tf, x.q, x.w, input.heads);
    case 'chunkedAttention':
      return () => chunkedAttentionRef(tf, x.q, x.k, x.v, input.chunk);
  }
}

function learnerCall(ctx: CheckContext, input: ProfileSizeInput, x: Inputs): () => unknown {
  const fn = ctx.fn<(...args: unknown[]) => unknown>(FILE, input.target);
  switch (input.target) {
    case 'attention':
      return () => fn(x.q, x.k, x.v);
    case 'multiHeadAttention':
      return () => fn(x.q, x.w, input.heads);
    case 'chunkedAttention':
      return () => fn(x.q, x.k, x.v, input.chunk);
  }
}

export const profileView: LabView<ProfileSizeResult, ProfileSizeInput> = {
  async reference(ctx: ReferenceContext, raw: unknown) {
    const input = parseProfileInput(raw);
    const payload: ProfileSizeResult = { target: input.target, n: input.n, learner: null, reference: null };
    if (!input.skipReference) {
      const x = inputsFor(ctx.tf, input);
      try {
        payload.reference = await measure(ctx.tf, referenceCall(ctx.tf, input, x), input.budgetMs);
      } finally {
        ctx.tf.dispose([x.q, x.k, x.v, ...Object.values(x.w)]);
      }
    }
    return { payload, shared: input };
  },
  async learner(ctx: CheckContext, payload: ProfileSizeResult, input: ProfileSizeInput) {
    if (input.skipLearner) return payload;
    const x = inputsFor(ctx.tf, input);
    try {
      // A throw (not started, a bug) reaches the runner, which marks the payload with it.
      payload.learner = await measure(ctx.tf, learnerCall(ctx, input, x), input.budgetMs);
    } finally {
      ctx.tf.dispose([x.q, x.k, x.v, ...Object.values(x.w)]);
    }
    return payload;
  },
};
