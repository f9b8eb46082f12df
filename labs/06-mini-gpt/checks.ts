// Lab 6 checks: decoding strategies on plain numbers, then the learner's forward pass on the
// trained mini-GPT. Trusted code in the sidecar's worker; learner functions only via ctx.fn.
import type { CheckContext, LabModule, Tf } from '../../core/checks/checkApi';
import { CheckFailure } from '../../core/checks/checkApi';
import { describe, expectAllClose, expectFinite, expectOutputAndWeights, expectShape, expectZerosWhere, fmt, toNested } from '../../core/checks/expect';
import {
  applyTemperatureRef,
  beamSearchRef,
  exhaustiveSearchRef,
  filteredDistributionRef,
  generateRef,
  greedyRef,
  topKRef,
  topPRef,
  type BeamNode,
} from '../../sidecar/reference/decoding/decodingRef';
import { geluRef, softmaxRef } from '../../sidecar/reference/activations';
import type { MiniGptConfig as GptConfig } from '../../sidecar/reference/miniGpt/config';
import { gptForwardRef, nextLogitsTensorRef } from '../../sidecar/reference/miniGpt/forward';
import { blockRef, causalSelfAttentionRef, embed, layerNormOf, mlpRef, type Params as GptWeights } from '../../sidecar/reference/miniGpt/layers';
import { layerNormRef } from '../../sidecar/reference/normalisation';
import { chiSquareTest } from '../../sidecar/reference/decoding/stats';
import { cachedNextLogits, encodeText, trainedModel, untilLogitsReady, weightTensors } from '../../sidecar/reference/decoding/trainedModel';
import { randomMatrix } from '../../sidecar/reference/random';
import { decodingView, modelAttentionView } from './visualize';

const DEC = 'decoding.ts';
const MODEL = 'model.ts';
type Tensor = ReturnType<Tf['tensor']>;
type NextLogits = (tokens: number[]) => number[];

/** Significance of the sampling test: a correct sampler fails it on 0.1% of fresh seeds. */
export const SAMPLE_TEST_ALPHA = 0.001;
export const SAMPLE_COUNT = 10_000;
export const SAMPLE_SEED = 6006;
export const PROMPT = 'Call me Ishmael. Some years ago';

// ── helpers ──

async function numbers(value: unknown, what: string, length?: number): Promise<number[]> {
  const x = await toNested(value, what);
  if (!Array.isArray(x) || x.some((v) => typeof v !== 'number')) {
    throw new CheckFailure(`${what} should be a flat array of numbers`, { expected: 'number[]', actual: describe(value) });
  }
  if (length !== undefined && x.length !== length) {
    throw new CheckFailure(`${what} has ${x.length} entries, one per token is ${length}`, { expected: `length ${length}`, actual: `length ${x.length}` });
  }
  return x as number[];
}

function tokenIndex(value: unknown, what: string, vocab: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= vocab) {
    throw new CheckFailure(`${what} should be a token index 0…${vocab - 1}`, { expected: 'an integer index', actual: describe(value) });
  }
  return value;
}

function tokenList(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number')) {
    throw new CheckFailure(`${what} should be an array of token ids`, { expected: 'number[]', actual: describe(value) });
  }
  return value as number[];
}

function keptSet(probs: number[]): number[] {
  return probs.flatMap((p, i) => (p > 0 ? [i] : []));
}

function expectKept(got: number[], expected: number[], what: string, why: string): void {
  const g = keptSet(got);
  const e = keptSet(expected);
  if (g.join() !== e.join()) {
    throw new CheckFailure(`${what} keeps tokens {${g.join(', ')}} but should keep {${e.join(', ')}}: ${why}`, {
      expected: `kept {${e.join(', ')}} → [${expected.map(fmt).join(', ')}]`,
      actual: `kept {${g.join(', ')}} → [${got.map(fmt).join(', ')}]`,
    });
  }
}

/**
 * The trained model as a nextLogits function. A run that calls it goes through
 * untilLogitsReady: on webgpu the logits are read with `await`, and the run is repeated from
 * the start until each context it asked for is computed (a few dozen runs of cheap decoding code).
 */
function modelSetup(ctx: CheckContext) {
  const model = trainedModel();
  const next = cachedNextLogits(ctx.tf, model, (w, tokens) => nextLogitsTensorRef(ctx.tf, w, model.config, tokens));
  return { model, next, prompt: encodeText(model, PROMPT).ids };
}

/** A next-token table over a tiny vocabulary where the logits depend on the whole prefix. */
export function hashedLogits(seed: number, vocab: number, spread = 3): NextLogits {
  return (tokens) => {
    let h = (seed ^ 0x9e3779b9) >>> 0;
    for (const t of tokens) h = Math.imul(h ^ (t + 1), 0x01000193) >>> 0;
    let a = h;
    return Array.from({ length: vocab }, () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5) * 2 * spread;
    });
  };
}

/**
 * Greedy's trap: "a" is the likeliest first token (0.5 vs 0.4), but everything after "a" is
 * flat (0.35), while "b" is followed by "a" with 0.9. Greedy: a·a = 0.175; best: b·a = 0.36.
 */
export const GREEDY_TRAP: { table: Record<string, number[]>; next: NextLogits } = {
  table: { '': [0.5, 0.4, 0.1], '0': [0.35, 0.33, 0.32], '1': [0.9, 0.05, 0.05], '2': [0.4, 0.3, 0.3] },
  next: (tokens) => {
    const key = tokens.slice(1).join(',');
    const p = GREEDY_TRAP.table[key] ?? [1 / 3, 1 / 3, 1 / 3];
    return p.map(Math.log);
  },
};

