// The panel's state and the one reducer that changes it. Pure (no DOM): the shared page
// runtime (startLabView) keeps it in vscode.setState so a hidden panel comes back as it was,
// and the tables toggle is the runtime's. Unit-tested.
import type { AttentionMaskKind, AttentionQkvSource, AttentionViewData, AttentionViewInput } from '../../core/protocol/sidecar';
import type { ViewMode } from './cells';
import { t } from '../shared/l10n';

export const DEFAULT_SENTENCE = 'The cat sat on the mat because it was tired';
export const HEAD_COUNTS = [1, 2, 4] as const;
export const MAX_PAD_TOKENS = 8;
/** Layers offered before the first numbers say how many the model has. */
export const DEFAULT_MODEL_LAYERS = 4;
/** Above any head count a shipped model has; the data clamps the shown head. */
const MAX_MODEL_HEADS = 16;

export interface PanelState {
  sentence: string;
  /** Seeded random Q, K, V or the trained mini-GPT's own. */
  source: AttentionQkvSource;
  /** The model's layer (1-based), with the model source. */
  layer: number;
  mask: AttentionMaskKind;
  /** Heads the layer is run with (1 = the single-head attention() function). */
  heads: number;
  padTokens: number;
  /** The pad-token field's text when it is not a valid number, with why. */
  padError?: string;
  /** Which head is drawn, 0-based. */
  head: number;
  mode: ViewMode;
  /** The cell holding the roving tabindex: [query, key]. */
  focus: [number, number];
}

export type Action =
  | { type: 'sentence'; value: string }
  | { type: 'source'; value: string }
  | { type: 'layer'; value: string }
  | { type: 'mask'; value: string }
  | { type: 'heads'; value: string }
  | { type: 'padTokens'; value: string }
  | { type: 'head'; value: string }
  | { type: 'mode'; value: string }
  | { type: 'focus'; row: number; col: number };

export interface Transition {
  state: PanelState;
  /** The inputs of the computation changed: ask the extension for new numbers. */
  recompute: boolean;
}

export function initialState(saved?: unknown): PanelState {
  const s: PanelState = {
    sentence: DEFAULT_SENTENCE,
    source: 'random',
    layer: 1,
    mask: 'none',
    heads: 1,
    padTokens: 2,
    head: 0,
    mode: 'learner',
    focus: [0, 0],
  };
  if (!saved || typeof saved !== 'object') return s;
  // Saved state comes from an older build of the panel; take only fields that still make sense.
  const o = saved as Partial<Record<keyof PanelState, unknown>>;
  if (typeof o.sentence === 'string') s.sentence = o.sentence;
  if (o.source === 'random' || o.source === 'model') s.source = o.source;
  if (Number.isInteger(o.layer) && (o.layer as number) >= 1 && (o.layer as number) <= 12) s.layer = o.layer as number;
  if (isMask(o.mask) && !(s.source === 'model' && o.mask === 'padding')) s.mask = o.mask;
  if (HEAD_COUNTS.includes(o.heads as 1)) s.heads = o.heads as number;
  if (Number.isInteger(o.padTokens) && (o.padTokens as number) >= 0 && (o.padTokens as number) <= MAX_PAD_TOKENS) s.padTokens = o.padTokens as number;
  if (Number.isInteger(o.head) && (o.head as number) >= 0 && (o.head as number) < headsShown(s)) s.head = o.head as number;
  if (isMode(o.mode)) s.mode = o.mode;
  return s;
}

function isMask(v: unknown): v is AttentionMaskKind {
  return v === 'none' || v === 'causal' || v === 'padding';
}

function isMode(v: unknown): v is ViewMode {
  return v === 'learner' || v === 'reference' || v === 'difference';
}

