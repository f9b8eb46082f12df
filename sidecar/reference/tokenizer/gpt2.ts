// GPT-2's tokenizer, offline: the ranks js-tiktoken ships (every token's bytes, base64, rank =
// id) become byte ids and a merge list. A token's merge is recovered by running BPE on its own
// bytes with only the lower ranks: what is left is the two tokens that form it.
import { bytesToUnicode } from './byteUnicode';
import { mergeByRank } from './mergeByRank';
import { pairKey } from './pairs';
import { BpeTokenizer } from './tokenizer';
import type { Merge } from './tokenizerSpec';

export const GPT2_END_OF_TEXT = '<|endoftext|>';
export const GPT2_END_OF_TEXT_ID = 50256;

interface TiktokenRanks {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

/** js-tiktoken's own data file (a plain object; bundled by esbuild into the sidecar). */
function loadRanksFile(): TiktokenRanks {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('js-tiktoken/ranks/gpt2') as TiktokenRanks;
}

/** rank → token bytes as a Latin-1 string (one char per byte), from the "! offset b64 b64 …" lines. */
export function parseRanks(bpeRanks: string): string[] {
  const tokens: string[] = [];
  for (const line of bpeRanks.split('\n')) {
    if (!line) continue;
    const [, offsetText, ...b64] = line.split(' ');
    const offset = Number.parseInt(offsetText, 10);
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`GPT-2 ranks: bad offset ${JSON.stringify(offsetText)}`);
    b64.forEach((t, i) => (tokens[offset + i] = atob(t)));
  }
  for (let r = 0; r < tokens.length; r++) if (tokens[r] === undefined) throw new Error(`GPT-2 ranks: rank ${r} is missing`);
  return tokens;
}

/** The two lower-ranked tokens BPE with ranks below `rank` leaves of `token` (rank concatenation, as tiktoken). */
function splitByRanks(token: string, rank: number, rankOf: ReadonlyMap<string, number>): string[] {
  let parts = Array.from(token);
  for (;;) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = rankOf.get(parts[i] + parts[i + 1]);
      if (r !== undefined && r < rank && r < best) {
        best = r;
        at = i;
      }
    }
    if (at < 0) return parts;
    parts = [...parts.slice(0, at), parts[at] + parts[at + 1], ...parts.slice(at + 2)];
  }
}

/**
 * byteIds and merges equivalent to a rank table (a token's rank is its id). Fast path: BPE with
 * the merges recovered so far (integer pairs); the rank-concatenation split decides whenever the
 * fast path does not end in exactly two parts, and `exact` uses it for every token (tests).
 */
export function mergesFromRanks(tokens: readonly string[], exact = false): { byteIds: number[]; merges: Merge[] } {
  const rankOf = new Map<string, number>(tokens.map((t, r) => [t, r]));
  const byteIds: number[] = [];
  for (let b = 0; b < 256; b++) {
    const r = rankOf.get(String.fromCharCode(b));
    if (r === undefined || r > 255) throw new Error(`GPT-2 ranks: byte ${b} is not among ranks 0…255`);
    byteIds[b] = r;
  }
  const merges: Merge[] = [];
  const pairRanks = new Map<number, number>();
  for (let r = 256; r < tokens.length; r++) {
    const t = tokens[r];
    let pair: number[] | undefined;
    if (!exact) {
      const ids: number[] = [];
      for (let i = 0; i < t.length; i++) ids.push(byteIds[t.charCodeAt(i)]);
      const parts = mergeByRank(ids, pairRanks);
      if (parts.length === 2) pair = parts;
    }
    if (!pair) {
      const parts = splitByRanks(t, r, rankOf);
      if (parts.length !== 2) throw new Error(`GPT-2 ranks: token ${r} ${JSON.stringify(t)} is not one merge of two lower-ranked tokens`);
      pair = [rankOf.get(parts[0])!, rankOf.get(parts[1])!];
    }
    merges.push([pair[0], pair[1]]);
    const key = pairKey(pair[0], pair[1]);
    if (!pairRanks.has(key)) pairRanks.set(key, r);
  }
  return { byteIds, merges };
}

let cached: BpeTokenizer | undefined;

/** GPT-2's tokenizer (50,000 merges, <|endoftext|> = 50256), built once per process. */
export function gpt2Tokenizer(): BpeTokenizer {
  if (!cached) {
    const file = loadRanksFile();
    const { byteIds, merges } = mergesFromRanks(parseRanks(file.bpe_ranks));
    cached = new BpeTokenizer({ byteIds, merges, specialTokens: { ...file.special_tokens }, pattern: 'gpt2' });
    if (cached.specialTokens[GPT2_END_OF_TEXT] !== GPT2_END_OF_TEXT_ID || cached.vocabSize !== 50257) {
      throw new Error(`GPT-2 ranks: expected 50,257 tokens with ${GPT2_END_OF_TEXT} = ${GPT2_END_OF_TEXT_ID}, got ${cached.vocabSize}`);
    }
  }
  return cached;
}

/** GPT-2 the way Hugging Face ships it: vocab.json (token text → id) and merges.txt lines ("Ġ t"). */
export interface Gpt2Files {
  vocab: Record<string, number>;
  merges: string[];
}

/**
 * vocab.json and merges.txt rebuilt from the tokenizer (token bytes written with bytes_to_unicode);
 * `mergeLimit` keeps only the first merges (and the tokens they make), a smaller but exact GPT-2 prefix.
 */
export function gpt2HuggingFaceFiles(tok: BpeTokenizer = gpt2Tokenizer(), mergeLimit = Infinity): Gpt2Files {
  const table = bytesToUnicode();
  const n = Math.min(tok.merges.length, mergeLimit);
  const visible: string[] = [];
  tok.byteIds.forEach((id, b) => (visible[id] = table[b]));
  const merges: string[] = [];
  for (let i = 0; i < n; i++) {
    const [l, r] = tok.merges[i];
    visible[256 + i] = visible[l] + visible[r];
    merges.push(`${visible[l]} ${visible[r]}`);
  }
  const vocab: Record<string, number> = {};
  visible.forEach((v, id) => (vocab[v] = id));
  for (const [name, id] of Object.entries(tok.specialTokens)) vocab[name] = id;
  return { vocab, merges };
}
