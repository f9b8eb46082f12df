// Lab 4's token panel: the text box through the learner's tokenizer trained on Moby-Dick (with
// the merge tree of every token), the same text through GPT-2 — the learner's encodeText with
// GPT-2's merges beside js-tiktoken — and the vocabulary-size study. A learner mistake never
// throws out of here: that part carries a learnerError and the reference is still drawn.
import type { CheckContext, LabView, ReferenceContext } from '../../core/checks/checkApi';
import type { LearnerError } from '../../core/protocol/sidecar';
import type { StudyPoint, TokenPiece, TokensPart, TokensViewData, TokensViewInput, TrainedTokens, VocabPlot } from '../../core/protocol/views/tokensView';
import { gpt2Tokenizer } from '../../sidecar/reference/tokenizer/gpt2';
import { jsTiktokenGpt2 } from '../../sidecar/reference/tokenizer/jsTiktoken';
import { gpt2ForLearner, tokenText, type LearnerTokenizer } from '../../sidecar/reference/tokenizer/labFixtures';
import { mobyDickSplit } from '../../sidecar/reference/tokenizer/shippedTexts';
import type { BpeTokenizer } from '../../sidecar/reference/tokenizer/tokenizer';
import { BpeTokenizer as Bpe } from '../../sidecar/reference/tokenizer/tokenizer';
import { trainBpe } from '../../sidecar/reference/tokenizer/trainer';
import { utf8Decode } from '../../sidecar/reference/tokenizer/utf8';

const GPT = 'gpt2.ts';
const TRAIN = 'trainer.ts';
export const PANEL_SPECIALS = ['<|endoftext|>'];
/** The panel trains on this much of the shipped Moby-Dick (its first 90 %). */
export const PANEL_TRAIN_CHARS = 120_000;
/** The study measures tokens per character on this much held-out text (the last 10 %). */
export const PANEL_TEST_CHARS = 10_000;
export const STUDY_SIZES = [256, 512, 1024, 2048, 4096, 8192];
/** First the learner's trainFast runs on this much text to this size, timed against the reference. */
export const PROBE_CHARS = 20_000;
export const PROBE_VOCAB = 512;
/**
 * The learner's trainer trains the panel's tokenizer to 8,192 only when its probe takes at most
 * this many times the reference's CPU time (+100 ms). Measured here: incremental trainers 2–3×,
 * a full recount 7–15×.
 */
export const STUDY_SPEED_FACTOR = 3;
export const MAX_TEXT = 1000;
export const DEFAULT_TEXT =
  'Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse, I thought I would sail about a little. ' +
  "Whales don't read: 鯨 🐋 naïve café 1851<|endoftext|>";

export function parseTokensInput(input: unknown): TokensViewInput {
  const i = (input ?? {}) as Partial<Record<keyof TokensViewInput, unknown>>;
  const text = typeof i.text === 'string' && i.text.length > 0 ? i.text.slice(0, MAX_TEXT) : DEFAULT_TEXT;
  const v = Number(i.vocabSize);
  const vocabSize = Number.isFinite(v) ? Math.round(Math.min(8192, Math.max(257 + PANEL_SPECIALS.length - 1, v))) : 1024;
  return { text, vocabSize };
}

function panelTexts(): { train: string; test: string } {
  const { train, test } = mobyDickSplit();
  return { train: train.slice(0, PANEL_TRAIN_CHARS), test: test.slice(0, PANEL_TEST_CHARS) };
}

function toLearnerError(err: unknown): LearnerError {
  const e = err as { message?: string; location?: LearnerError['location'] };
  return { message: e?.message ?? String(err), location: e?.location };
}

/** Runs a learner part; a throw becomes { learner: null, learnerError }. */
function compare<T>(reference: T, learner: () => T): TokensPart<T> {
  try {
    return { learner: learner(), reference };
  } catch (err) {
    return { learner: null, reference, learnerError: toLearnerError(err) };
  }
}

// ── token tables ──

type BytesOf = (id: number) => number[] | Uint8Array | undefined;

