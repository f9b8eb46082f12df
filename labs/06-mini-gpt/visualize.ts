// Lab 6 panels: the learner's decoding (filters, generation loop, beam search) and the
// learner's attention inside the trained mini-GPT, each beside the reference on the same
// inputs. A learner mistake never throws out of here: that part carries a learnerError.
import type { CheckContext, LabView, ReferenceContext, Tf } from '../../core/checks/checkApi';
import type { LearnerError } from '../../core/protocol/sidecar';
import type {
  BeamTreeView,
  Compared,
  DecodingViewData,
  DecodingViewInput,
  DistributionView,
  GeneratedText,
  ModelAttentionViewData,
  TokenBar,
} from '../../core/protocol/views/decodingView';
import { toNested } from '../../core/checks/expect';
import {
  beamSearchRef,
  filteredDistributionRef,
  generateRef,
  greedyRef,
  type BeamNode,
  type Strategy,
} from '../../sidecar/reference/decoding/decodingRef';
import { softmaxRef } from '../../sidecar/reference/activations';
import { gptForwardRef, nextLogitsTensorRef } from '../../sidecar/reference/miniGpt/forward';
import type { AttentionFn } from '../../sidecar/reference/miniGpt/layers';
import {
  cachedNextLogits,
  decodeIds,
  encodeText,
  trainedModel,
  untilLogitsReady,
  weightTensors,
  type ModelNextLogits,
  type TrainedModel,
} from '../../sidecar/reference/decoding/trainedModel';
import { mulberry32 } from '../../sidecar/reference/random';

const DEC = 'decoding.ts';
const TOP = 20;
const DEFAULT_PROMPT = 'Call me Ishmael.';
const ATTENTION_PROMPT_MAX = 32;
const GENERATE_CHARS = 32;
type NextLogits = (tokens: number[]) => number[];

function clamp(v: unknown, lo: number, hi: number, dflt: number, integer = false): number {
  const n = Number(v);
  if (!Number.isFinite(n)) return dflt;
  const c = Math.min(hi, Math.max(lo, n));
  return integer ? Math.round(c) : c;
}

export function parseDecodingInput(input: unknown): DecodingViewInput {
  const i = (input ?? {}) as Partial<DecodingViewInput>;
  return {
    prompt: typeof i.prompt === 'string' && i.prompt.length > 0 ? i.prompt.slice(-256) : DEFAULT_PROMPT,
    strategy: i.strategy === 'sample' || i.strategy === 'beam' ? i.strategy : 'greedy',
    temperature: clamp(i.temperature, 0.05, 5, 1),
    topK: clamp(i.topK, 0, 1000, 0, true),
    topP: clamp(i.topP, 0.01, 1, 1),
    seed: clamp(i.seed, 0, 2 ** 31 - 1, 1, true),
    steps: clamp(i.steps, 1, 64, 32, true),
    beamWidth: clamp(i.beamWidth, 1, 8, 3, true),
  };
}

function toLearnerError(err: unknown): LearnerError {
  const e = err as { message?: string; location?: LearnerError['location'] };
  return { message: e?.message ?? String(err), location: e?.location };
}

/** Runs a learner part into its pair; a throw becomes { learner: null, learnerError }. */
async function fill<T>(pair: Compared<T>, learner: () => T | Promise<T>): Promise<void> {
  try {
    pair.learner = await learner();
  } catch (err) {
    pair.learnerError = toLearnerError(err);
  }
}

async function probabilities(value: unknown, what: string, V: number): Promise<number[]> {
  const x = await toNested(value, what);
  if (!Array.isArray(x) || x.length !== V || x.some((p) => typeof p !== 'number' || !Number.isFinite(p))) {
    throw new Error(`${what} should return ${V} finite probabilities (one per character)`);
  }
  return x as number[];
}

function bars(model: TrainedModel, probs: number[], kept: number[]): TokenBar[] {
  return probs
    .map((p, id) => ({ id, token: model.vocab[id] ?? '?', probability: p, kept: kept[id] > 0 }))
    .sort((a, b) => b.probability - a.probability || a.id - b.id)
    .slice(0, TOP);
}

type Filters = {
  applyTemperature: (l: number[], t: number) => unknown;
  topK: (p: number[], k: number) => unknown;
  topP: (p: number[], pp: number) => unknown;
  greedy: (l: number[]) => unknown;
};

