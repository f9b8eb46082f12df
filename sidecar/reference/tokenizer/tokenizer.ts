// A byte-level BPE tokenizer: special tokens split out first, then the regex pieces, then each
// piece's bytes merged by rank. Any text encodes (every byte is a token, so there is no unknown
// token) and any ids decode (invalid UTF-8 becomes U+FFFD, as TextDecoder does).
import { mergeByRank } from './mergeByRank';
import { pairKey } from './pairs';
import { forEachPiece, GPT2_PATTERN_SOURCE, resolvePattern } from './pretokenize';
import { allowedSet, rejectDisallowed, splitOnSpecial, type AllowedSpecial } from './specialTokens';
import { JSON_TYPE, specFromJson, validateSpec, type BpeSpec, type BpeTokenizerJson, type Merge } from './tokenizerSpec';
import { utf8Bytes, utf8Decode } from './utf8';

export interface EncodeOptions {
  /** Special tokens to encode as their id; default none (tiktoken's default). */
  allowedSpecial?: AllowedSpecial;
  /**
   * Special tokens whose appearance is an error; default 'all' (every one not allowed).
   * [] encodes the ones not allowed as ordinary text.
   */
  disallowedSpecial?: AllowedSpecial;
}

/** Pieces cached per tokenizer; the cache is cleared when it holds this many. */
const CACHE_LIMIT = 100_000;

export class BpeTokenizer {
  /** merges[i] = [left, right] creates id 256 + i: rank order. */
  readonly merges: readonly Merge[];
  /** Special token text → id. */
  readonly specialTokens: Readonly<Record<string, number>>;
  /** byteIds[b] = the id of the single byte b. */
  readonly byteIds: readonly number[];
  /** Ids run 0…vocabSize − 1 (bytes, merges, special tokens). */
  readonly vocabSize: number;
  readonly pattern: RegExp;
  private readonly patternName: 'gpt2' | undefined;
  private readonly ranks = new Map<number, number>();
  private readonly byteOfId: number[] = [];
  /** Token bytes, filled in on first use (GPT-2 has 50,257). */
  private readonly bytesOf: (Uint8Array | undefined)[] = [];
  private readonly specialById = new Map<number, string>();
  private readonly specialNames: string[];
  private readonly cache = new Map<string, number[]>();

  constructor(spec: BpeSpec) {
    const s = validateSpec(spec, 'BpeTokenizer');
    this.byteIds = Object.freeze([...s.byteIds]);
    this.merges = Object.freeze(s.merges.map((m) => [m[0], m[1]] as const));
    this.specialTokens = Object.freeze({ ...s.specialTokens });
    this.specialNames = Object.keys(this.specialTokens);
    this.patternName = s.pattern === 'gpt2' ? 'gpt2' : undefined;
    this.pattern = resolvePattern(s.pattern);
    this.byteIds.forEach((id, b) => (this.byteOfId[id] = b));
    this.merges.forEach(([l, r], i) => {
      const key = pairKey(l, r);
      // A pair listed twice: the first (lower) rank is the only one that ever applies.
      if (!this.ranks.has(key)) this.ranks.set(key, 256 + i);
    });
    let top = 255 + this.merges.length;
    for (const [name, id] of Object.entries(this.specialTokens)) {
      this.specialById.set(id, name);
      top = Math.max(top, id);
    }
    this.vocabSize = top + 1;
  }

  /** Ids of one regex piece (cached: real text repeats its words). */
  private encodePiece(piece: string, out: number[]): void {
    let ids = this.cache.get(piece);
    if (ids === undefined) {
      ids = utf8Bytes(piece);
      for (let i = 0; i < ids.length; i++) ids[i] = this.byteIds[ids[i]];
      mergeByRank(ids, this.ranks);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(piece, ids);
    }
    for (let i = 0; i < ids.length; i++) out.push(ids[i]);
  }

  /** Encodes text with no special tokens: "<|endoftext|>" is just characters here. */
  encodeOrdinary(text: string, out: number[] = []): number[] {
    forEachPiece(text, this.pattern, (p) => this.encodePiece(p, out));
    return out;
  }

