// npm run data:tokenizer — writes Lab 4's texts and their data card into media/data/tokenizer.
// Deterministic: the same package versions give the same bytes (test/unit/lab04 checks it).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCorpus, CORPUS_PACKAGE } from './train/corpus';
import { MOBY_CHARS, mobyDickSlice, SOTU_FILES, SOTU_PACKAGE, sotuVersion, stateOfTheUnionSelection } from './tokenizer/courseTexts';

export const DATA_DIR = join('media', 'data', 'tokenizer');

function describeFile(name: string, text: string): string {
  const bytes = Buffer.byteLength(text);
  const sha = createHash('sha256').update(text).digest('hex');
  return `| \`${name}\` | ${text.length.toLocaleString('en-US')} characters, ${bytes.toLocaleString('en-US')} bytes | \`${sha}\` |`;
}

export function dataCard(moby: string, sotu: string): string {
  const corpus = loadCorpus();
  return `# Lab 4 texts: data card

The texts Lab 4's checks and token panel train and test on. They ship in the extension because
the extension carries no \`node_modules\`; the unit tests use the full corpora from the same
packages. Made by \`npm run data:tokenizer\` (scripts/make-tokenizer-data.ts), byte for byte
reproducible from the package versions below.

| file | size | sha256 |
|---|---|---|
${describeFile('moby-dick.txt', moby)}
${describeFile('state-of-the-union.txt', sotu)}

## moby-dick.txt
- Source: Herman Melville, *Moby-Dick; or, The Whale* (1851), from the npm package
  \`${CORPUS_PACKAGE}\` ${corpus.version} (chapters joined in the package's reading order).
- Licence: ${corpus.licence}.
- Cut: from "Call me Ishmael." (chapter 1) for ${MOBY_CHARS.toLocaleString('en-US')} characters, ended at the next paragraph break.
- Used for: training the tokenizers of the checks and the panel (first 90 %) and measuring
  tokens per character on held-out text (the last 10 %).

## state-of-the-union.txt
- Source: the State of the Union addresses ${SOTU_FILES.join(', ')} from the npm package
  \`${SOTU_PACKAGE}\` ${sotuVersion()} (each preceded by a line "year, president").
- Licence: speeches of US presidents are public domain (works of the US government); package
  code Apache-2.0.
- Used for: the capstone check (your encoder with GPT-2's merges against js-tiktoken) on text
  of another era and style than the novel.

## Known properties
- English prose of the 18th–20th century: plain ASCII except the em dash (U+2014, three bytes in
  UTF-8, about 400 times in moby-dick.txt), few digits, no code or emoji. That is why the checks
  add a stress text (whitespace runs, contractions in both cases, accents, combining marks, CJK,
  emoji, lone surrogates), kept in sidecar/reference/tokenizer/stressText.ts.
`;
}

function main(): void {
  const dir = resolve(__dirname, '..', '..', DATA_DIR); // out/scripts → the repository
  mkdirSync(dir, { recursive: true });
  const moby = mobyDickSlice();
  const sotu = stateOfTheUnionSelection();
  writeFileSync(join(dir, 'moby-dick.txt'), moby);
  writeFileSync(join(dir, 'state-of-the-union.txt'), sotu);
  writeFileSync(join(dir, 'DATA_CARD.md'), dataCard(moby, sotu));
  console.log(`wrote ${dir}`);
}

if (require.main === module) main();
