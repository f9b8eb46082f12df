// The texts Lab 4 ships are exactly what scripts/make-tokenizer-data.ts makes from the npm data
// packages, and the data card's sizes and hashes describe them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataCard } from '../../../scripts/make-tokenizer-data';
import { mobyDickSlice, stateOfTheUnionSelection } from '../../../scripts/tokenizer/courseTexts';
import { findTextsDir, mobyDickSplit } from '../../../sidecar/reference/tokenizer/shippedTexts';

describe('Lab 4 shipped texts', () => {
  const dir = findTextsDir(__dirname);

  it('are reproduced byte for byte by npm run data:tokenizer', () => {
    const moby = readFileSync(join(dir, 'moby-dick.txt'), 'utf8');
    const sotu = readFileSync(join(dir, 'state-of-the-union.txt'), 'utf8');
    assert.equal(moby, mobyDickSlice());
    assert.equal(sotu, stateOfTheUnionSelection());
    assert.equal(readFileSync(join(dir, 'DATA_CARD.md'), 'utf8'), dataCard(moby, sotu));
    assert.ok(dataCard(moby, sotu).includes(createHash('sha256').update(moby).digest('hex')));
  });

  it('split 90 / 10 into training and held-out text', () => {
    const { train, test } = mobyDickSplit();
    assert.ok(train.startsWith('Call me Ishmael.'));
    assert.ok(train.length > 200_000 && test.length > 20_000);
  });
});