async function distribution(model: TrainedModel, logits: number[], s: DecodingViewInput, f: Filters | null): Promise<DistributionView> {
  const V = logits.length;
  const raw = softmaxRef(logits);
  let after: number[];
  if (s.strategy === 'greedy') {
    const g = f ? Number(f.greedy(logits.slice())) : greedyRef(logits);
    if (!Number.isInteger(g) || g < 0 || g >= V) throw new Error(`greedy should return a token index 0…${V - 1}`);
    after = raw.map((_, i) => (i === g ? 1 : 0));
  } else if (s.strategy === 'beam') {
    after = raw; // beam search ranks by log-probability; no filter
  } else if (!f) {
    after = filteredDistributionRef(logits, { temperature: s.temperature, topK: s.topK || undefined, topP: s.topP < 1 ? s.topP : undefined });
  } else {
    after = await probabilities(f.applyTemperature(logits.slice(), s.temperature), 'applyTemperature', V);
    if (s.topK > 0) after = await probabilities(f.topK(after.slice(), s.topK), 'topK', V);
    if (s.topP < 1) after = await probabilities(f.topP(after.slice(), s.topP), 'topP', V);
  }
  return { before: bars(model, raw, after), after: bars(model, after, after) };
}

function recorded(next: NextLogits): { next: NextLogits; log: number[][] } {
  const log: number[][] = [];
  return {
    log,
    next: (tokens) => {
      const l = next(tokens);
      log.push(l);
      return l.slice();
    },
  };
}

function generatedText(model: TrainedModel, tokens: unknown, prompt: number[], logs: number[][], steps: number): GeneratedText {
  if (!Array.isArray(tokens) || tokens.some((t) => !Number.isInteger(t) || t < 0 || t >= model.vocab.length)) {
    throw new Error('generate should return an array of token ids');
  }
  if (tokens.length !== prompt.length + steps) throw new Error(`generate should return the prompt plus ${steps} tokens (${prompt.length + steps}), got ${tokens.length}`);
  const ids = tokens as number[];
  return {
    text: decodeIds(model, ids),
    steps: ids.slice(prompt.length).map((id, i) => ({ id, token: model.vocab[id], probability: logs[i] ? softmaxRef(logs[i])[id] : NaN })),
  };
}

function beamTree(model: TrainedModel, value: unknown): BeamTreeView {
  const r = value as { tokens?: unknown; logProb?: unknown; score?: unknown; tree?: unknown } | undefined;
  if (!r || !Array.isArray(r.tokens) || !Array.isArray(r.tree) || typeof r.logProb !== 'number' || typeof r.score !== 'number') {
    throw new Error('beamSearch should return { tokens, logProb, score, hypotheses, tree }');
  }
  const nodes = (r.tree as BeamNode[]).slice(0, 2000).map((n) => {
    if (!n || typeof n.id !== 'number' || typeof n.parent !== 'number' || typeof n.token !== 'number') throw new Error('every tree node needs numbers id, parent, token');
    return { id: n.id, parent: n.parent, tokenId: n.token, token: n.token < 0 ? '' : (model.vocab[n.token] ?? '?'), logProb: Number(n.logProb), step: Number(n.step), status: n.status };
  });
  return { nodes, best: { text: decodeIds(model, r.tokens as number[]), logProb: r.logProb, score: r.score } };
}

interface DecodingShared {
  s: DecodingViewInput;
  model: TrainedModel;
  prompt: number[];
  next: ModelNextLogits;
  logits: number[];
  sampling: { temperature: number; topK?: number; topP?: number };
}

const asText = (t: BeamTreeView): GeneratedText => ({ text: t.best.text, steps: [] });

