// Deliberately wrong Lab 4 solutions: edits of the reference solution, the visible check that
// must fail, and what its message must say (the mistake by name).
import type { Mistake } from '../../support/plantedMistakes';

const FULL_RECOUNT = `export function trainFast(text: string, vocabSize: number, specialTokens: string[]): Tokenizer {
  const words = [...countWords(text, specialTokens)].map(([w, c]) => ({ ids: utf8Bytes(w), c }));
  const merges: Merge[] = [];
  while (256 + merges.length + specialTokens.length < vocabSize) {
    const counts = new Map<string, number>();
    for (const { ids, c } of words) for (let i = 0; i + 1 < ids.length; i++) counts.set(\`\${ids[i]},\${ids[i + 1]}\`, (counts.get(\`\${ids[i]},\${ids[i + 1]}\`) ?? 0) + c);
    let best: Merge | undefined;
    let bestCount = 0;
    for (const [k, c] of counts) {
      const [l, r] = k.split(',').map(Number);
      if (!best || c > bestCount || (c === bestCount && (l < best[0] || (l === best[0] && r < best[1])))) {
        best = [l, r];
        bestCount = c;
      }
    }
    if (!best) break;
    for (const w of words) w.ids = mergePair(w.ids, best, 256 + merges.length);
    merges.push(best);
  }
  const special: Record<string, number> = {};
  specialTokens.forEach((t, i) => (special[t] = 256 + merges.length + i));
  return { byteIds: Array.from({ length: 256 }, (_, b) => b), merges, special };
}

export function trainFastIncremental(`;

