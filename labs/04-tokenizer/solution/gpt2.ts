// Lab 4 — A byte-level BPE tokenizer. Level 2: GPT-2's byte-level BPE. Reference solution (not shipped).
import { mergeByRank, utf8Bytes, type Merge } from './bpe';

/**
 * A byte-level BPE tokenizer as data. byteIds[b] is the id of the single byte b (b itself for a
 * tokenizer you train; GPT-2 numbers its bytes differently), merges[i] creates id 256 + i, and
 * special maps each special token's text to its id.
 */
export interface Tokenizer {
  byteIds: number[];
  merges: Merge[];
  special: Record<string, number>;
}

// ───────────────────────── Level 2: GPT-2's byte-level BPE ─────────────────────────

/**
 * GPT-2's bytes_to_unicode: table[b] is the one character that stands for byte b in vocab.json
 * and merges.txt. The 188 printable bytes 33–126, 161–172 and 174–255 stand for themselves; the
 * other 68, in byte order, become U+0100, U+0101, … (so space, 32, is U+0120 "Ġ").
 */
export function bytesToUnicode(): string[] {
  const table: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table.push(String.fromCharCode(printable ? b : 256 + n++));
  }
  return table;
}

/** GPT-2's split pattern. The u flag makes \p{L} (any letter) and \p{N} (any number) work. */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Cuts text into GPT-2's pieces: BPE never merges across two pieces. */
export function pretokenize(text: string): string[] {
  return text.match(GPT2_SPLIT) ?? [];
}

/**
 * GPT-2 from Hugging Face's files: vocab.json (token written with bytesToUnicode → id) and the
 * lines of merges.txt ("Ġ t": the two tokens merge i joins, written the same way).
 */
export function loadGpt2(vocab: Record<string, number>, merges: string[], specialTokens: string[]): Tokenizer {
  const idOf = (token: string): number => {
    const id = vocab[token];
    if (id === undefined) throw new Error(`${JSON.stringify(token)} is not in vocab.json`);
    return id;
  };
  const byteIds = bytesToUnicode().map(idOf);
  const pairs = merges.map((line, i): Merge => {
    const [left, right] = line.split(' ');
    if (idOf(left + right) !== 256 + i) throw new Error(`merges.txt line ${i} (${line}) should create id ${256 + i}`);
    return [idOf(left), idOf(right)];
  });
  const special: Record<string, number> = {};
  for (const t of specialTokens) special[t] = idOf(t);
  return { byteIds, merges: pairs, special };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const rankTables = new WeakMap<Merge[], Map<string, number>>();

/** The merge ranks keyed "left,right", built once per merge list. */
function ranksOf(merges: Merge[]): Map<string, number> {
  let ranks = rankTables.get(merges);
  if (!ranks) {
    ranks = new Map();
    for (let i = 0; i < merges.length; i++) {
      const key = `${merges[i][0]},${merges[i][1]}`;
      if (!ranks.has(key)) ranks.set(key, i);
    }
    rankTables.set(merges, ranks);
  }
  return ranks;
}

/**
 * Encodes text like tiktoken: special tokens are cut out first (an allowed one becomes its id;
 * one that is not allowed is an error), then each regex piece is BPE-encoded on its own.
 */
export function encodeText(text: string, tok: Tokenizer, allowedSpecial: 'all' | string[] = []): number[] {
  const specials = Object.keys(tok.special);
  const allowed = allowedSpecial === 'all' ? specials : allowedSpecial;
  for (const t of specials) {
    if (!allowed.includes(t) && text.includes(t)) throw new Error(`the text contains the special token ${t}, which is not allowed`);
  }
  const ranks = ranksOf(tok.merges);
  const cache = new Map<string, number[]>();
  const ids: number[] = [];
  const encodeOrdinary = (s: string) => {
    for (const piece of pretokenize(s)) {
      let pieceIds = cache.get(piece);
      if (!pieceIds) {
        pieceIds = mergeByRank(
          utf8Bytes(piece).map((b) => tok.byteIds[b]),
          ranks,
        );
        cache.set(piece, pieceIds);
      }
      ids.push(...pieceIds);
    }
  };
  if (allowed.length === 0) {
    encodeOrdinary(text);
    return ids;
  }
  const longestFirst = [...allowed].sort((a, b) => b.length - a.length);
  const splitter = new RegExp(`(${longestFirst.map(escapeRegExp).join('|')})`, 'u');
  text.split(splitter).forEach((part, i) => {
    // split with a capture group: odd parts are the special tokens.
    if (i % 2 === 1) ids.push(tok.special[part]);
    else if (part) encodeOrdinary(part);
  });
  return ids;
}

const byteTables = new WeakMap<Tokenizer, number[][]>();

/** The bytes of every token of `tok`, built once per tokenizer. */
function bytesTable(tok: Tokenizer): number[][] {
  let table = byteTables.get(tok);
  if (!table) {
    table = [];
    const t = table;
    tok.byteIds.forEach((id, b) => (t[id] = [b]));
    tok.merges.forEach(([l, r], i) => (t[256 + i] = [...t[l], ...t[r]]));
    for (const [s, id] of Object.entries(tok.special)) t[id] = utf8Bytes(s);
    byteTables.set(tok, table);
  }
  return table;
}

/** Ids → text: special ids give their text, the rest their bytes, decoded as UTF-8 with U+FFFD. */
export function decodeText(ids: number[], tok: Tokenizer): string {
  const table = bytesTable(tok);
  const bytes: number[] = [];
  for (const id of ids) {
    const b = table[id];
    if (!b) throw new Error(`token id ${id} is not in the vocabulary`);
    for (const x of b) bytes.push(x);
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