/** Two parts (core/checks/checkApi.ts LabView): the reference generation or beam search runs outside the learner's time limit. */
export const decodingView: LabView<DecodingViewData, DecodingShared> = {
  async reference(ctx: ReferenceContext, rawInput: unknown) {
    const s = parseDecodingInput(rawInput);
    const model = trainedModel();
    const enc = encodeText(model, s.prompt);
    const prompt = enc.ids.length > 0 ? enc.ids : encodeText(model, DEFAULT_PROMPT).ids;
    const next = cachedNextLogits(ctx.tf, model, (w, tokens) => nextLogitsTensorRef(ctx.tf, w, model.config, tokens));
    const logits = await untilLogitsReady(next, () => next(prompt));
    const sampling = { temperature: s.temperature, topK: s.topK || undefined, topP: s.topP < 1 ? s.topP : undefined };
    const refStrategy: Strategy = s.strategy === 'sample' ? { kind: 'sample', ...sampling, rng: mulberry32(s.seed) } : { kind: 'greedy' };
    let generation: Compared<GeneratedText>;
    let beam: Compared<BeamTreeView> | undefined;
    if (s.strategy === 'beam') {
      const refTree = beamTree(model, await untilLogitsReady(next, () => beamSearchRef(next, prompt, beamOptions(s))));
      beam = { learner: null, reference: refTree };
      generation = { learner: null, reference: asText(refTree) };
    } else {
      generation = {
        learner: null,
        reference: await untilLogitsReady(next, () => {
          // Each run from the start: its own log, a fresh seeded rng.
          const ref = recorded(next);
          const strategy: Strategy = refStrategy.kind === 'sample' ? { ...refStrategy, rng: mulberry32(s.seed) } : refStrategy;
          return generatedText(model, generateRef(ref.next, prompt, s.steps, strategy), prompt, ref.log, s.steps);
        }),
      };
    }
    const payload: DecodingViewData = {
      settings: s,
      dropped: enc.dropped,
      promptTokens: prompt.map((id) => model.vocab[id]),
      distribution: { learner: null, reference: await distribution(model, logits, s, null) },
      generation,
      beam,
      source:
        `The trained character-level mini-GPT (${model.config.nLayer} layers, ${model.config.nHead} heads, ${model.config.nEmbd} dims, ` +
        `context ${model.config.blockSize} characters, trained on Moby-Dick). Your decoding functions and the reference get the same logits and the same seed.`,
    };
    return { payload, shared: { s, model, prompt, next, logits, sampling } };
  },

  async learner(ctx: CheckContext, payload: DecodingViewData, { s, model, prompt, next, logits, sampling }: DecodingShared) {
    const fnOf = <T>(name: string) => ctx.fn<(...a: unknown[]) => unknown>(DEC, name) as unknown as T;
    await fill(payload.distribution, () =>
      distribution(model, logits, s, {
        applyTemperature: fnOf('applyTemperature'),
        topK: fnOf('topK'),
        topP: fnOf('topP'),
        greedy: fnOf('greedy'),
      }),
    );
    if (payload.beam) {
      await fill(payload.beam, () =>
        untilLogitsReady(next, () => beamTree(model, fnOf<(n: NextLogits, p: number[], o: unknown) => unknown>('beamSearch')(next, prompt.slice(), beamOptions(s)))),
      );
      payload.generation.learner = payload.beam.learner ? asText(payload.beam.learner) : null;
      payload.generation.learnerError = payload.beam.learnerError;
    } else {
      await fill(payload.generation, () =>
        untilLogitsReady(next, () => {
          const mine = recorded(next);
          const strategy = s.strategy === 'sample' ? { kind: 'sample', ...sampling, rng: mulberry32(s.seed) } : { kind: 'greedy' };
          const out = fnOf<(n: NextLogits, p: number[], st: number, x: unknown) => unknown>('generate')(mine.next, prompt.slice(), s.steps, strategy);
          return generatedText(model, out, prompt, mine.log, s.steps);
        }),
      );
    }
    return payload;
  },
};

/** Each beam step runs width forward passes: at most 16 steps in the panel. */
function beamOptions(s: DecodingViewInput): { width: number; maxLength: number } {
  return { width: s.beamWidth, maxLength: Math.min(s.steps, 16) };
}

async function checkMaps(value: unknown, nHead: number, T: number): Promise<number[][][]> {
  const x = (await toNested(value, 'attention weights')) as unknown;
  const ok =
    Array.isArray(x) &&
    x.length === nHead &&
    x.every((m) => Array.isArray(m) && m.length === T && m.every((r: unknown) => Array.isArray(r) && r.length === T && r.every((v) => typeof v === 'number')));
  if (!ok) throw new Error(`attention should return weights of shape [${nHead}, ${T}, ${T}] for q, k, v of shape [${nHead}, ${T}, dHead]`);
  return x as number[][][];
}