/**
 * The end token and the length penalty: token 2 ends a hypothesis. Ending at once has
 * p = 0.4; "a b END" has p = 0.5 · 0.85 · 0.85 = 0.361. With α = 0 the short one wins
 * (ln 0.4 = −0.916 > ln 0.361 = −1.019); with α = 1 the long one does, because its score is
 * divided by lp(3) = (5 + 3)/6 = 1.333 (→ −0.764) and the short one's by lp(1) = 1.
 */
export const ENDING: { table: Record<string, number[]>; next: NextLogits; endToken: number } = {
  table: { '': [0.5, 0.1, 0.4], '0': [0.075, 0.85, 0.075], '0,1': [0.075, 0.075, 0.85] },
  endToken: 2,
  next: (tokens) => {
    const p = ENDING.table[tokens.slice(1).join(',')] ?? [0.3, 0.3, 0.4];
    return p.map(Math.log);
  },
};

type BeamFn = (next: NextLogits, prompt: number[], opts: { width: number; maxLength: number; lengthPenalty?: number; endToken?: number }) => unknown;

function beamResult(value: unknown, what: string): { tokens: number[]; logProb: number; score: number; tree?: unknown } {
  const v = value as { tokens?: unknown; logProb?: unknown; score?: unknown; tree?: unknown } | undefined;
  if (!v || typeof v !== 'object' || !Array.isArray(v.tokens) || typeof v.logProb !== 'number' || typeof v.score !== 'number') {
    throw new CheckFailure(`${what} should return { tokens, logProb, score, hypotheses, tree }`, {
      expected: '{ tokens: number[], logProb: number, score: number, … }',
      actual: describe(value),
    });
  }
  return { tokens: tokenList(v.tokens, `${what}.tokens`), logProb: v.logProb, score: v.score, tree: v.tree };
}

function expectSameTokens(got: number[], expected: number[], what: string, explain: (i: number) => string = () => ''): void {
  const n = Math.max(got.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (got[i] !== expected[i]) {
      throw new CheckFailure(`${what} differs at position ${i}: expected token ${expected[i]}, got ${got[i]}${explain(i)}`, {
        expected: `[${expected.join(', ')}] (${expected.length} tokens)`,
        actual: `[${got.join(', ')}] (${got.length} tokens)`,
      });
    }
  }
}

function mgSetup(ctx: CheckContext) {
  const model = trainedModel();
  const w = weightTensors(ctx.tf, model);
  const tf = ctx.tf;
  const ids = encodeText(model, PROMPT).ids;
  return { model, w, tf, ids, config: model.config };
}

async function learnerTensor(value: unknown, what: string): Promise<number[][]> {
  return (await expectFinite(value, what)) as number[][];
}

// ── checks ──