  /**
   * Encodes text. A special token in the text is an error unless it is allowed (then it is its
   * single id), as in tiktoken; see EncodeOptions.
   */
  encode(text: string, opts: EncodeOptions = {}): number[] {
    if (typeof text !== 'string') throw new Error(`encode expects a string, got ${typeof text}`);
    const allowed = allowedSet(opts.allowedSpecial, this.specialNames);
    const disallowed = opts.disallowedSpecial === undefined || opts.disallowedSpecial === 'all' ? this.specialNames.filter((t) => !allowed.has(t)) : [...allowedSet(opts.disallowedSpecial, this.specialNames)];
    rejectDisallowed(text, disallowed, new Set());
    const out: number[] = [];
    if (allowed.size === 0) return this.encodeOrdinary(text, out);
    splitOnSpecial(
      text,
      [...allowed],
      (s) => this.encodeOrdinary(s, out),
      (t) => out.push(this.specialTokens[t]),
    );
    return out;
  }

  /** The bytes of token `id` (a special token: the UTF-8 of its text). */
  tokenBytes(id: number): Uint8Array {
    const known = Number.isInteger(id) ? this.bytesOf[id] : undefined;
    if (known) return known;
    let bytes: Uint8Array | undefined;
    if (Number.isInteger(id) && id >= 0 && id < 256) bytes = Uint8Array.of(this.byteOfId[id]);
    else if (id >= 256 && id < 256 + this.merges.length) {
      const [l, r] = this.merges[id - 256];
      const a = this.tokenBytes(l);
      const b = this.tokenBytes(r);
      bytes = new Uint8Array(a.length + b.length);
      bytes.set(a);
      bytes.set(b, a.length);
    } else {
      const name = this.specialById.get(id);
      if (name !== undefined) bytes = Uint8Array.from(utf8Bytes(name));
    }
    if (!bytes) {
      const specials = this.specialNames.length > 0 ? `, special tokens ${Object.values(this.specialTokens).join(', ')}` : '';
      throw new Error(`token id ${JSON.stringify(id)} is not in this vocabulary (ids 0…${255 + this.merges.length}${specials})`);
    }
    this.bytesOf[id] = bytes;
    return bytes;
  }

  /** The special token text of `id`, if it is one. */
  specialName(id: number): string | undefined {
    return this.specialById.get(id);
  }

  /** [left, right] of the merge that created `id`; undefined for bytes and special tokens. */
  mergeOf(id: number): Merge | undefined {
    return id >= 256 && id < 256 + this.merges.length ? this.merges[id - 256] : undefined;
  }

  /** Ids → text; bytes that are not valid UTF-8 become U+FFFD (never throws for known ids). */
  decode(ids: readonly number[]): string {
    if (!Array.isArray(ids)) throw new Error(`decode expects an array of token ids, got ${typeof ids}`);
    let length = 0;
    const parts = ids.map((id, i) => {
      try {
        const b = this.tokenBytes(id);
        length += b.length;
        return b;
      } catch (err) {
        throw new Error(`decode: ids[${i}]: ${(err as Error).message}`);
      }
    });
    const all = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return utf8Decode(all);
  }

  toJSON(): BpeTokenizerJson {
    const identity = this.byteIds.every((id, b) => id === b);
    const json: BpeTokenizerJson = {
      type: JSON_TYPE,
      version: 1,
      pattern: this.patternName ?? (this.pattern.source === GPT2_PATTERN_SOURCE ? 'gpt2' : { source: this.pattern.source, flags: this.pattern.flags }),
      merges: this.merges.map((m) => [m[0], m[1]]),
      specialTokens: { ...this.specialTokens },
    };
    if (!identity) json.byteIds = [...this.byteIds];
    return json;
  }

  /** From toJSON's output (an object or its JSON text); a malformed file names the bad field. */
  static fromJSON(json: unknown): BpeTokenizer {
    const spec = specFromJson(json);
    try {
      return new BpeTokenizer(spec);
    } catch (err) {
      throw new Error(String((err as Error).message).replace(/^BpeTokenizer:/, 'tokenizer JSON:'));
    }
  }
}