/** Token bytes from a learner's tokenizer, checking that every merge refers to an earlier id. */
function learnerBytes(tok: LearnerTokenizer): BytesOf {
  if (!tok || !Array.isArray(tok.byteIds) || tok.byteIds.length !== 256 || !Array.isArray(tok.merges) || typeof tok.special !== 'object' || !tok.special) {
    throw new Error('trainFast should return { byteIds: 256 ids, merges: [left, right][], special: { token: id } }');
  }
  const table: number[][] = [];
  tok.byteIds.forEach((id, b) => (table[id] = [b]));
  tok.merges.forEach((m, i) => {
    const l = Array.isArray(m) ? table[m[0]] : undefined;
    const r = Array.isArray(m) ? table[m[1]] : undefined;
    if (!l || !r || m[0] >= 256 + i || m[1] >= 256 + i) throw new Error(`trainFast's merges[${i}] is ${JSON.stringify(m)}: merge i may only join ids below ${256 + i}`);
    table[256 + i] = [...l, ...r];
  });
  for (const [t, id] of Object.entries(tok.special)) table[id] = [...new TextEncoder().encode(t)];
  return (id) => table[id];
}

function referenceBytes(tok: BpeTokenizer): BytesOf {
  return (id) => {
    try {
      return tok.tokenBytes(id);
    } catch {
      return undefined;
    }
  };
}

function pieces(ids: unknown, bytesOf: BytesOf, specials: Record<string, number>, what: string): TokenPiece[] {
  if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) throw new Error(`${what} should return an array of token ids`);
  const special = new Set(Object.values(specials));
  return (ids as number[]).map((id) => {
    const b = bytesOf(id);
    if (!b) throw new Error(`${what} returned ${id}, which is not a token of this vocabulary`);
    const text = tokenText(b);
    const piece: TokenPiece = { id, text, bytes: b.length };
    if (special.has(id)) piece.special = true;
    else if (text.startsWith('<') && utf8Decode(b).includes('\ufffd')) piece.partial = true;
    return piece;
  });
}

function trainedTokens(tokens: TokenPiece[], mergeOf: (id: number) => [number, number] | undefined, bytesOf: BytesOf, vocabSize: number, mergesLearned: number, trainMs: number, trainedOn: string): TrainedTokens {
  const merges: Record<string, [number, number]> = {};
  const text: Record<string, string> = {};
  const visit = (id: number) => {
    if (text[id] !== undefined) return;
    const b = bytesOf(id);
    text[id] = b ? tokenText(b) : '?';
    const m = mergeOf(id);
    if (m) {
      merges[id] = m;
      visit(m[0]);
      visit(m[1]);
    }
  };
  for (const t of tokens) if (!t.special) visit(t.id);
  return { tokens, merges, pieces: text, vocabSize, mergesLearned, trainMs, trainedOn };
}

// ── the reference, cached per worker ──

let referenceFull: BpeTokenizer | undefined;

/** The reference trained to 8,192 tokens on the panel's text; smaller sizes are its first merges. */
function referenceTokenizer(): BpeTokenizer {
  return (referenceFull ??= trainBpe(panelTexts().train, { vocabSize: Math.max(...STUDY_SIZES) }));
}

/** byteIds, the first `merges` merges and the panel's special tokens after them: training to a smaller size. */
function prefix(byteIds: readonly number[], merges: readonly (readonly [number, number])[], n: number): LearnerTokenizer {
  const m = merges.slice(0, n).map((x) => [x[0], x[1]] as [number, number]);
  const special: Record<string, number> = {};
  PANEL_SPECIALS.forEach((t, i) => (special[t] = 256 + m.length + i));
  return { byteIds: [...byteIds], merges: m, special };
}

function studyOf(encode: (text: string, tok: LearnerTokenizer) => number, byteIds: readonly number[], merges: readonly (readonly [number, number])[]): StudyPoint[] {
  const { test } = panelTexts();
  return STUDY_SIZES.map((size) => {
    const tok = prefix(byteIds, merges, size - 256);
    // A text runs out of pairs eventually: report the size actually reached.
    return { vocabSize: 256 + tok.merges.length, tokensPerChar: encode(test, tok) / test.length };
  });
}

