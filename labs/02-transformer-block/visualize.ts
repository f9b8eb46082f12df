// The block panel's numbers: the learner's encoder stack on an editable sentence, run Pre-LN
// and Post-LN on the same seeded (untrained) weights, beside the reference. Per layer: the size
// of the residual stream, its mean and spread, and the gradient norm of a simple loss with
// respect to that layer's parameters — the picture behind "Pre-LN is the stable default".
import type { CheckContext, LabView, ReferenceContext, Tf } from '../../core/checks/checkApi';
import type { LearnerError } from '../../core/protocol/sidecar';
import type { BlockRun, BlockViewData, BlockViewInput, LayerStats } from '../../core/protocol/views/blockView';
import { toNested } from '../../core/checks/expect';
import { inTensorScope } from '../../core/checks/tensorScope';
import { encoderStackRef } from '../../sidecar/reference/block';
import { initEncoderBlock, initStack, leaves, rebuild, toTensors } from '../../sidecar/reference/block/params';
import { embedTokens, tokenize } from '../../sidecar/reference/positions';
import { mulberry32, randomMatrix } from '../../sidecar/reference/random';

export const D_MODEL = 16;
const WEIGHT_SEED = 2020; // Xiong et al.'s year: any fixed seed does
const READOUT_SEED = 77;
const MAX_TOKENS = 32;
export const DEFAULT_SENTENCE = 'The cat sat on the mat because it was tired .';

type Tensor = ReturnType<Tf['tensor']>;
type StackFn = (x: Tensor, p: unknown, o: { heads: number; norm: 'pre' | 'post' }) => unknown;

export function parseBlockInput(input: unknown): Required<BlockViewInput> {
  const i = (input ?? {}) as Partial<BlockViewInput>;
  const layers = Math.max(1, Math.min(24, Math.floor(Number(i.layers ?? 12)) || 12));
  const heads = [1, 2, 4].includes(Number(i.heads)) ? Number(i.heads) : 2;
  const sentence = typeof i.sentence === 'string' && i.sentence.trim() ? i.sentence : DEFAULT_SENTENCE;
  return { sentence, layers, heads };
}

/** A [rows, cols] plain matrix from a tensor, or an Error naming what was wrong. */
async function matrix(value: unknown, shape: number[], what: string): Promise<number[][]> {
  const m = (await toNested(value, what)) as unknown;
  const ok = Array.isArray(m) && m.length === shape[0] && m.every((r) => Array.isArray(r) && r.length === shape[1] && r.every(Number.isFinite));
  if (!ok) throw new Error(`${what} should be a finite [${shape.join(', ')}] tensor`);
  return m as number[][];
}

function stats(h: number[][]): Omit<LayerStats, 'layer' | 'gradNorm'> {
  const flat = h.flat();
  const mean = flat.reduce((s, v) => s + v, 0) / flat.length;
  const std = Math.sqrt(flat.reduce((s, v) => s + (v - mean) ** 2, 0) / flat.length);
  const residualNorm = h.reduce((s, row) => s + Math.sqrt(row.reduce((a, v) => a + v * v, 0)), 0) / h.length;
  return { residualNorm, mean, std };
}

