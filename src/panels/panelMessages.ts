// What every lab view panel says when it cannot draw (compile errors, a failed run, a failed
// compute process), and the attention view's own checks on its inputs and data. No vscode
// import (unit-tested in plain Node).
import type { AttentionViewData, AttentionViewInput, CompileDiagnostic, VisualizeResult } from '../../core/protocol/sidecar';
import { t } from '../l10n';

const DEFAULT_PAD_TOKENS = 2;
export const PANEL_HEAD_COUNTS = [1, 2, 4];
export const MAX_SENTENCE_CHARS = 500;
export const MAX_PAD_TOKENS = 8;
/** More than the shipped mini-GPT has; the sidecar clamps to the model's own count. */
export const MAX_MODEL_LAYER = 12;

/** The attention panel's inputs, validated; a string says what is wrong with them. */
export function parseAttentionInput(input: unknown): Required<AttentionViewInput> | string {
  const b = (input ?? {}) as Record<string, unknown>;
  if (typeof b.sentence !== 'string') return t('sentence must be a string');
  if (b.sentence.length > MAX_SENTENCE_CHARS) return t('sentence is longer than {0} characters', MAX_SENTENCE_CHARS);
  if (b.mask !== 'none' && b.mask !== 'causal' && b.mask !== 'padding') return t('mask must be none, causal or padding, not {0}', String(JSON.stringify(b.mask)));
  if (typeof b.heads !== 'number' || !PANEL_HEAD_COUNTS.includes(b.heads)) return t('heads must be one of {0}, not {1}', PANEL_HEAD_COUNTS.join(', '), String(JSON.stringify(b.heads)));
  const pad = b.padTokens ?? DEFAULT_PAD_TOKENS;
  if (typeof pad !== 'number' || !Number.isInteger(pad) || pad < 0 || pad > MAX_PAD_TOKENS) return t('padTokens must be a whole number from 0 to {0}, not {1}', MAX_PAD_TOKENS, String(JSON.stringify(pad)));
  const source = b.source ?? 'random';
  if (source !== 'random' && source !== 'model') return t('source must be random or model, not {0}', String(JSON.stringify(source)));
  const layer = b.layer ?? 1;
  if (typeof layer !== 'number' || !Number.isInteger(layer) || layer < 1 || layer > MAX_MODEL_LAYER) return t('layer must be a whole number from 1 to {0}, not {1}', MAX_MODEL_LAYER, String(JSON.stringify(layer)));
  return { sentence: b.sentence, mask: b.mask, heads: b.heads, padTokens: pad, source, layer };
}

function isMatrix(m: unknown, n: number): m is number[][] {
  return Array.isArray(m) && m.length === n && m.every((r) => Array.isArray(r) && r.length === n && r.every((v) => typeof v === 'number'));
}

/** Why `data` is not drawable AttentionViewData, or undefined when it is. */
export function checkAttentionData(data: unknown): string | undefined {
  const d = data as Partial<AttentionViewData> | null;
  if (!d || typeof d !== 'object') return t('no data');
  if (!Array.isArray(d.tokens) || d.tokens.length === 0 || !d.tokens.every((tok) => typeof tok === 'string')) return t('tokens must be a non-empty list of strings');
  const n = d.tokens.length;
  if (!Array.isArray(d.heads) || d.heads.length === 0) return t('heads must be a non-empty list');
  for (const [h, head] of d.heads.entries()) {
    if (!isMatrix(head?.reference, n)) return t('head {0}: reference weights must be {1}×{1} numbers', h + 1, n);
    if (head.learner !== null && !isMatrix(head.learner, n)) return t('head {0}: learner weights must be null or {1}×{1} numbers', h + 1, n);
  }
  if (typeof d.tolerance !== 'number' || !(d.tolerance >= 0)) return t('tolerance must be a number ≥ 0');
  if (typeof d.source !== 'string') return t('source must be a string');
  return undefined;
}

function where(d: { file: string; line: number; column?: number }): string {
  return `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}`;
}

function compileMessage(errors: CompileDiagnostic[]): string {
  const first = errors[0];
  return errors.length > 1
    ? t('Your code does not compile: {0} {1} (and {2} more)', where(first), first.message, errors.length - 1)
    : t('Your code does not compile: {0} {1}', where(first), first.message);
}

/** What a panel says instead of drawing; the same for every panel. */
export interface Unavailability {
  message: string;
  detail?: string;
}

/**
 * Why a visualize run drew nothing: a compile error (all of them in the detail) or the learner's
 * throw. The training panel says "Fine-tuning stopped" where the others say "Your code could not be
 * run": a sentence of its own, as a translation cannot be patched by replacing its English words.
 */
export function failedRun(result: Extract<VisualizeResult, { ok: false }>, run: 'visualize' | 'fine-tune' = 'visualize'): Unavailability {
  if (result.compileErrors.length > 0) {
    const detail = result.compileErrors.length > 1 ? result.compileErrors.map((e) => `${where(e)} ${e.message}`).join('\n') : undefined;
    return { message: compileMessage(result.compileErrors), detail };
  }
  const loc = result.error.location;
  const message = result.error.message;
  if (loc && !message.includes(`${loc.file}:${loc.line}`)) {
    return { message: run === 'fine-tune' ? t('Fine-tuning stopped: {0} ({1})', message, where(loc)) : t('Your code could not be run: {0} ({1})', message, where(loc)) };
  }
  return { message: run === 'fine-tune' ? t('Fine-tuning stopped: {0}', message) : t('Your code could not be run: {0}', message) };
}

/** A compute that rejected (not an abort): the sidecar itself failed. */
export function computeFailure(err: unknown): Unavailability {
  const detail = err instanceof Error ? err.message : String(err);
  return { message: t('The compute process could not run your code. See the Transformer Labs Compute log.'), detail };
}
