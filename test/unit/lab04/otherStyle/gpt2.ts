// Lab 4, Level 2, in another style: tiktoken's own encoding rule (merge the adjacent pair whose
// joined bytes are the lowest-ranked token), Maps instead of objects, matchAll.
import { utf8Bytes, utf8Decode, type Merge } from './bpe';

export interface Tokenizer {
  byteIds: number[];
  merges: Merge[];
  special: Record<string, number>;
}

export function bytesToUnicode(): string[] {
  const keep = [...Array(256).keys()].filter((b) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174);
  const table = new Array<string>(256);
  for (const b of keep) table[b] = String.fromCodePoint(b);
  let next = 256;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCodePoint(next++);
  return table;
}

const PATTERN = new RegExp("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", 'gu');

export function pretokenize(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[0]);
}

export function loadGpt2(vocab: Record<string, number>, merges: string[], specialTokens: string[]): Tokenizer {
  const ids = new Map(Object.entries(vocab));
  return {
    byteIds: bytesToUnicode().map((ch) => ids.get(ch)!),
    merges: merges.map((line) => line.split(' ').map((t) => ids.get(t)!) as Merge),
    special: Object.fromEntries(specialTokens.map((t) => [t, ids.get(t)!])),
  };
}

interface Tables {
  /** token bytes as a Latin-1 string → id */
  idOfBytes: Map<string, number>;
  bytesOf: string[];
}
const tables = new WeakMap<object, Tables>();

function tablesOf(tok: Tokenizer): Tables {
  let t = tables.get(tok);
  if (!t) {
    const bytesOf: string[] = [];
    tok.byteIds.forEach((id, b) => (bytesOf[id] = String.fromCharCode(b)));
    tok.merges.forEach(([l, r], i) => (bytesOf[256 + i] = bytesOf[l] + bytesOf[r]));
    const idOfBytes = new Map<string, number>();
    bytesOf.forEach((s, id) => idOfBytes.has(s) || idOfBytes.set(s, id));
    t = { idOfBytes, bytesOf };
    tables.set(tok, t);
  }
  return t;
}

function bpe(piece: string, t: Tables): number[] {
  let parts = utf8Bytes(piece).map((b) => String.fromCharCode(b));
  for (;;) {
    let best = -1;
    let bestId = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const id = t.idOfBytes.get(parts[i] + parts[i + 1]);
      if (id !== undefined && id < bestId) [best, bestId] = [i, id];
    }
    if (best < 0) break;
    parts.splice(best, 2, parts[best] + parts[best + 1]);
  }
  return parts.map((p) => t.idOfBytes.get(p)!);
}

export function encodeText(text: string, tok: Tokenizer, allowedSpecial: 'all' | string[] = []): number[] {
  const all = Object.keys(tok.special);
  const allowed = new Set(allowedSpecial === 'all' ? all : allowedSpecial);
  const forbidden = all.find((s) => !allowed.has(s) && text.includes(s));
  if (forbidden) throw new Error(`disallowed special token ${forbidden}`);
  const t = tablesOf(tok);
  const out: number[] = [];
  let rest = text;
  while (rest.length > 0) {
    let at = -1;
    let which = '';
    for (const s of allowed) {
      const i = rest.indexOf(s);
      if (i >= 0 && (at < 0 || i < at || (i === at && s.length > which.length))) [at, which] = [i, s];
    }
    const plain = at < 0 ? rest : rest.slice(0, at);
    for (const p of pretokenize(plain)) out.push(...bpe(p, t));
    if (at < 0) break;
    out.push(tok.special[which]);
    rest = rest.slice(at + which.length);
  }
  return out;
}

export function decodeText(ids: number[], tok: Tokenizer): string {
  const t = tablesOf(tok);
  const specialOf = new Map(Object.entries(tok.special).map(([s, id]) => [id, s]));
  const bytes: number[] = [];
  for (const id of ids) {
    const s = specialOf.has(id) ? String.fromCharCode(...utf8Bytes(specialOf.get(id)!)) : t.bytesOf[id];
    for (let i = 0; i < s.length; i++) bytes.push(s.charCodeAt(i));
  }
  return utf8Decode(bytes);
}