/** Forward pass for the stats and attention maps, then ∂loss/∂θ_l per block with tf.grads. */
async function runStack(tf: Tf, stack: StackFn, x: Tensor, plain: ReturnType<typeof blockWeights>, heads: number, norm: 'pre' | 'post', readout: Tensor) {
  const n = x.shape[0];
  const L = plain.layers.length;
  const final = toTensors(tf, plain.final);
  const layerTemplates = plain.layers;
  const layerTensors = layerTemplates.map((l) => leaves<number[]>(l).map((a) => tf.tensor(a)));
  const paramsFrom = (flat: Tensor[]) => {
    let at = 0;
    const layers = layerTensors.map((ts, l) => rebuild(layerTemplates[l], flat.slice(at, (at += ts.length))));
    return { layers, final };
  };
  const all = layerTensors.flat();

  const r = stack(x, paramsFrom(all), { heads, norm }) as { output?: unknown; hidden?: unknown[]; weights?: unknown[] } | undefined;
  if (!r || !Array.isArray(r.hidden) || r.hidden.length !== L || !Array.isArray(r.weights) || r.weights.length !== L) {
    throw new Error(`encoderStack should return { output, hidden, weights } with ${L} entries in hidden and weights`);
  }
  const hidden = await Promise.all(r.hidden.map((h, l) => matrix(h, [n, D_MODEL], `hidden[${l}]`)));
  const attention = await Promise.all(
    r.weights.map(async (w, l) => {
      const a = (await toNested(w, `weights[${l}]`)) as unknown as number[][][];
      if (!Array.isArray(a) || a.length !== heads || a.some((m) => !Array.isArray(m) || m.length !== n || m.some((row) => !Array.isArray(row) || row.length !== n))) {
        throw new Error(`weights[${l}] should have shape [${heads}, ${n}, ${n}]`);
      }
      return a;
    }),
  );
  await matrix(r.output, [n, D_MODEL], 'output');

  if (!gradientsAvailable(tf)) {
    return { layers: hidden.map((h, l) => ({ layer: l + 1, ...stats(h), gradNorm: null })), attention };
  }
  // loss = mean over positions of output[i]·readout[i]: a fixed random linear read-out.
  const loss = (...flat: Tensor[]) => {
    const out = (stack(x, paramsFrom(flat), { heads, norm }) as { output: Tensor }).output;
    return tf.div(tf.sum(tf.mul(out, readout)), n) as ReturnType<Tf['scalar']>;
  };
  const grads = tf.grads(loss)(all);
  let at = 0;
  const gradNorms: number[] = [];
  for (const ts of layerTensors) {
    const g = grads.slice(at, (at += ts.length));
    const squares = await tf.addN(g.map((t) => tf.sum(tf.square(t)))).data();
    gradNorms.push(Math.sqrt(squares[0]));
  }
  if (!gradNorms.every(Number.isFinite)) throw new Error('the gradients are not finite numbers');
  const layers: LayerStats[] = hidden.map((h, l) => ({ layer: l + 1, ...stats(h), gradNorm: gradNorms[l] }));
  return { layers, attention };
}

/** Runs fn in a tensor scope that frees every tensor it made (the result holds plain numbers). */
/** Kernels the stack's backward pass needs; tfjs-core's CommonJS build registers no gradients itself. */
const GRADIENT_KERNELS = ['BatchMatMul', 'RealDiv', 'Erf', 'Softmax', 'Mean', 'Sqrt', 'Transpose', 'Reshape', 'Multiply', 'Add'];

export function gradientsAvailable(tf: Tf): boolean {
  const get = (tf as unknown as { getGradient?: (k: string) => unknown }).getGradient;
  return typeof get === 'function' && GRADIENT_KERNELS.every((k) => get(k) != null);
}

function blockWeights(layers: number) {
  return initStack((seed) => initEncoderBlock(seed, D_MODEL), WEIGHT_SEED, layers, D_MODEL);
}

function asLearnerError(err: unknown): LearnerError {
  const e = err as { message?: string; location?: LearnerError['location'] };
  return { message: e?.message ?? String(err), location: e?.location };
}

/**
 * Whether attention.ts is the course's reference (re-exported from the helpers) or the
 * learner's own: the sidecar's runner knows (the reference functions are marked); without it,
 * called on invalid weights, the reference throws from inside the helpers, with
 * no line in attention.ts; the learner's own code throws from (or handles it in) attention.ts.
 */
function attentionSource(ctx: CheckContext): BlockViewData['attentionSource'] {
  if (ctx.isReference) return ctx.isReference('attention.ts', 'multiHeadAttention') ? 'reference' : 'learner';
  try {
    const mha = ctx.fn<(...a: unknown[]) => unknown>('attention.ts', 'multiHeadAttention');
    try {
      mha(ctx.tf.zeros([2, 4]), {}, 2);
      return 'learner';
    } catch (err) {
      const loc = (err as { location?: { file?: string } }).location;
      return loc?.file === 'attention.ts' ? 'learner' : 'reference';
    }
  } catch {
    return 'unknown';
  }
}

