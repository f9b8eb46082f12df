// The texts Lab 4 ships in media/data/tokenizer (see its DATA_CARD.md), found from this file's
// folder upward so the same code works in out/ (tests) and dist/ (the packaged sidecar).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const TEXTS_SUBDIR = join('media', 'data', 'tokenizer');

export function findTextsDir(fromDir: string = __dirname): string {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, TEXTS_SUBDIR);
    if (existsSync(join(candidate, 'moby-dick.txt'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`Lab 4's texts (${join(TEXTS_SUBDIR, 'moby-dick.txt')}) were not found in ${resolve(fromDir)} or any folder above it`);
    dir = up;
  }
}

const cache = new Map<string, string>();

function read(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(findTextsDir(), name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** The shipped slice of Moby-Dick (about 256 KiB, from "Call me Ishmael."). */
export function mobyDickText(): string {
  return read('moby-dick.txt');
}

/** The first 90 % (training) and the last 10 % (held out) of the shipped Moby-Dick. */
export function mobyDickSplit(): { train: string; test: string } {
  const text = mobyDickText();
  const cut = Math.floor(text.length * 0.9);
  return { train: text.slice(0, cut), test: text.slice(cut) };
}

/** Four State of the Union addresses (1790, 1932, 1941, 1973). */
export function stateOfTheUnionText(): string {
  return read('state-of-the-union.txt');
}
