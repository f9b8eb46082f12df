// Character-level tokenizer: one id per distinct character of the training corpus.

export class UnknownCharacterError extends Error {
  constructor(
    readonly chars: string[],
    readonly firstIndex: number,
  ) {
    super(
      `cannot encode ${chars.map((c) => JSON.stringify(c) + ` (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}: ` +
        `not in the model's vocabulary (first at index ${firstIndex}); the model only knows the characters of its training text`,
    );
    this.name = 'UnknownCharacterError';
  }
}

export class CharTokenizer {
  /** id → character; sorted by code point so the ids do not depend on corpus order. */
  readonly vocab: string[];
  private readonly ids: Map<string, number>;

  constructor(vocab: string[]) {
    const seen = new Set<string>();
    for (const ch of vocab) {
      if ([...ch].length !== 1) throw new Error(`vocabulary entry ${JSON.stringify(ch)} is not one character`);
      if (seen.has(ch)) throw new Error(`vocabulary entry ${JSON.stringify(ch)} appears twice`);
      seen.add(ch);
    }
    this.vocab = [...vocab];
    this.ids = new Map(vocab.map((ch, i) => [ch, i]));
  }

  /** The sorted distinct characters (by code point) of a corpus. */
  static fromCorpus(text: string): CharTokenizer {
    const chars = [...new Set(Array.from(text))];
    chars.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer(chars);
  }

  get size(): number {
    return this.vocab.length;
  }

  /** Throws UnknownCharacterError naming every character not in the vocabulary. */
  encode(text: string): number[] {
    const out: number[] = [];
    const unknown: string[] = [];
    let first = -1;
    let i = 0;
    for (const ch of text) {
      const id = this.ids.get(ch);
      if (id === undefined) {
        if (first < 0) first = i;
        if (!unknown.includes(ch)) unknown.push(ch);
      } else out.push(id);
      i++;
    }
    if (unknown.length) throw new UnknownCharacterError(unknown, first);
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const ch = this.vocab[ids[i]];
      if (ch === undefined) throw new Error(`token id ${ids[i]} at index ${i} is outside the vocabulary (0..${this.vocab.length - 1})`);
      s += ch;
    }
    return s;
  }
}