interface BlockShared {
  input: Required<BlockViewInput>;
  x: Tensor;
  readout: Tensor;
  plain: ReturnType<typeof blockWeights>;
}

function sourceText(tf: Tf, attentionFrom: BlockViewData['attentionSource']): string {
  const which =
    attentionFrom === 'reference'
      ? "attention.ts is the course's reference (no Lab 1 work was found)"
      : attentionFrom === 'learner'
        ? 'attention.ts is your own Lab 1 code'
        : 'attention.ts could not be loaded';
  return (
    `Untrained: every block's weights are seeded random at standard initialisation (N(0, 1/fan_in), γ = 1, β = 0, biases 0), ` +
    `the same for Pre-LN and Post-LN; tokens are seeded random embeddings (d = ${D_MODEL}) plus sinusoidal positions. ` +
    (gradientsAvailable(tf)
      ? `Gradients are of a fixed random linear read-out of the output. `
      : `Gradient norms are not shown: this compute backend has no gradients registered. `) +
    `${which}.`
  );
}

/** Two parts (core/checks/checkApi.ts LabView): the reference stacks run outside the learner's time limit. */
export const blockView: LabView<BlockViewData, BlockShared> = {
  async reference(ctx: ReferenceContext, rawInput: unknown) {
    const tf = ctx.tf;
    const input = parseBlockInput(rawInput);
    const tokens = tokenize(input.sentence).slice(0, MAX_TOKENS);
    const n = tokens.length;
    const x = tf.tensor2d(embedTokens(tokens, D_MODEL)); // [n, 16]
    const readout = tf.tensor2d(randomMatrix(mulberry32(READOUT_SEED), n, D_MODEL)); // [n, 16]
    const plain = blockWeights(input.layers);
    const refStack: StackFn = (xx, p, o) => encoderStackRef(tf, xx, p as never, o);
    const runs: BlockRun[] = [];
    for (const norm of ['pre', 'post'] as const) {
      const ref = await inTensorScope(tf, () => runStack(tf, refStack, x, plain, input.heads, norm, readout));
      runs.push({
        norm,
        label: norm === 'pre' ? 'Pre-LN: x + F(LN(x)), final LayerNorm' : 'Post-LN: LN(x + F(x))',
        learner: null,
        reference: ref.layers,
        attention: { learner: null, reference: ref.attention },
      });
    }
    const payload: BlockViewData = {
      input,
      tokens,
      dModel: D_MODEL,
      runs,
      attentionSource: 'unknown',
      source: sourceText(tf, 'unknown'),
      gradients: gradientsAvailable(tf),
      tolerance: 1e-3,
    };
    return { payload, shared: { input, x, readout, plain } };
  },

  async learner(ctx: CheckContext, payload: BlockViewData, { input, x, readout, plain }: BlockShared) {
    const tf = ctx.tf;
    let learnerStack: StackFn | undefined;
    let missing: LearnerError | undefined;
    try {
      learnerStack = ctx.fn<StackFn>('block.ts', 'encoderStack');
    } catch (err) {
      missing = asLearnerError(err);
    }
    for (const run of payload.runs) {
      run.learnerError = missing;
      if (!learnerStack) continue;
      try {
        const learner = await inTensorScope(tf, () => runStack(tf, learnerStack!, x, plain, input.heads, run.norm, readout));
        run.learner = learner.layers;
        run.attention.learner = learner.attention;
      } catch (err) {
        run.learnerError = asLearnerError(err);
      }
    }
    payload.attentionSource = attentionSource(ctx);
    payload.source = sourceText(tf, payload.attentionSource);
    payload.learnerError = payload.runs.find((r) => r.learnerError)?.learnerError;
    return payload;
  },
};
