// How the generic lab view lays out a payload it knows nothing about (a view of a lab outside the
// build: docs/authoring.md). Pure functions over the JSON, so they are unit-tested without a page.
import { t } from '../shared/l10n';

export type Numbers = number[];
export type Matrix = number[][];

export function isNumbers(v: unknown): v is Numbers {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' || x === null);
}

export function isMatrix(v: unknown): v is Matrix {
  return Array.isArray(v) && v.length > 0 && v.every((r) => isNumbers(r) && r.length === (v[0] as unknown[]).length);
}

/** A view's parts: the learner's result beside the reference, other number rows, matrices, the rest. */
export interface Layout {
  /** The learner's error, if the view reported one (`learnerError`, a string or { message }). */
  learnerError?: string;
  /** `learner` and `reference` as rows of numbers of one length, with the other rows of that length. */
  comparison?: { columns: string[]; rows: (number | string)[][]; maxAbsDiff: number | null };
  /** `learner` and `reference` as matrices of one shape. */
  matrices?: { learner: Matrix | null; reference: Matrix };
  /** Numbers, strings and booleans at the top level. */
  scalars: [string, string][];
  /** Whatever else, as JSON. */
  rest: [string, string][];
}

const MAX_ROWS = 2000;

export function layOut(data: unknown): Layout {
  const out: Layout = { scalars: [], rest: [] };
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    out.rest.push([t('value'), JSON.stringify(data, null, 2)]);
    return out;
  }
  const d = data as Record<string, unknown>;
  const used = new Set<string>();
  const err = d.learnerError;
  if (typeof err === 'string') out.learnerError = err;
  else if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') out.learnerError = (err as { message: string }).message;
  if (err !== undefined) used.add('learnerError');

  if (isNumbers(d.reference) && (d.learner === null || d.learner === undefined || (isNumbers(d.learner) && d.learner.length === d.reference.length))) {
    const ref = d.reference;
    const mine = isNumbers(d.learner) ? d.learner : null;
    // Other rows of the same length are the inputs: shown first, one column each.
    const inputs = Object.keys(d).filter((k) => k !== 'learner' && k !== 'reference' && isNumbers(d[k]) && (d[k] as Numbers).length === ref.length);
    const columns = ['#', ...inputs, t('yours'), t('reference'), t('|yours − reference|')];
    const rows: (number | string)[][] = [];
    let worst: number | null = mine ? 0 : null;
    for (let i = 0; i < Math.min(ref.length, MAX_ROWS); i++) {
      const a = mine?.[i];
      const b = ref[i];
      const diff = typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) : null;
      if (worst !== null) worst = diff === null || Number.isNaN(diff) ? Number.NaN : Math.max(worst, diff);
      rows.push([i, ...inputs.map((k) => show((d[k] as Numbers)[i])), mine ? show(a) : '—', show(b), diff === null ? '—' : diff]);
    }
    out.comparison = { columns, rows, maxAbsDiff: worst };
    for (const k of ['learner', 'reference', ...inputs]) used.add(k);
  } else if (isMatrix(d.reference) && (d.learner === null || d.learner === undefined || isMatrix(d.learner))) {
    out.matrices = { learner: isMatrix(d.learner) ? d.learner : null, reference: d.reference };
    used.add('learner').add('reference');
  }
  for (const [k, v] of Object.entries(d)) {
    if (used.has(k)) continue;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) out.scalars.push([k, v === null ? 'null' : String(v)]);
    else out.rest.push([k, truncate(JSON.stringify(v, null, 2))]);
  }
  return out;
}

function show(v: number | null | undefined): number | string {
  return typeof v === 'number' ? v : v === null ? 'null' : '—';
}

function truncate(s: string, max = 20_000): string {
  return s.length > max ? `${s.slice(0, max)}\n${t('… ({0} more characters)', s.length - max)}` : s;
}