export const checks: LabModule['checks'] = {
  // ── Level 1: one step ──
  'greedy-argmax': (ctx) => {
    const greedy = ctx.fn<(l: number[]) => unknown>(DEC, 'greedy');
    const cases = [
      [0.1, 2.5, -1, 2.4],
      [-5, -3, -4],
      [1, 3, 3, 0], // a tie: the lower index, 1, wins
      [7, 7, 7],
    ];
    for (const logits of cases) {
      const got = greedy(logits);
      const exp = greedyRef(logits);
      if (got !== exp) {
        throw new CheckFailure(`greedy([${logits}]) should be ${exp}${logits.filter((l) => l === logits[exp]).length > 1 ? ' (a tie: the lowest index wins)' : ''}`, {
          expected: String(exp),
          actual: describe(got),
        });
      }
    }
  },
  'greedy-on-trained-model': async (ctx) => {
    const greedy = ctx.fn<(l: number[]) => unknown>(DEC, 'greedy');
    const { model, next, prompt } = modelSetup(ctx);
    const tokens = prompt.slice();
    for (let step = 0; step < 24; step++) {
      const logits = await untilLogitsReady(next, () => next(tokens));
      const got = tokenIndex(greedy(logits.slice()), `greedy(logits) at step ${step}`, model.config.vocabSize);
      const exp = greedyRef(logits);
      if (got !== exp) {
        throw new CheckFailure(`greedy(the trained model's logits at generation step ${step}) chose ${JSON.stringify(model.vocab[got])} (logit ${fmt(logits[got])}) but the argmax is ${JSON.stringify(model.vocab[exp])} (logit ${fmt(logits[exp])})`, {
          expected: `token ${exp}`,
          actual: `token ${got}`,
        });
      }
      tokens.push(exp);
    }
  },
  'temperature-softmax': async (ctx) => {
    const applyTemperature = ctx.fn<(l: number[], t: number) => unknown>(DEC, 'applyTemperature');
    const logits = [2, 1, 0.5, -1, 3.5, 0];
    for (const T of [1, 0.5, 2, 0.25, 5]) {
      const what = `applyTemperature([${logits.join(', ')}], ${T})`;
      const got = await numbers(applyTemperature(logits.slice(), T), what, logits.length);
      const exp = applyTemperatureRef(logits, T);
      const softmaxThenScaled = softmaxRef(logits);
      if (T !== 1 && got.every((g, i) => Math.abs(g - softmaxThenScaled[i]) < 1e-9)) {
        throw new CheckFailure(`${what} returned softmax(logits) unchanged: divide the LOGITS by T before the softmax (scaling probabilities and renormalising undoes itself)`, {
          expected: `[${exp.map(fmt).join(', ')}]`,
          actual: `[${got.map(fmt).join(', ')}]`,
        });
      }
      await expectAllClose(got, exp, `${what} (softmax(logits / ${T}))`, {
        atol: 1e-9,
        rtol: 1e-9,
        known: [{ value: () => applyTemperatureRef(logits, 1 / T), means: `that multiplies the logits by ${T}: divide them by T` }],
      });
    }
  },
  'temperature-rejects-nonpositive': async (ctx) => {
    const applyTemperature = ctx.fn<(l: number[], t: number) => unknown>(DEC, 'applyTemperature');
    // A valid temperature first, so code that throws for everything does not pass.
    await expectAllClose(applyTemperature([1, 2, 3], 1), softmaxRef([1, 2, 3]), 'applyTemperature([1, 2, 3], 1)', { atol: 1e-9 });
    for (const T of [0, -1]) {
      let result: unknown;
      try {
        result = applyTemperature([1, 2, 3], T);
      } catch {
        continue; // expected: a clear error
      }
      throw new CheckFailure(`applyTemperature([1, 2, 3], ${T}) should throw an Error (T must be > 0; T → 0 means greedy, T = 0 divides by zero)`, {
        expected: 'an Error thrown',
        actual: `returned ${JSON.stringify(result)}`,
      });
    }
  },
  'temperature-small-t': async (ctx) => {
    await smallTemperature(ctx, [2, 5, 4.9, -1], 0.005, 'almost one-hot on the argmax');
  },
  'temperature-near-zero': async (ctx) => {
    await smallTemperature(ctx, [3, 1, 3, -2], 0.001, 'two tied maxima: one half each');
  },
  'top-k-keeps-k': async (ctx) => {
    const topK = ctx.fn<(p: number[], k: number) => unknown>(DEC, 'topK');
    const probs = softmaxRef([1.2, -0.3, 2.2, 0.1, 1.9, -2, 0.7, 1.1]);
    for (const k of [1, 3, 5, 8, 20]) {
      const what = `topK(softmax([1.2, -0.3, 2.2, 0.1, 1.9, -2, 0.7, 1.1]), ${k})`;
      const got = await numbers(topK(probs.slice(), k), what, probs.length);
      const exp = topKRef(probs, k);
      expectKept(got, exp, what, `the ${Math.min(k, probs.length)} most probable tokens stay`);
      await expectAllClose(got, exp, `${what} (renormalised)`, {
        atol: 1e-9,
        known: [{ value: () => exp.map((q, i) => (q > 0 ? probs[i] : 0)), means: 'that keeps the right tokens but does not renormalise: divide the kept probabilities by their sum' }],
      });
    }
  },
  'top-k-ties': async (ctx) => {
    const topK = ctx.fn<(p: number[], k: number) => unknown>(DEC, 'topK');
    // k = 2 cuts through three tokens of probability 0.2: exactly 2 stay, the lower index first.
    const probs = [0.1, 0.3, 0.2, 0.2, 0.2];
    for (const k of [2, 3]) {
      const got = await numbers(topK(probs.slice(), k), `topK([${probs}], ${k})`, probs.length);
      const exp = topKRef(probs, k);
      const kept = keptSet(got).length;
      if (kept !== k) {
        throw new CheckFailure(`topK([${probs}], ${k}) keeps ${kept} tokens; it must keep exactly ${k}, even when several tokens tie at the k-th probability`, {
          expected: `${k} tokens: {${keptSet(exp).join(', ')}}`,
          actual: `${kept} tokens: {${keptSet(got).join(', ')}}`,
        });
      }
      expectKept(got, exp, `topK([${probs}], ${k})`, 'among equal probabilities the lower index is kept first');
      await expectAllClose(got, exp, `topK([${probs}], ${k})`, { atol: 1e-9 });
    }
  },
  'top-k-random': async (ctx) => {
    const topK = ctx.fn<(p: number[], k: number) => unknown>(DEC, 'topK');
    const rand = ctx.rng(61);
    for (let trial = 0; trial < 5; trial++) {
      // Logits rounded to halves, so ties happen.
      const probs = softmaxRef(Array.from({ length: 12 }, () => Math.round(rand() * 6) / 2));
      const k = 1 + Math.floor(rand() * 12);
      const what = `topK([${probs.map(fmt).join(', ')}], ${k})`;
      const got = await numbers(topK(probs.slice(), k), what, 12);
      const exp = topKRef(probs, k);
      expectKept(got, exp, what, 'exactly k tokens, lower index first among ties');
      await expectAllClose(got, exp, what, { atol: 1e-9 });
    }
  },
  'top-p-includes-crossing-token': async (ctx) => {
    const topP = ctx.fn<(p: number[], pp: number) => unknown>(DEC, 'topP');
    // Sorted: 0.5 (token 1), 0.25 (token 3), 0.125 (token 0), 0.0625, 0.0625.
    const probs = [0.125, 0.5, 0.0625, 0.25, 0.0625];
    for (const p of [0.7, 0.3, 0.8]) {
      const got = await numbers(topP(probs.slice(), p), `topP([${probs}], ${p})`, probs.length);
      const exp = topPRef(probs, p);
      expectKept(got, exp, `topP([${probs}], ${p})`, `keep tokens by descending probability until the mass reaches ${p}, including the token that crosses it`);
      await expectAllClose(got, exp, `topP([${probs}], ${p}) (renormalised)`, { atol: 1e-9 });
    }
  },
  'top-p-exact-mass': async (ctx) => {
    const topP = ctx.fn<(p: number[], pp: number) => unknown>(DEC, 'topP');
    // p = 0.5 and 0.75 are reached exactly (0.5; 0.5 + 0.25): no further token may be added.
    const probs = [0.125, 0.5, 0.0625, 0.25, 0.0625];
    for (const p of [0.5, 0.75, 1]) {
      const got = await numbers(topP(probs.slice(), p), `topP([${probs}], ${p})`, probs.length);
      const exp = topPRef(probs, p);
      expectKept(got, exp, `topP([${probs}], ${p})`, `the kept mass reaches ${p} exactly, so the set is complete (stop when mass ≥ p)`);
      await expectAllClose(got, exp, `topP([${probs}], ${p})`, { atol: 1e-9 });
    }
  },
  'top-p-random': async (ctx) => {
    const topP = ctx.fn<(p: number[], pp: number) => unknown>(DEC, 'topP');
    const rand = ctx.rng(62);
    for (let trial = 0; trial < 6; trial++) {
      const probs = softmaxRef(Array.from({ length: 10 }, () => rand() * 4));
      const p = 0.05 + 0.9 * rand();
      const what = `topP([${probs.map(fmt).join(', ')}], ${fmt(p)})`;
      const got = await numbers(topP(probs.slice(), p), what, 10);
      const exp = topPRef(probs, p);
      expectKept(got, exp, what, 'the smallest most-probable set whose mass is ≥ p');
      await expectAllClose(got, exp, what, { atol: 1e-9 });
    }
  },
  'sample-inverse-cdf': (ctx) => {
    const sampleFrom = ctx.fn<(p: number[], rng: () => number) => unknown>(DEC, 'sampleFrom');
    const probs = [0.25, 0, 0.5, 0.25]; // CDF: 0.25, 0.25, 0.75, 1
    const cases: [number, number][] = [
      [0, 0],
      [0.2, 0],
      [0.25, 2], // u = 0.25 is not < 0.25, and token 1 has probability 0
      [0.74, 2],
      [0.75, 3],
      [0.999, 3],
    ];
    for (const [u, exp] of cases) {
      let calls = 0;
      const got = sampleFrom(probs.slice(), () => {
        calls++;
        return u;
      });
      if (got !== exp || calls !== 1) {
        throw new CheckFailure(
          calls !== 1
            ? `sampleFrom([${probs}], rng) called rng() ${calls} times for one sample; call it exactly once (and never Math.random), so a seed replays the same text`
            : `sampleFrom([${probs}], rng = () => ${u}) should return ${exp}: the first i with u < p_0 + … + p_i`,
          { expected: `token ${exp} with 1 rng() call`, actual: `${describe(got)} with ${calls} rng() calls` },
        );
      }
    }
  },
  'sample-distribution': (ctx) => {
    const sampleFrom = ctx.fn<(p: number[], rng: () => number) => unknown>(DEC, 'sampleFrom');
    const logits = randomMatrix(ctx.rng(63), 1, 16, 1.5)[0];
    const probs = filteredDistributionRef(logits, { temperature: 0.8, topK: 10, topP: 0.95 });
    const rng = ctx.rng(SAMPLE_SEED);
    const counts = new Array<number>(probs.length).fill(0);
    for (let s = 0; s < SAMPLE_COUNT; s++) {
      const t = tokenIndex(sampleFrom(probs, rng), `sampleFrom (sample ${s})`, probs.length);
      if (probs[t] === 0) {
        throw new CheckFailure(`sampleFrom(filtered distribution, seeded rng): sample ${s} is token ${t}, whose probability is 0 (the filters removed it)`, {
          expected: `a token from {${keptSet(probs).join(', ')}}`,
          actual: `token ${t}`,
        });
      }
      counts[t]++;
    }
    const test = chiSquareTest(counts, probs, SAMPLE_COUNT);
    if (test.pValue < SAMPLE_TEST_ALPHA) {
      const kept = keptSet(probs);
      throw new CheckFailure(
        `sampleFrom(filtered distribution over ${kept.length} tokens, seeded rng): ${SAMPLE_COUNT} samples do not follow the distribution: χ² = ${fmt(test.statistic)} with ${test.df} degrees of freedom, p = ${fmt(test.pValue)} < ${SAMPLE_TEST_ALPHA}`,
        {
          expected: kept.map((i) => `${i}: ${Math.round(probs[i] * SAMPLE_COUNT)}`).join(', '),
          actual: kept.map((i) => `${i}: ${counts[i]}`).join(', '),
        },
      );
    }
  },

  // ── Level 2: the loop ──
  'generate-greedy': async (ctx) => {
    // The prompt array itself, not a copy: this check is about what generate does to it.
    const generate = ctx.fn<(n: NextLogits, p: number[], s: number, st: unknown) => unknown>(DEC, 'generate', { shareArguments: true });
    const { model, next, prompt } = modelSetup(ctx);
    const exp = await untilLogitsReady(next, () => generateRef(next, prompt, 20, { kind: 'greedy' }));
    let seen: number[] = [];
    let callersPrompt: number[] = [];
    const got = await untilLogitsReady(next, () => {
      seen = [];
      callersPrompt = prompt.slice();
      const counted: NextLogits = (tokens) => {
        seen.push(tokens.length);
        return next(tokens);
      };
      return tokenList(generate(counted, callersPrompt, 20, { kind: 'greedy' }), `generate(model, "${PROMPT}", 20, greedy)`);
    });
    if (callersPrompt.join() !== prompt.join()) {
      throw new CheckFailure(`generate(model, "${PROMPT}", 20, greedy) changed the caller's prompt array (now ${callersPrompt.length} tokens): copy the prompt before pushing to it — the caller still owns it`, {
        expected: `the prompt unchanged, ${prompt.length} tokens`,
        actual: `${callersPrompt.length} tokens: [${callersPrompt.slice(0, 8).join(', ')}${callersPrompt.length > 8 ? ', …' : ''}]`,
      });
    }
    expectSameTokens(got, exp, `generate(model, "${PROMPT}", 20 steps, greedy)`, (i) =>
      i < prompt.length ? ' (the prompt must come back unchanged at the start)' : ` — generated so far ${JSON.stringify(exp.slice(prompt.length, i).map((t) => model.vocab[t]).join(''))}`,
    );
    const expectedLengths = Array.from({ length: 20 }, (_, i) => prompt.length + i);
    if (seen.join() !== expectedLengths.join()) {
      throw new CheckFailure(`generate(model, "${PROMPT}", 20, greedy) should call nextLogits once per step, with all the tokens so far`, {
        expected: `calls with ${expectedLengths[0]}, ${expectedLengths[1]}, … ${expectedLengths[19]} tokens`,
        actual: `${seen.length} calls with [${seen.slice(0, 6).join(', ')}${seen.length > 6 ? ', …' : ''}] tokens`,
      });
    }
  },
  'generate-sampling': async (ctx) => {
    const generate = ctx.fn<(n: NextLogits, p: number[], s: number, st: unknown) => unknown>(DEC, 'generate');
    const { next, prompt } = modelSetup(ctx);
    const strategies = [
      { temperature: 0.8, topK: 10, topP: 0.9 },
      { temperature: 1.3, topP: 0.6 },
      { temperature: 0.6, topK: 3 },
    ];
    for (const [n, s] of strategies.entries()) {
      const exp = await untilLogitsReady(next, () => generateRef(next, prompt, 16, { kind: 'sample', ...s, rng: ctx.rng(640 + n) }));
      const got = await untilLogitsReady(next, () => tokenList(generate(next, prompt.slice(), 16, { kind: 'sample', ...s, rng: ctx.rng(640 + n) }), 'generate(…, sample)'));
      expectSameTokens(
        got,
        exp,
        `generate(model, prompt, 16, ${JSON.stringify({ kind: 'sample', ...s })}) with a seeded rng`,
        () => ' (apply temperature, then top-k, then top-p, then sampleFrom with one rng() call per token)',
      );
    }
  },

  // ── Level 3: beam search ──
  'beam-beats-greedy': async (ctx) => {
    const beamSearch = ctx.fn<BeamFn>(DEC, 'beamSearch');
    const prompt = [0];
    const greedyPath = generateRef(GREEDY_TRAP.next, prompt, 2, { kind: 'greedy' }); // [0, 0, 0]: 0.5 · 0.35
    const best = exhaustiveSearchRef(GREEDY_TRAP.next, prompt, { maxLength: 2 }); // [0, 1, 0]: 0.4 · 0.9
    const got = beamResult(beamSearch(GREEDY_TRAP.next, prompt, { width: 2, maxLength: 2 }), 'beamSearch(trap, width 2)');
    if (got.tokens.join() === greedyPath.join()) {
      throw new CheckFailure('beamSearch(greedy-trap table, [0], {width: 2, maxLength: 2}) returned the greedy sequence a·a (p = 0.5 · 0.35 = 0.175); keeping "b" alive finds b·a (0.4 · 0.9 = 0.36)', {
        expected: `[${best.tokens}] with logProb ${fmt(best.logProb)}`,
        actual: `[${got.tokens}] with logProb ${fmt(got.logProb)}`,
      });
    }
    expectSameTokens(got.tokens, best.tokens, 'beamSearch(greedy-trap table, [0], {width: 2, maxLength: 2}).tokens');
    await expectAllClose([got.logProb], [best.logProb], 'beamSearch(greedy-trap table, [0], {width: 2, maxLength: 2}).logProb (ln 0.4 + ln 0.9: the SUM of the log-probabilities along the sequence)', {
      atol: 1e-9,
      known: [{ value: [Math.log(0.9)], means: 'that is the log-probability of the last token only: add each token\'s log-probability to the running total of its beam' }],
    });
  },
  'beam-width-one-is-greedy': async (ctx) => {
    const beamSearch = ctx.fn<BeamFn>(DEC, 'beamSearch');
    const { next, prompt } = modelSetup(ctx);
    const exp = await untilLogitsReady(next, () => generateRef(next, prompt, 10, { kind: 'greedy' }));
    const got = await untilLogitsReady(next, () => beamResult(beamSearch(next, prompt.slice(), { width: 1, maxLength: 10 }), 'beamSearch(model, width 1, 10 tokens)'));
    expectSameTokens(got.tokens, exp, 'beamSearch with width 1 (should equal greedy decoding)');
  },
  'beam-matches-reference': async (ctx) => {
    const beamSearch = ctx.fn<BeamFn>(DEC, 'beamSearch');
    const { next, prompt } = modelSetup(ctx);
    const opts = { width: 3, maxLength: 8 };
    const exp = await untilLogitsReady(next, () => beamSearchRef(next, prompt, opts));
    const got = await untilLogitsReady(next, () => beamResult(beamSearch(next, prompt.slice(), opts), 'beamSearch(model, width 3, 8 tokens)'));
    expectSameTokens(got.tokens, exp.tokens, 'beamSearch(model, width 3, 8 tokens).tokens');
    await expectAllClose([got.logProb, got.score], [exp.logProb, exp.score], '[logProb, score] (Σ ln p of the generated tokens)', { atol: 1e-6 });
  },
  'beam-equals-exhaustive': async (ctx) => {
    const beamSearch = ctx.fn<BeamFn>(DEC, 'beamSearch');
    for (const seed of [71, 72, 73]) {
      const next = hashedLogits(seed, 3);
      const best = exhaustiveSearchRef(next, [0], { maxLength: 4 });
      // Width 27 = 3³ keeps every prefix, so nothing can be pruned: beam search is exhaustive.
      const got = beamResult(beamSearch(next, [0], { width: 27, maxLength: 4 }), `beamSearch(table ${seed}, width 27, 4 tokens)`);
      expectSameTokens(got.tokens, best.tokens, `beam search with a beam wide enough to hold every prefix (table ${seed}) vs exhaustive search`);
      await expectAllClose([got.logProb], [best.logProb], 'logProb', { atol: 1e-9 });
    }
  },
  'beam-end-token-length-penalty': async (ctx) => {
    const beamSearch = ctx.fn<BeamFn>(DEC, 'beamSearch');
    for (const alpha of [0, 1]) {
      const opts = { width: 2, maxLength: 3, lengthPenalty: alpha, endToken: ENDING.endToken };
      const exp = beamSearchRef(ENDING.next, [0], opts);
      const what = `beamSearch(end-token table, [0], {width: 2, maxLength: 3, lengthPenalty: ${alpha}, endToken: 2})`;
      const got = beamResult(beamSearch(ENDING.next, [0], opts), what);
      const after = got.tokens.slice(1).indexOf(ENDING.endToken);
      if (after >= 0 && after < got.tokens.length - 2) {
        throw new CheckFailure(`${what} returned [${got.tokens}], which goes on after the end token 2: a candidate that ends with endToken is finished — set aside with its score and never extended`, {
          expected: `[${exp.tokens}]`,
          actual: `[${got.tokens}]`,
        });
      }
      expectSameTokens(got.tokens, exp.tokens, `${what}.tokens`, () =>
        alpha === 0
          ? ' (with α = 0, ending at once, ln 0.4 = −0.916, beats "a b END", ln 0.361 = −1.019)'
          : ' (with α = 1, "a b END" scores −1.019 / lp(3) = −0.764 and beats ending at once, −0.916 / lp(1): apply the length penalty, and compare finished hypotheses by score, not by log-probability)',
      );
      const L = got.tokens.length - 1;
      const withoutEnd = alpha === 0 ? got.logProb : got.logProb / Math.pow((5 + L - 1) / 6, alpha);
      if (Math.abs(got.score - exp.score) > 1e-9 && Math.abs(got.score - withoutEnd) < 1e-9) {
        throw new CheckFailure(`${what}.score is ${fmt(got.score)} = logProb / lp(${L - 1}): L counts every generated token, the end token included, so it is logProb / lp(${L}) = ${fmt(exp.score)}`, {
          expected: `score ${fmt(exp.score)}`,
          actual: `score ${fmt(got.score)}`,
        });
      }
      await expectAllClose([got.logProb, got.score], [exp.logProb, exp.score], `${what} [logProb, score = logProb / ((5 + L) / 6)^${alpha}]`, { atol: 1e-9 });
    }
  },
  'beam-length-penalty-end-token': async (ctx) => {
    const beamSearch = ctx.fn<BeamFn>(DEC, 'beamSearch');
    for (const [seed, alpha] of [
      [81, 0.6],
      [82, 1],
      [83, 0],
    ]) {
      const next = hashedLogits(seed, 4, 2);
      const opts = { maxLength: 4, lengthPenalty: alpha, endToken: 3 };
      const best = exhaustiveSearchRef(next, [0], opts);
      const got = beamResult(beamSearch(next, [0], { ...opts, width: 64 }), `beamSearch(table ${seed}, α = ${alpha}, endToken 3)`);
      expectSameTokens(got.tokens, best.tokens, `beam search (α = ${alpha}, endToken 3, width 64) vs exhaustive search`);
      await expectAllClose([got.logProb, got.score], [best.logProb, best.score], `[logProb, score = logProb / ((5 + L) / 6)^${alpha}]`, { atol: 1e-9 });
      const narrow = beamSearchRef(next, [0], { ...opts, width: 2 });
      const gotNarrow = beamResult(beamSearch(next, [0], { ...opts, width: 2 }), `beamSearch(table ${seed}, width 2)`);
      expectSameTokens(gotNarrow.tokens, narrow.tokens, `beam search (α = ${alpha}, endToken 3, width 2): finished beams leave the beam and keep their score`);
    }
  },
  'beam-tree': (ctx) => {
    const beamSearch = ctx.fn<BeamFn>(DEC, 'beamSearch');
    const next = hashedLogits(91, 4);
    const opts = { width: 2, maxLength: 3, endToken: 2 };
    const exp = beamSearchRef(next, [0], opts).tree;
    const got = beamResult(beamSearch(next, [0], opts), 'beamSearch(table, width 2, 3 tokens)');
    if (!Array.isArray(got.tree)) {
      throw new CheckFailure('beamSearch(table, [0], {width: 2, maxLength: 3, endToken: 2}) should also return tree: the search as a list of nodes', { expected: `${exp.length} nodes`, actual: describe(got.tree) });
    }
    const tree = got.tree as Partial<BeamNode>[];
    const show = (n: Partial<BeamNode> | undefined) =>
      n ? `{id ${n.id}, parent ${n.parent}, token ${n.token}, step ${n.step}, logProb ${typeof n.logProb === 'number' ? fmt(n.logProb) : n.logProb}, ${n.status}}` : 'nothing';
    for (let i = 0; i < Math.max(exp.length, tree.length); i++) {
      const e = exp[i];
      const g = tree[i];
      const same = g && e && g.id === e.id && g.parent === e.parent && g.token === e.token && g.step === e.step && g.status === e.status && typeof g.logProb === 'number' && Math.abs(g.logProb - e.logProb) < 1e-9;
      if (!same) {
        throw new CheckFailure(`beamSearch(table, [0], {width: 2, maxLength: 3, endToken: 2}).tree node ${i} differs (root first, then per step the top ${opts.width} candidates kept/finished and the next ${opts.width} pruned, in rank order)`, {
          expected: show(e),
          actual: show(g),
        });
      }
    }
  },

  // ── Level 4: the forward pass ──
  'layer-norm': async (ctx) => {
    const layerNorm = ctx.fn<(x: Tensor, g: Tensor, b: Tensor) => unknown>(MODEL, 'layerNorm');
    const tf = ctx.tf;
    const rand = ctx.rng(101);
    const x = tf.tensor2d(randomMatrix(rand, 5, 8, 3));
    const g = tf.tensor1d(randomMatrix(rand, 1, 8)[0]);
    const b = tf.tensor1d(randomMatrix(rand, 1, 8)[0]);
    const unbiased = () => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(tf.mul(variance, 8 / 7), 1e-5))), g), b);
    };
    await expectAllClose(layerNorm(x, g, b), layerNormRef(tf, x, { gamma: g, beta: b }), 'layerNorm(x [5, 8], gamma, beta)', {
      atol: 1e-4,
      known: [{ value: unbiased, means: 'that divides the variance by C − 1 (unbiased): LayerNorm divides by C, as PyTorch' }],
    });
  },
  'layer-norm-near-constant-rows': async (ctx) => {
    const layerNorm = ctx.fn<(x: Tensor, g: Tensor, b: Tensor) => unknown>(MODEL, 'layerNorm');
    const tf = ctx.tf;
    // Row 0 varies by ±0.002 (variance ≈ 1e-6, the size of eps), row 1 not at all.
    const rows = [
      [0.5, 0.502, 0.498, 0.5, 0.501, 0.499, 0.5, 0.5],
      [-2, -2, -2, -2, -2, -2, -2, -2],
    ];
    const gamma = [1, 2, 0.5, 1, 1, 1, 1.5, 1];
    const beta = [0.1, -0.2, 0.3, 0, 0, 0.5, 0, -1];
    const x = tf.tensor2d(rows);
    const g = tf.tensor1d(gamma);
    const b = tf.tensor1d(beta);
    const what = 'layerNorm(x [2, 8] with a near-constant row 0 and a constant row 1, gamma, beta)';
    const got = await toNested(layerNorm(x, g, b), what);
    const row1 = Array.isArray(got) ? (got[1] as unknown) : undefined;
    if (Array.isArray(row1) && row1.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new CheckFailure(`${what}: row 1 is constant, its variance is 0, and you returned ${JSON.stringify(row1)} — with no eps that is 0 / 0; eps goes inside the square root, √(var + 1e-5), and a constant row gives beta`, {
        expected: `[${beta.join(', ')}] (beta)`,
        actual: JSON.stringify(row1),
      });
    }
    const centred = tf.sub(x, tf.mean(x, -1, true));
    const sd = tf.sqrt(tf.mean(tf.square(centred), -1, true));
    const outside = () => tf.add(tf.mul(tf.div(centred, tf.add(sd, 1e-5)), g), b);
    await expectAllClose(got, layerNormRef(tf, x, { gamma: g, beta: b }), what, {
      atol: 1e-3,
      known: [{ value: outside, means: 'that is (x − mean) / (√var + eps): eps belongs INSIDE the square root, √(var + eps)' }],
    });
  },
  gelu: async (ctx) => {
    const gelu = ctx.fn<(x: Tensor) => unknown>(MODEL, 'gelu');
    const tf = ctx.tf;
    const x = tf.tensor1d([-4, -3, -2.2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2.2, 3, 4]);
    const exact = () => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    await expectAllClose(gelu(x), geluRef(tf, x, 'tanh'), 'gelu(x [13], from −4 to 4) (tanh approximation)', {
      atol: 2e-5,
      rtol: 0,
      known: [
        { value: exact, means: 'that is the exact (erf) GELU: GPT-2 — and this model — were trained with the tanh approximation' },
        { value: () => tf.relu(x), means: 'that is ReLU: GELU is smooth and slightly negative for negative x' },
      ],
    });
  },
  'causal-self-attention': async (ctx) => {
    const csa = ctx.fn<(x: Tensor, w: GptWeights, l: number, h: number) => unknown>(MODEL, 'causalSelfAttention');
    const { tf, w, ids, config } = mgSetup(ctx);
    const T = 12;
    const x = layerNormOf(tf, w, 'h.0.ln_1', embed(tf, w, ids.slice(0, T)));
    const ref = causalSelfAttentionRef(tf, x, w, 0, config.nHead);
    const got = expectOutputAndWeights(csa(x, w, 0, config.nHead), 'causalSelfAttention(x, weights, 0, nHead)');
    const what = `causalSelfAttention(x [${T}, C], weights, 0, ${config.nHead})`;
    await expectShape(got.weights, [config.nHead, T, T], `${what}.weights`);
    await expectZerosWhere(got.weights, ([, i, j]) => j > i, `${what}.weights`, 'a GPT may not attend to later characters (causal mask)');
    await expectAllClose(got.weights, ref.weights, `${what}.weights`, { atol: 1e-4 });
    await expectAllClose(got.output, ref.output, `${what}.output (after c_proj)`, { atol: 1e-4 });
  },
  mlp: async (ctx) => {
    const mlp = ctx.fn<(x: Tensor, w: GptWeights, l: number) => unknown>(MODEL, 'mlp');
    const { tf, w, config } = mgSetup(ctx);
    const x = tf.tensor2d(randomMatrix(ctx.rng(102), 6, config.nEmbd));
    await expectAllClose(mlp(x, w, 1), mlpRef(tf, x, w, 1), 'mlp(x [6, C], weights, layer 1)', { atol: 1e-4 });
  },
  block: async (ctx) => {
    const block = ctx.fn<(x: Tensor, w: GptWeights, l: number, c: GptConfig) => unknown>(MODEL, 'block');
    const { tf, w, config } = mgSetup(ctx);
    const x = tf.tensor2d(randomMatrix(ctx.rng(103), 10, config.nEmbd));
    const postLN = () => {
      const ln = (h: Tensor, n: 1 | 2) => layerNormOf(tf, w, `h.2.ln_${n}`, h);
      const x1 = ln(tf.add(x, causalSelfAttentionRef(tf, x, w, 2, config.nHead).output), 1);
      return ln(tf.add(x1, mlpRef(tf, x1, w, 2)), 2);
    };
    await expectAllClose(block(x, w, 2, config), blockRef(tf, x, w, 2, config.nHead).output, 'block(x [10, C], weights, layer 2) (Pre-LN: x + attn(ln_1(x)), then + mlp(ln_2(·)))', {
      known: [{ value: postLN, means: 'that is a Post-LN block, LN(x + F(x)): GPT-2 normalises BEFORE each sub-layer and keeps the residual path un-normalised' }],
      atol: 1e-3,
    });
  },
  'forward-matches-reference': async (ctx) => {
    const forward = ctx.fn<(w: GptWeights, t: number[], c: GptConfig) => unknown>(MODEL, 'forward');
    const { tf, w, ids, config } = mgSetup(ctx);
    const got = await expectShape(forward(w, ids.slice(), config), [ids.length, config.vocabSize], `forward(weights, "${PROMPT}" as ${ids.length} ids, config) logits`);
    const noPositions = () => gptForwardRef(tf, { ...w, wpe: tf.zerosLike(w['wpe']) }, config, ids).logits;
    await expectAllClose(got, gptForwardRef(tf, w, config, ids).logits, `forward(weights, "${PROMPT}" as ${ids.length} ids, config)`, {
      atol: 1e-3,
      rtol: 1e-3,
      known: [{ value: noPositions, means: 'that is the model without its position embeddings: add rows 0 … T−1 of wpe to the token embeddings' }],
    });
  },
  'forward-causal': async (ctx) => {
    const { w, ids, config } = mgSetup(ctx);
    await causalForward(ctx, w, ids, config, `forward(weights, "${PROMPT}" as ${ids.length} ids, config)`);
  },
  'forward-causal-full-block': async (ctx) => {
    const forward = ctx.fn<(w: GptWeights, t: number[], c: GptConfig) => unknown>(MODEL, 'forward');
    const { tf, w, config } = mgSetup(ctx);
    const rand = ctx.rng(104);
    const ids = Array.from({ length: config.blockSize }, () => Math.floor(rand() * config.vocabSize));
    const what = `forward(weights, ${config.blockSize} random ids (a full block), config)`;
    const full = (await expectShape(forward(w, ids, config), [config.blockSize, config.vocabSize], what)) as number[][];
    await expectAllClose(full, gptForwardRef(tf, w, config, ids).logits, what, { atol: 1e-3, rtol: 1e-3 });
    await causalForward(ctx, w, ids, config, what);
  },
};

