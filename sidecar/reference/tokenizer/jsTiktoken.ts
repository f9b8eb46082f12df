// GPT-2 as js-tiktoken encodes it: the yardstick the lab's capstone and panel compare against.
// Loaded once per process (its own parse of the same ranks file, about 0.3 s).
import { Tiktoken } from 'js-tiktoken/lite';

let encoder: Tiktoken | undefined;

export function jsTiktokenGpt2(): Tiktoken {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (encoder ??= new Tiktoken(require('js-tiktoken/ranks/gpt2')));
}
