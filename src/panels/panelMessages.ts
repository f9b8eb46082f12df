// What every lab view panel says when it cannot draw (compile errors, a failed run, a failed
// compute process), and the attention view's own checks on its inputs and data. No vscode
// import (unit-tested in plain Node).
import type { AttentionViewData, AttentionViewInput, CompileDiagnostic, VisualizeResult } from '../../core/protocol/sidecar';

const DEFAULT_PAD_TOKENS = 2;
export const PANEL_HEAD_COUNTS = [1, 2, 4];
export const MAX_SENTENCE_CHARS = 500;
export const MAX_PAD_TOKENS = 8;
/** More than the shipped mini-GPT has; the sidecar clamps to the model's own count. */
export const MAX_MODEL_LAYER = 12;

/** The attention panel's inputs, validated; a string says what is wrong with them. */
export function parseAttentionInput(input: unknown): Required<AttentionViewInput> | string {
  const b = (input ?? {}) as Record<string, unknown>;
  if (typeof b.sentence !== 'string') return 'sentence must be a string';
  if (b.sentence.length > MAX_SENTENCE_CHARS) return `sentence is longer than ${MAX_SENTENCE_CHARS} characters`;
  if (b.mask !== 'none' && b.mask !== 'causal' && b.mask !== 'padding') return `mask must be none, causal or padding, not ${JSON.stringify(b.mask)}`;
  if (typeof b.heads !== 'number' || !PANEL_HEAD_COUNTS.includes(b.heads)) return `heads must be one of ${PANEL_HEAD_COUNTS.join(', ')}, not ${JSON.stringify(b.heads)}`;
  const pad = b.padTokens ?? DEFAULT_PAD_TOKENS;
  if (typeof pad !== 'number' || !Number.isInteger(pad) || pad < 0 || pad > MAX_PAD_TOKENS) return `padTokens must be a whole number from 0 to ${MAX_PAD_TOKENS}, not ${JSON.stringify(pad)}`;
  const source = b.source ?? 'random';
  if (source !== 'random' && source !== 'model') return `source must be random or model, not ${JSON.stringify(source)}`;
  const layer = b.layer ?? 1;
  if (typeof layer !== 'number' || !Number.isInteger(layer) || layer < 1 || layer > MAX_MODEL_LAYER) return `layer must be a whole number from 1 to ${MAX_MODEL_LAYER}, not ${JSON.stringify(layer)}`;
  return { sentence: b.sentence, mask: b.mask, heads: b.heads, padTokens: pad, source, layer };
}

function isMatrix(m: unknown, n: number): m is number[][] {
  return Array.isArray(m) && m.length === n && m.every((r) => Array.isArray(r) && r.length === n && r.every((v) => typeof v === 'number'));
}

/** Why `data` is not drawable AttentionViewData, or undefined when it is. */
export function checkAttentionData(data: unknown): string | undefined {
  const d = data as Partial<AttentionViewData> | null;
  if (!d || typeof d !== 'object') return 'no data';
  if (!Array.isArray(d.tokens) || d.tokens.length === 0 || !d.tokens.every((t) => typeof t === 'string')) return 'tokens must be a non-empty list of strings';
  const n = d.tokens.length;
  if (!Array.isArray(d.heads) || d.heads.length === 0) return 'heads must be a non-empty list';
  for (const [h, head] of d.heads.entries()) {
    if (!isMatrix(head?.reference, n)) return `head ${h + 1}: reference weights must be ${n}×${n} numbers`;
    if (head.learner !== null && !isMatrix(head.learner, n)) return `head ${h + 1}: learner weights must be null or ${n}×${n} numbers`;
  }
  if (typeof d.tolerance !== 'number' || !(d.tolerance >= 0)) return 'tolerance must be a number ≥ 0';
  if (typeof d.source !== 'string') return 'source must be a string';
  return undefined;
}

function where(d: { file: string; line: number; column?: number }): string {
  return `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}`;
}

function compileMessage(errors: CompileDiagnostic[]): string {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Your code does not compile: ${where(first)} ${first.message}${more}`;
}

/** What a panel says instead of drawing; the same for every panel. */
export interface Unavailability {
  message: string;
  detail?: string;
}

/** Why a visualize run drew nothing: a compile error (all of them in the detail) or the learner's throw. */
export function failedRun(result: Extract<VisualizeResult, { ok: false }>): Unavailability {
  if (result.compileErrors.length > 0) {
    const detail = result.compileErrors.length > 1 ? result.compileErrors.map((e) => `${where(e)} ${e.message}`).join('\n') : undefined;
    return { message: compileMessage(result.compileErrors), detail };
  }
  const loc = result.error.location;
  const at = loc && !result.error.message.includes(`${loc.file}:${loc.line}`) ? ` (${where(loc)})` : '';
  return { message: `Your code could not be run: ${result.error.message}${at}` };
}

/** A compute that rejected (not an abort): the sidecar itself failed. */
export function computeFailure(err: unknown): Unavailability {
  const detail = err instanceof Error ? err.message : String(err);
  return { message: 'The compute process could not run your code. See the Transformer Labs Compute log.', detail };
}