/** applyTemperature at a tiny T: the scaled logits reach thousands, so only a shifted softmax stays finite. */
async function smallTemperature(ctx: CheckContext, logits: number[], T: number, shape: string): Promise<void> {
  const applyTemperature = ctx.fn<(l: number[], t: number) => unknown>(DEC, 'applyTemperature');
  const what = `applyTemperature([${logits.join(', ')}], ${T})`;
  const got = await numbers(applyTemperature(logits.slice(), T), what, logits.length);
  const bad = got.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new CheckFailure(`${what} has ${got[bad]} at [${bad}]: logits / ${T} reach ${fmt(Math.max(...logits) / T)} and Math.exp overflows — subtract the maximum of the scaled logits before exponentiating`, {
      expected: `[${applyTemperatureRef(logits, T).map(fmt).join(', ')}]`,
      actual: `[${got.map(fmt).join(', ')}]`,
    });
  }
  await expectAllClose(got, applyTemperatureRef(logits, T), `${what} (${shape})`, { atol: 1e-9 });
}

/** Changing only the last token must not change the logits of any earlier position. */
async function causalForward(ctx: CheckContext, w: GptWeights, ids: number[], config: GptConfig, what: string): Promise<void> {
  const forward = ctx.fn<(w: GptWeights, t: number[], c: GptConfig) => unknown>(MODEL, 'forward');
  const T = ids.length;
  const before = await learnerTensor(await expectShape(forward(w, ids.slice(), config), [T, config.vocabSize], what), what);
  const changed = ids.slice();
  changed[T - 1] = (changed[T - 1] + 1) % config.vocabSize;
  const after = await learnerTensor(forward(w, changed, config), `${what} with the last token changed`);
  await expectAllClose(after.slice(0, -1), before.slice(0, -1), `${what}: logits of positions 0…${T - 2} after changing only the last token (a GPT must not see the future: every layer's attention needs the causal mask)`, { atol: 1e-4 });
}

export const visualize: LabModule['visualize'] = {
  decoding: decodingView,
  'model-attention': modelAttentionView,
};
