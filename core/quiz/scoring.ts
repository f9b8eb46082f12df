// Whether an answer to a mastery question is right. An answer that cannot be read (a number with
// letters in it, an option that does not exist) is refused with the reason and costs no attempt.
import type { Question } from './quizSchema';
import { t } from '../l10n';

export type Verdict = { valid: false; message: string } | { valid: true; correct: boolean; /** The answer as it was understood. */ understood: string };

const SUPERSCRIPTS: Record<string, string> = { '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-' };

/**
 * A number as a learner types it: `12.689`, `-1.5e-3`, `3,152,384` or `3 152 384` (thousands),
 * `4 × 10^10`, `4e10`, optionally followed by the question's unit (`40 GB`). A single comma
 * between digits is ambiguous (12,689: twelve thousand or twelve point seven?) and refused.
 */
export function parseNumber(raw: string, unit?: string): { value: number } | { error: string } {
  // Superscript exponents first: NFKC would turn 10¹⁰ into 1010.
  let s = raw.replace(/10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g, (_, sup: string) => `10^${[...sup].map((c) => SUPERSCRIPTS[c]).join('')}`);
  s = s.normalize('NFKC').trim().replace(/[−–]/g, '-');
  if (unit && s.toLowerCase().endsWith(unit.toLowerCase())) s = s.slice(0, -unit.length).trim();
  if (s === '') return { error: t('write a number') };
  // "4 × 10^10", "4*10^10", "4x10^10", "10^10"
  const pow = /^(?:([-+]?[\d.,_ ]+?)\s*[×x*·]\s*)?10\s*(?:\^|\*\*)\s*([-+]?\d+)$/i.exec(s);
  if (pow) {
    const mantissa = pow[1] === undefined ? { value: 1 } : parseNumber(pow[1]);
    if ('error' in mantissa) return mantissa;
    return { value: mantissa.value * 10 ** Number(pow[2]) };
  }
  let body = s.replace(/_/g, '');
  if (/^[-+]?\d{1,3}( \d{3})+(\.\d+)?$/.test(body)) body = body.replace(/ /g, '');
  if (body.includes(',')) {
    const groups = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?(e[-+]?\d+)?$/i.exec(body);
    if (!groups) return { error: t('"{0}" is not a number: use a point for decimals (12.5), and commas only between groups of three digits (3,152,384)', raw.trim()) };
    if ((body.match(/,/g) ?? []).length === 1 && !body.includes('.')) {
      return { error: t('"{0}" could be read two ways: write {1} or {2}', raw.trim(), body.replace(',', ''), body.replace(',', '.')) };
    }
    body = body.replace(/,/g, '');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(body)) {
    return {
      error: unit
        ? t('"{0}" is not a number (the unit, {1}, is already given): write it like 12.69, 0.001 or 4e10', raw.trim(), unit)
        : t('"{0}" is not a number: write it like 12.69, 0.001 or 4e10', raw.trim()),
    };
  }
  const value = Number(body);
  return Number.isFinite(value) ? { value } : { error: t('"{0}" is too large', raw.trim()) };
}

/** Case, spaces, surrounding punctuation and the ways of writing powers and products do not matter. */
export function normalizeShortAnswer(s: string): string {
  return s
    .replace(/[²³]/g, (c) => (c === '²' ? '^2' : '^3')) // before NFKC, which would make ² a plain 2
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\*\*/g, '^')
    .replace(/[×·]/g, '*')
    .replace(/[`"'“”‘’]/g, '')
    .replace(/\s+/g, '')
    .replace(/^[.,;:!?]+|[.,;:!?]+$/g, '');
}

/** Within the question's tolerance: |given − answer| ≤ abs, or ≤ rel · |answer|. */
export function withinTolerance(given: number, answer: number, tol: { abs?: number; rel?: number }): boolean {
  const diff = Math.abs(given - answer);
  // A hair of slack for answers written with exactly the tolerance's digits (0.1 + 0.2 ≠ 0.3).
  const eps = 1e-12 * Math.max(1, Math.abs(answer));
  return (tol.abs !== undefined && diff <= tol.abs + eps) || (tol.rel !== undefined && diff <= tol.rel * Math.abs(answer) + eps);
}

export function checkAnswer(q: Question, raw: string): Verdict {
  const text = String(raw ?? '').trim();
  if (text === '') return { valid: false, message: t('no answer given') };
  switch (q.kind) {
    case 'choice': {
      const id = text.toLowerCase();
      const option = q.options.find((o) => o.id === id);
      if (!option) return { valid: false, message: t('"{0}" is not one of the options {1}', text, q.options.map((o) => o.id).join(', ')) };
      return { valid: true, correct: id === q.answer, understood: id };
    }
    case 'numeric': {
      const n = parseNumber(text, q.unit);
      if ('error' in n) return { valid: false, message: n.error };
      return { valid: true, correct: withinTolerance(n.value, q.answer, q.tolerance), understood: String(n.value) };
    }
    case 'short': {
      const given = normalizeShortAnswer(text);
      if (given === '') return { valid: false, message: t('no answer given') };
      return { valid: true, correct: q.accepted.some((a) => normalizeShortAnswer(a) === given), understood: given };
    }
  }
}

/** The right answer in words, for the explanation ("b — …", "12.69 (± 0.01)", "O(N^2)"). */
export function correctAnswerText(q: Question): string {
  switch (q.kind) {
    case 'choice': {
      const o = q.options.find((x) => x.id === q.answer)!;
      return `${o.id}) ${o.text}`;
    }
    case 'numeric': {
      const tol = q.tolerance.abs !== undefined ? `± ${q.tolerance.abs}` : `± ${(q.tolerance.rel! * 100).toPrecision(2)} %`;
      return `${q.answer}${q.unit ? ` ${q.unit}` : ''} (${tol})`;
    }
    case 'short':
      return q.accepted[0];
  }
}