interface ModelAttentionShared {
  model: TrainedModel;
  w: ReturnType<typeof weightTensors>;
  ids: number[];
}

/** Two parts (core/checks/checkApi.ts LabView): the reference model's maps and text first, outside the learner's time limit. */
export const modelAttentionView: LabView<ModelAttentionViewData, ModelAttentionShared> = {
  async reference(ctx: ReferenceContext, rawInput: unknown) {
    const tf: Tf = ctx.tf;
    const model = trainedModel();
    const { nLayer, nHead } = model.config;
    const w = weightTensors(tf, model);
    const text = String((rawInput as { prompt?: unknown } | undefined)?.prompt ?? '') || DEFAULT_PROMPT;
    const enc = encodeText(model, text);
    const ids = (enc.ids.length > 0 ? enc.ids : encodeText(model, DEFAULT_PROMPT).ids).slice(-ATTENTION_PROMPT_MAX);
    const refNext = cachedNextLogits(tf, model, (weights, t) => nextLogitsTensorRef(tf, weights, model.config, t));
    const payload: ModelAttentionViewData = {
      tokens: ids.map((id) => model.vocab[id]),
      dropped: enc.dropped,
      nLayer,
      nHead,
      maps: { learner: null, reference: await readMaps(gptForwardRef(tf, w, model.config, ids, { keepAttention: true }).attentionTensors!) },
      generated: { learner: null, reference: await greedyText(model, ids, refNext) },
      tolerance: 1e-4,
      source:
        `Your attention.ts's attention, plugged into every layer of the trained mini-GPT (everything else is the reference model), ` +
        `beside the reference. Prompt cut to its last ${ATTENTION_PROMPT_MAX} characters; ${GENERATE_CHARS} characters generated greedily.`,
    };
    return { payload, shared: { model, w, ids } };
  },

  async learner(ctx: CheckContext, payload: ModelAttentionViewData, { model, w, ids }: ModelAttentionShared) {
    const tf: Tf = ctx.tf;
    // The learner's Lab 1 attention, checked for shape on every call, inside the reference model.
    let learnerAttention: AttentionFn;
    try {
      const attention = ctx.fn<AttentionFn>('attention.ts', 'attention');
      learnerAttention = (q, k, v, mask) => {
        const out = attention(q, k, v, mask) as { output?: unknown; weights?: unknown } | undefined;
        if (!out || typeof out !== 'object' || !out.output || !out.weights) throw new Error('attention should return { output, weights }');
        const o = out.output as ReturnType<Tf['tensor']>;
        if (!Array.isArray(o.shape) || o.shape.join() !== q.shape.join()) throw new Error(`attention output should have shape [${q.shape}], got ${Array.isArray(o.shape) ? `[${o.shape}]` : 'no tensor'}`);
        return out as { output: ReturnType<Tf['tensor']>; weights: ReturnType<Tf['tensor']> };
      };
    } catch (err) {
      payload.maps.learnerError = payload.generated.learnerError = toLearnerError(err);
      return payload;
    }
    await fill(payload.maps, () => {
      const got = gptForwardRef(tf, w, model.config, ids, { attention: learnerAttention, keepAttention: true }).attentionTensors!;
      return Promise.all(got.map((m) => checkMaps(m, payload.nHead, ids.length)));
    });
    if (payload.maps.learnerError) payload.generated.learnerError = payload.maps.learnerError;
    else {
      // Logits with the learner's attention in every layer: a cache of their own, not the reference model's.
      const mine = cachedNextLogits(tf, model, (weights, t) => nextLogitsTensorRef(tf, weights, model.config, t, learnerAttention), { cache: 'own' });
      await fill(payload.generated, () => greedyText(model, ids, mine));
    }
    return payload;
  },
};

/** GENERATE_CHARS characters after `ids`, greedily, from `next`. */
function greedyText(model: TrainedModel, ids: number[], next: ModelNextLogits): Promise<string> {
  return untilLogitsReady(next, () => decodeIds(model, generateRef(next, ids, GENERATE_CHARS, { kind: 'greedy' }).slice(ids.length)));
}

/** The reference model's maps [layer][head][query][key], read with `await`. */
function readMaps(maps: ReturnType<Tf['tensor']>[]): Promise<number[][][][]> {
  return Promise.all(maps.map(async (m) => (await m.array()) as number[][][]));
}
