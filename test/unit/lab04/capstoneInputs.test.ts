// The GPT-2 ids Lab 4's checks expect come from the course's reference (a check run does not
// pay js-tiktoken's start-up); here, on exactly the checks' inputs, they are js-tiktoken's own.
import assert from 'node:assert/strict';
import type { LabModule } from '../../../core/checks/checkApi';
import { jsTiktokenGpt2 } from '../../../sidecar/reference/tokenizer/jsTiktoken';
import { gpt2Tokenizer } from '../../../sidecar/reference/tokenizer/gpt2';
import { randomUnicodeText } from '../../../sidecar/reference/tokenizer/randomText';
import { STRESS_TEXT } from '../../../sidecar/reference/tokenizer/stressText';
import { mulberry32 } from '../../../sidecar/reference/random';
import { labModule } from './support';

type CapstoneModule = LabModule & {
  CAPSTONE_PROBE: string;
  capstoneTexts(big: boolean): { name: string; text: string }[];
  gpt2Ids(text: string, allowed?: 'all' | string[]): number[];
};

describe('Lab 4 capstone inputs: the expected GPT-2 ids are js-tiktoken\'s', function () {
  this.timeout(60_000);
  const mod = labModule() as CapstoneModule;
  const same = (text: string, allowed: 'all' | string[] = []) => {
    assert.deepEqual(mod.gpt2Ids(text, allowed), jsTiktokenGpt2().encode(text, allowed));
  };

  it('on the probe and the visible capstone text (parts joined as the check joins them)', () => {
    same(mod.CAPSTONE_PROBE);
    same(mod.capstoneTexts(false).map((p) => p.text).join('\n\n'));
  });

  it('on the hidden capstone text with its random strings (seed 407)', () => {
    const rand = mulberry32(407);
    const strings = Array.from({ length: 30 }, () => randomUnicodeText(rand, 40)).join(' ');
    same([...mod.capstoneTexts(true), { name: 'random', text: strings }].map((p) => p.text).join('\n\n'));
  });

  it('on decode-text\'s ids: the stress text with <|endoftext|>, and a token cut out of an emoji', () => {
    same(STRESS_TEXT, 'all');
    const ids = mod.gpt2Ids(STRESS_TEXT, 'all');
    assert.equal(gpt2Tokenizer().decode(ids), jsTiktokenGpt2().decode(ids));
    const emoji = mod.gpt2Ids('😀');
    assert.equal(emoji.length, 2);
    assert.equal(gpt2Tokenizer().decode([emoji[0]]), jsTiktokenGpt2().decode([emoji[0]]));
  });
});
