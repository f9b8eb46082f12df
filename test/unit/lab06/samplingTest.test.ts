// The sampling check's statistics: for a correct sampler the χ² p-value is uniform, so over
// many fresh seeds about α of them fail. This measures that rate for the reference sampler on
// the check's own distribution, and shows the check's fixed seed passes with room to spare.
import assert from 'node:assert/strict';
import { filteredDistributionRef, sampleFromRef } from '../../../sidecar/reference/decoding/decodingRef';
import { chiSquareTest } from '../../../sidecar/reference/decoding/stats';
import { mulberry32, randomMatrix } from '../../../sidecar/reference/random';
import { SAMPLE_COUNT, SAMPLE_SEED, SAMPLE_TEST_ALPHA } from '../../../labs/06-mini-gpt/checks';

function pValue(probs: number[], seed: number, n = SAMPLE_COUNT): number {
  const rng = mulberry32(seed);
  const counts = new Array<number>(probs.length).fill(0);
  for (let s = 0; s < n; s++) counts[sampleFromRef(probs, rng)]++;
  return chiSquareTest(counts, probs, n).pValue;
}

describe('Lab 6 sampling check statistics', function () {
  this.timeout(60_000);
  // The same distribution as the check 'sample-distribution'.
  const probs = filteredDistributionRef(randomMatrix(mulberry32(63), 1, 16, 1.5)[0], { temperature: 0.8, topK: 10, topP: 0.95 });

  it('the check seed passes comfortably with the reference sampler', () => {
    const p = pValue(probs, SAMPLE_SEED);
    assert.ok(p > 0.05, `p = ${p}`);
  });

  it('over 1,000 fresh seeds, p-values look uniform: ≈5% below 0.05, ≈0.1% below α', () => {
    const ps = Array.from({ length: 1000 }, (_, i) => pValue(probs, 100_000 + i));
    const below05 = ps.filter((p) => p < 0.05).length / ps.length;
    const belowAlpha = ps.filter((p) => p < SAMPLE_TEST_ALPHA).length;
    // Binomial(1000, 0.05): mean 50, sd 6.9 → [30, 75] is beyond ±3.5 sd.
    assert.ok(below05 >= 0.03 && below05 <= 0.075, `fraction below 0.05: ${below05}`);
    // Binomial(1000, 0.001): mean 1; 6 or more has probability < 0.001.
    assert.ok(belowAlpha <= 5, `${belowAlpha} of 1000 correct runs failed at α = ${SAMPLE_TEST_ALPHA}`);
    const median = ps.slice().sort((a, b) => a - b)[500];
    assert.ok(median > 0.4 && median < 0.6, `median p ${median}`);
  });
});