let referenceStudy: StudyPoint[] | undefined;

function referenceStudyPoints(): StudyPoint[] {
  if (!referenceStudy) {
    const ref = referenceTokenizer();
    referenceStudy = studyOf((text, tok) => new Bpe({ merges: tok.merges }).encode(text).length, ref.byteIds, ref.merges);
  }
  return referenceStudy;
}

/** The value and the CPU milliseconds it took (not wall time: a busy machine does not inflate it). */
function timed<T>(run: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = run();
  const d = process.cpuUsage(before);
  return { value, ms: (d.user + d.system) / 1000 };
}

// ── the view ──

type EncodeText = (t: string, tok: LearnerTokenizer, allowed: 'all' | string[]) => unknown;
type TrainFast = (t: string, v: number, s: string[]) => LearnerTokenizer;

interface TokensShared {
  settings: TokensViewInput;
  nMerges: number;
  /** The reference trainer's CPU time on the probe: the yardstick for the learner's. */
  refProbeMs: number;
}

/**
 * Two parts (core/checks/checkApi.ts LabView): the reference tokenizer (trained once per worker),
 * GPT-2 through js-tiktoken and the reference study first, outside the learner's time limit; then
 * the learner's trainFast and encodeText on the same text.
 */
export const tokensView: LabView<TokensViewData, TokensShared> = {
  reference(_ctx: ReferenceContext, rawInput: unknown) {
    const settings = parseTokensInput(rawInput);
    const { text, vocabSize } = settings;
    const { train } = panelTexts();
    const nMerges = vocabSize - 256 - PANEL_SPECIALS.length;

    const ref = referenceTokenizer();
    const refTok = new Bpe({ merges: ref.merges.slice(0, nMerges), specialTokens: prefix(ref.byteIds, ref.merges, nMerges).special });
    const refBytes = referenceBytes(refTok);
    // The reference's probe, best of two (it takes a few milliseconds).
    const refProbe = [0, 1].map(() => timed(() => trainBpe(train.slice(0, PROBE_CHARS), { vocabSize: PROBE_VOCAB }))).reduce((a, b) => (a.ms <= b.ms ? a : b));
    const refTrained = trainedTokens(
      pieces(refTok.encode(text, { allowedSpecial: 'all' }), refBytes, refTok.specialTokens, 'encode'),
      (id) => {
        const m = refTok.mergeOf(id);
        return m ? [m[0], m[1]] : undefined;
      },
      refBytes,
      refTok.vocabSize,
      refTok.merges.length,
      refProbe.ms,
      `the reference trainer: ${PANEL_TRAIN_CHARS.toLocaleString('en-US')} characters of Moby-Dick to 8,192 tokens once; these are its first ${refTok.merges.length} merges (${Math.round(refProbe.ms)} ms for the ${PROBE_VOCAB - 256}-merge probe)`,
    );
    const g = gpt2Tokenizer();
    const reference = referenceStudyPoints();
    const payload: TokensViewData = {
      settings,
      chars: text.length,
      trained: { learner: null, reference: refTrained },
      gpt2: { learner: null, reference: pieces(jsTiktokenGpt2().encode(text, 'all'), referenceBytes(g), g.specialTokens, 'js-tiktoken') },
      // Replaced by the learner part; stays when that part is stopped (the top-level note says why).
      study: { points: reference, reference, source: 'reference', note: 'Drawn with the reference trainer: your trainFast and encodeText did not finish.' },
      corpus: `Moby-Dick as shipped with the course (media/data/tokenizer): training on its first ${PANEL_TRAIN_CHARS.toLocaleString('en-US')} characters, tokens per character on ${PANEL_TEST_CHARS.toLocaleString('en-US')} held-out characters`,
    };
    return { payload, shared: { settings, nMerges, refProbeMs: refProbe.ms } };
  },

  learner(ctx: CheckContext, payload: TokensViewData, { settings, nMerges, refProbeMs }: TokensShared) {
    const { text } = settings;
    const { train } = panelTexts();

    // Yours: trainFast timed on the probe; when it keeps up, trained to 8,192 on the panel's text.
    let full: LearnerTokenizer | undefined;
    let slowNote: string | undefined;
    payload.trained = compare(payload.trained.reference, () => {
      const trainFast = ctx.fn<TrainFast>(TRAIN, 'trainFast');
      const encodeText = ctx.fn<EncodeText>(GPT, 'encodeText');
      const probe = timed(() => trainFast(train.slice(0, PROBE_CHARS), PROBE_VOCAB, []));
      learnerBytes(probe.value);
      let tok: LearnerTokenizer;
      let ms = probe.ms;
      let trainedOn: string;
      if (probe.ms <= STUDY_SPEED_FACTOR * refProbeMs + 100) {
        const big = timed(() => trainFast(train, Math.max(...STUDY_SIZES), []));
        learnerBytes(big.value);
        full = big.value;
        tok = prefix(full.byteIds, full.merges, nMerges);
        ms = big.ms;
        trainedOn = `your trainFast: ${PANEL_TRAIN_CHARS.toLocaleString('en-US')} characters of Moby-Dick to 8,192 tokens in ${Math.round(big.ms)} ms; these are its first ${tok.merges.length} merges`;
      } else {
        slowNote = `your trainFast took ${Math.round(probe.ms)} ms of CPU time for ${PROBE_VOCAB - 256} merges on ${PROBE_CHARS.toLocaleString('en-US')} characters, ${(probe.ms / Math.max(refProbeMs, 1)).toFixed(0)}× the reference (${Math.round(refProbeMs)} ms): too slow to train to 8,192 tokens here, so your tokenizer below is that smaller one`;
        tok = prefix(probe.value.byteIds, probe.value.merges, Math.min(nMerges, probe.value.merges.length));
        trainedOn = `your trainFast on ${PROBE_CHARS.toLocaleString('en-US')} characters only — ${slowNote}`;
      }
      const bytesOf = learnerBytes(tok);
      const ids = encodeText(text, tok, 'all');
      const mergeOf = (id: number): [number, number] | undefined => (id >= 256 && id < 256 + tok.merges.length ? [tok.merges[id - 256][0], tok.merges[id - 256][1]] : undefined);
      return trainedTokens(pieces(ids, bytesOf, tok.special, 'encodeText'), mergeOf, bytesOf, 256 + tok.merges.length + PANEL_SPECIALS.length, tok.merges.length, ms, trainedOn);
    });

    // GPT-2: your encodeText with GPT-2's merges beside js-tiktoken.
    const g = gpt2Tokenizer();
    payload.gpt2 = compare(payload.gpt2.reference, () =>
      pieces(ctx.fn<EncodeText>(GPT, 'encodeText')(text, gpt2ForLearner(), 'all'), referenceBytes(g), g.specialTokens, 'encodeText (with GPT-2)'),
    );

    // The vocabulary-size study: your trainer and encoder when your trainer keeps up.
    const reference = payload.study.reference;
    if (full) {
      const fullTok = full;
      try {
        const encodeText = ctx.fn<EncodeText>(GPT, 'encodeText');
        const points = studyOf((t, tok) => {
          const ids = encodeText(t, tok, []);
          if (!Array.isArray(ids)) throw new Error('encodeText should return an array of token ids');
          return ids.length;
        }, fullTok.byteIds, fullTok.merges);
        payload.study = { points, reference, source: 'yours', note: 'Your trainFast (trained once to 8,192; a smaller vocabulary is its first merges) and your encodeText.' };
      } catch (err) {
        payload.study = { points: reference, reference, source: 'reference', note: 'Drawn with the reference trainer: your encodeText threw (below).', learnerError: toLearnerError(err) };
      }
    } else {
      const why = slowNote ?? 'your trainFast or encodeText does not run yet';
      payload.study = { points: reference, reference, source: 'reference', note: `Drawn with the reference trainer: ${why}.` };
    }
    return payload;
  },
};