export const MISTAKES: Mistake[] = [
  // ── Level 1 ──
  {
    name: 'utf8Bytes writes character codes up to 255 as one byte (Latin-1)',
    file: 'bpe.ts',
    edits: [['if (cp < 0x80) out.push(cp);', 'if (cp < 0x100) out.push(cp);']],
    caughtBy: 'utf8-bytes-widths',
    message: /characters' codes, not their UTF-8 bytes/,
  },
  {
    name: 'utf8Bytes encodes each half of a surrogate pair on its own (CESU-8)',
    file: 'bpe.ts',
    edits: [
      ["if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length", 'if (false && cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length'],
      ['    } else if (cp >= 0xd800 && cp <= 0xdfff) {\n      cp = 0xfffd;\n    }', '    }'],
    ],
    caughtBy: 'utf8-bytes-widths',
    message: /each half of a surrogate pair was encoded on its own/,
  },
  {
    name: 'utf8Bytes writes a lone surrogate as its own 3 bytes',
    file: 'bpe.ts',
    edits: [['    } else if (cp >= 0xd800 && cp <= 0xdfff) {\n      cp = 0xfffd;\n    }', '    }']],
    caughtBy: 'utf8-bytes-lone-surrogate',
    message: /lone surrogate was written as its own 3 bytes .* U\+FFFD/,
  },
  {
    name: 'countPairs counts a run without overlaps',
    file: 'bpe.ts',
    edits: [['counts.set(key, (counts.get(key) ?? 0) + 1);', 'counts.set(key, (counts.get(key) ?? 0) + 1);\n    if (ids[i] === ids[i + 1]) i++;']],
    caughtBy: 'count-pairs',
    message: /pairs overlap/,
  },
  {
    name: 'mergePair does not skip the right half of a match',
    file: 'bpe.ts',
    edits: [['      out.push(newId);\n      i++;', '      out.push(newId);']],
    caughtBy: 'merge-pair',
    message: /skip the element it used/,
  },
  {
    name: 'mergePair misses a pair at the end (loop bound off by one)',
    file: 'bpe.ts',
    edits: [['if (i + 1 < ids.length && ids[i] === pair[0]', 'if (i + 2 < ids.length && ids[i] === pair[0]']],
    caughtBy: 'merge-pair',
    message: /must reach the last pair/,
  },
  {
    name: 'mergePair changes the array it is given',
    file: 'bpe.ts',
    edits: [['      out.push(newId);\n      i++;', '      out.push(newId);\n      ids[i + 1] = newId;\n      i++;']],
    caughtBy: 'merge-pair',
    message: /changed the array it was given/,
  },
  {
    name: 'train makes one merge too many (<= instead of <)',
    file: 'bpe.ts',
    edits: [['while (256 + merges.length < vocabSize)', 'while (256 + merges.length <= vocabSize)']],
    caughtBy: 'train-worked-example',
    message: /256 bytes \+ 3 merges/,
  },
  {
    name: 'train numbers new tokens from 255',
    file: 'bpe.ts',
    edits: [['ids = mergePair(ids, best, 256 + merges.length);', 'ids = mergePair(ids, best, 255 + merges.length);']],
    caughtBy: 'train-worked-example',
    message: /shifted by -1 — merge i creates id 256 \+ i/,
  },
  {
    name: 'train breaks ties by the first pair in the text',
    file: 'bpe.ts',
    edits: [['(count === bestCount && (l < best[0] || (l === best[0] && r < best[1])))', 'false']],
    caughtBy: 'train-tie-rule',
    message: /a tie .* the smaller pair wins/,
  },
  {
    name: 'train breaks ties by the larger pair',
    file: 'bpe.ts',
    edits: [['(l < best[0] || (l === best[0] && r < best[1]))', '(l > best[0] || (l === best[0] && r > best[1]))']],
    caughtBy: 'train-tie-rule',
    message: /a tie .* the smaller pair wins/,
  },
  {
    name: 'train keeps merging when no pair is left',
    file: 'bpe.ts',
    edits: [['if (!best) break;', 'if (!best) best = [0, 0];']],
    caughtBy: 'train-stops',
    message: /no pair is left to merge/,
  },
  {
    name: 'train accepts a vocabulary smaller than 256',
    file: 'bpe.ts',
    edits: [['if (!Number.isInteger(vocabSize) || vocabSize < 256) throw', 'if (!Number.isInteger(vocabSize)) throw']],
    caughtBy: 'train-stops',
    message: /should throw an Error: a byte-level vocabulary has at least the 256 byte tokens/,
  },
  {
    name: 'encode merges the leftmost mergeable pair instead of the lowest rank',
    file: 'bpe.ts',
    edits: [['if (rank !== undefined && rank < bestRank) {', 'if (rank !== undefined && at < 0) {']],
    caughtBy: 'encode-rank-order',
    message: /lowest rank first/,
  },
  {
    name: 'decode reads each byte as a character (Latin-1)',
    file: 'bpe.ts',
    edits: [['  return new TextDecoder().decode(Uint8Array.from(bytes));', '  return String.fromCharCode(...bytes);']],
    caughtBy: 'decode-merged-tokens',
    alsoCaughtBy: ['decode-invalid-utf8'],
    message: /read as its own character \(Latin-1\)/,
  },
  {
    name: 'decode throws on invalid UTF-8 (TextDecoder with fatal)',
    file: 'bpe.ts',
    edits: [['  return new TextDecoder().decode(Uint8Array.from(bytes));', "  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));"]],
    caughtBy: 'decode-invalid-utf8',
    message: /decoding must never throw/,
  },
  {
    name: 'decode drops invalid bytes instead of writing U+FFFD',
    file: 'bpe.ts',
    edits: [['  return new TextDecoder().decode(Uint8Array.from(bytes));', "  return new TextDecoder().decode(Uint8Array.from(bytes)).replace(/\\uFFFD/g, '');"]],
    caughtBy: 'decode-invalid-utf8',
    message: /invalid bytes were dropped/,
  },
  // ── Level 2 ──
  {
    name: 'bytesToUnicode keeps the soft hyphen (173) as printable',
    file: 'gpt2.ts',
    edits: [['(b >= 174 && b <= 255)', '(b >= 173 && b <= 255)']],
    caughtBy: 'bytes-to-unicode',
    message: /soft hyphen/,
  },
  {
    name: 'bytesToUnicode numbers the moved bytes by their value',
    file: 'gpt2.ts',
    edits: [['table.push(String.fromCharCode(printable ? b : 256 + n++));', 'table.push(String.fromCharCode(printable ? b : 256 + b));']],
    caughtBy: 'bytes-to-unicode',
    message: /numbered in order, n = 0…67, not by their value/,
  },
  {
    name: 'the split pattern has no u flag',
    file: 'gpt2.ts',
    edits: [['|\\s+(?!\\S)|\\s+/gu;', '|\\s+(?!\\S)|\\s+/g;']],
    caughtBy: 'pretokenize-gpt2',
    message: /without the u flag/,
  },
  {
    name: 'the split pattern matches contractions in upper case too (i flag)',
    file: 'gpt2.ts',
    edits: [['|\\s+(?!\\S)|\\s+/gu;', '|\\s+(?!\\S)|\\s+/giu;']],
    caughtBy: 'pretokenize-gpt2',
    message: /contractions are lower case only/,
  },
  {
    name: 'the split pattern lacks \\s+(?!\\S): a whitespace run keeps its last space',
    file: 'gpt2.ts',
    edits: [['|\\s+(?!\\S)|\\s+/gu;', '|\\s+/gu;']],
    caughtBy: 'pretokenize-whitespace',
    message: /last whitespace character before a word belongs to that word/,
  },
  {
    name: 'loadGpt2 numbers bytes 0…255 in byte order (ignores the byte table)',
    file: 'gpt2.ts',
    edits: [['const byteIds = bytesToUnicode().map(idOf);', 'const byteIds = bytesToUnicode().map((_, b) => b);']],
    caughtBy: 'load-gpt2',
    message: /byteIds is the identity/,
  },
  {
    name: 'loadGpt2 reads the two sides of a merge line swapped',
    file: 'gpt2.ts',
    edits: [
      ["const [left, right] = line.split(' ');", "const [right, left] = line.split(' ');"],
      ['if (idOf(left + right) !== 256 + i)', 'if (false)'],
    ],
    caughtBy: 'load-gpt2',
    message: /merges\[0\] \(merges\.txt line "Ġ t"\) should be \[220, 83\]/,
  },
  {
    name: 'encodeText lets a disallowed special token through',
    file: 'gpt2.ts',
    edits: [['throw new Error(`the text contains the special token ${t}, which is not allowed`);', 'continue;']],
    caughtBy: 'encode-text-special',
    message: /should throw: .* is a special token that is not allowed here/,
  },
  {
    name: 'encodeText encodes allowed special tokens as text (they get merged)',
    file: 'gpt2.ts',
    edits: [['if (allowed.length === 0) {', 'if (true) {']],
    caughtBy: 'encode-text-special',
    message: /special tokens were encoded as ordinary text/,
  },
  {
    name: 'encodeText uses raw bytes as ids (ignores tok.byteIds)',
    file: 'gpt2.ts',
    edits: [['utf8Bytes(piece).map((b) => tok.byteIds[b]),', 'utf8Bytes(piece),']],
    caughtBy: 'encode-text-gpt2',
    message: /raw bytes were used as ids — map each byte b through tok\.byteIds/,
  },
  {
    name: 'encodeText runs BPE over the whole text (no pre-tokenization)',
    file: 'gpt2.ts',
    edits: [['for (const piece of pretokenize(s)) {', 'for (const piece of [s]) {']],
    caughtBy: 'encode-text-pieces',
    alsoCaughtBy: ['encode-text-gpt2'],
    message: /tokens span two pieces/,
  },
  {
    name: 'decodeText reads ids below 256 as bytes (ignores byteIds)',
    file: 'gpt2.ts',
    edits: [['tok.byteIds.forEach((id, b) => (t[id] = [b]));', 'tok.byteIds.forEach((id, b) => (t[b] = [b]));']],
    caughtBy: 'decode-text',
    message: /read as the bytes themselves .* invert that table/,
  },
  // ── Level 3 ──
  {
    name: 'countWords counts the special tokens as text',
    file: 'trainer.ts',
    edits: [['for (const t of specialTokens) parts = parts.flatMap((p) => p.split(t));', 'void specialTokens;']],
    caughtBy: 'count-words',
    message: /is \(part of\) a special token/,
  },
  {
    name: 'trainFast recounts every pair after every merge',
    file: 'trainer.ts',
    edits: [
      ["import { utf8Bytes, type Merge } from './bpe';", "import { mergePair, utf8Bytes, type Merge } from './bpe';"],
      ['export function trainFast(', FULL_RECOUNT],
    ],
    caughtBy: 'train-fast-speed',
    message: /recounting every pair of every word after every merge/,
  },
  {
    name: 'trainFast gives special tokens the first ids after the bytes',
    file: 'trainer.ts',
    edits: [['specialTokens.forEach((t, i) => (special[t] = 256 + merges.length + i));\n  return { byteIds', 'specialTokens.forEach((t, i) => (special[t] = 256 + i));\n  return { byteIds']],
    caughtBy: 'train-fast-special-tokens',
    message: /special token ids come right after the merges/,
  },
  {
    name: 'trainFast does not count the special tokens in vocabSize',
    file: 'trainer.ts',
    edits: [['const target = vocabSize - 256 - specialTokens.length;', 'const target = vocabSize - 256;']],
    caughtBy: 'train-fast-special-tokens',
    message: /vocabSize counts everything/,
  },
  {
    name: 'trainFast prefers the larger pair on ties',
    file: 'trainer.ts',
    edits: [['a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2]', 'a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2]']],
    caughtBy: 'train-fast-tie-rule',
    message: /a tie .* the smaller pair wins/,
  },
  {
    name: 'trainFast breaks ties at random',
    file: 'trainer.ts',
    edits: [['a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2]', 'Math.random() < 0.5']],
    caughtBy: 'train-fast-deterministic',
    message: /different merges on two runs|a tie/,
  },
  {
    name: 'trainFast trains on the text as one word (pairs across word boundaries)',
    file: 'trainer.ts',
    edits: [['for (const [w, c] of countWords(text, specialTokens)) {', 'for (const [w, c] of new Map([[text, 1]])) {']],
    caughtBy: 'train-fast-matches-reference',
    message: /spans two pieces of the pre-tokenizer/,
  },
  {
    name: 'vocabStudy measures on the training text',
    file: 'trainer.ts',
    edits: [['tokensPerChar: encodeText(testText, tok).length / testText.length', 'tokensPerChar: encodeText(trainText, tok).length / trainText.length']],
    caughtBy: 'vocab-study',
    message: /measured on the training text/,
  },
  {
    name: 'vocabStudy returns characters per token',
    file: 'trainer.ts',
    edits: [['tokensPerChar: encodeText(testText, tok).length / testText.length', 'tokensPerChar: testText.length / encodeText(testText, tok).length']],
    caughtBy: 'vocab-study',
    message: /characters per token/,
  },
];