/** Parses the pad-token field: a whole number 0..MAX_PAD_TOKENS, or why not. */
export function parsePadTokens(text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) > MAX_PAD_TOKENS) return { error: t('Pad tokens must be a whole number from 0 to {0}; got "{1}".', MAX_PAD_TOKENS, text) };
  return { value: Number(trimmed) };
}

export function reduce(state: PanelState, action: Action): Transition {
  switch (action.type) {
    case 'sentence':
      if (action.value === state.sentence) return { state, recompute: false };
      return { state: { ...state, sentence: action.value }, recompute: true };
    case 'source': {
      const source = action.value;
      if ((source !== 'random' && source !== 'model') || source === state.source) return { state, recompute: false };
      // The model was trained with the causal mask: that is what its heads learned to do.
      const mask = source === 'model' ? 'causal' : state.mask;
      return { state: { ...state, source, mask, head: 0 }, recompute: true };
    }
    case 'layer': {
      const layer = Number(action.value);
      if (!Number.isInteger(layer) || layer < 1 || layer > 12 || layer === state.layer) return { state, recompute: false };
      return { state: { ...state, layer }, recompute: state.source === 'model' };
    }
    case 'mask':
      if (!isMask(action.value) || action.value === state.mask) return { state, recompute: false };
      // A text for the model has no padding.
      if (state.source === 'model' && action.value === 'padding') return { state, recompute: false };
      return { state: { ...state, mask: action.value }, recompute: true };
    case 'heads': {
      const heads = Number(action.value);
      if (!HEAD_COUNTS.includes(heads as 1) || heads === state.heads) return { state, recompute: false };
      return { state: { ...state, heads, head: state.source === 'model' ? state.head : 0 }, recompute: state.source === 'random' };
    }
    case 'padTokens': {
      const p = parsePadTokens(action.value);
      if ('error' in p) return { state: { ...state, padError: p.error }, recompute: false };
      const changed = p.value !== state.padTokens;
      return { state: { ...state, padTokens: p.value, padError: undefined }, recompute: changed && state.mask === 'padding' && state.source === 'random' };
    }
    case 'head': {
      const head = Number(action.value);
      if (!Number.isInteger(head) || head < 0 || head >= headsShown(state)) return { state, recompute: false };
      return { state: { ...state, head }, recompute: false };
    }
    case 'mode':
      return { state: isMode(action.value) ? { ...state, mode: action.value } : state, recompute: false };
    case 'focus':
      return { state: { ...state, focus: [action.row, action.col] }, recompute: false };
  }
}

/** How many heads the picker may choose from: the layer's count (random), or the model's (clamped by the data). */
function headsShown(state: PanelState): number {
  return state.source === 'model' ? MAX_MODEL_HEADS : state.heads;
}

/** The inputs the panel asks the extension to compute with. */
export function requestFor(state: PanelState): Required<AttentionViewInput> {
  return { sentence: state.sentence, mask: state.mask, heads: state.heads, padTokens: state.padTokens, source: state.source, layer: state.layer };
}

/** What is actually drawn for some data: the head and view clamped to what exists. */
export function effectiveView(state: PanelState, data: AttentionViewData): { head: number; mode: ViewMode; learnerMissing: boolean } {
  const head = state.head < data.heads.length ? state.head : 0;
  const learnerMissing = data.heads[head]?.learner == null;
  return { head, mode: learnerMissing ? 'reference' : state.mode, learnerMissing };
}

/** The learner function the panel's numbers come from (Lab 1's names). */
export function functionFor(heads: number, source: AttentionQkvSource = 'random'): string {
  // With the model, the learner's attention() runs once per head of the layer.
  return heads === 1 || source === 'model' ? 'attention' : 'multiHeadAttention';
}

/** Keeps the focused cell inside an n×n grid after the sentence changed length. */
export function clampFocus(focus: [number, number], n: number): [number, number] {
  return [Math.min(focus[0], n - 1), Math.min(focus[1], n - 1)].map((v) => Math.max(0, v)) as [number, number];
}
