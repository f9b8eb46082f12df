// The positions view's input handling: defaults, clamping, and an even dModel (RoPE rotates pairs).
import assert from 'node:assert/strict';
import { parsePositionsInput } from '../../../labs/03-positional-encodings/visualize';

describe('Lab 3 positions view input', () => {
  it('fills in the defaults', () => {
    assert.deepEqual(parsePositionsInput(undefined), { maxPosition: 64, dModel: 32, heads: 8, trainLength: 32, ropePair: 1 });
    assert.deepEqual(parsePositionsInput({ maxPosition: 'x' }), { maxPosition: 64, dModel: 32, heads: 8, trainLength: 32, ropePair: 1 });
  });

  it('clamps to the ranges the panel can draw quickly, and rounds dModel up to even', () => {
    assert.deepEqual(parsePositionsInput({ maxPosition: 1e6, dModel: 7, heads: 0, trainLength: 1, ropePair: 99 }), {
      maxPosition: 128,
      dModel: 8,
      heads: 1,
      trainLength: 2,
      ropePair: 3,
    });
    assert.equal(parsePositionsInput({ dModel: -5 }).dModel, 2);
    assert.equal(parsePositionsInput({ ropePair: -1 }).ropePair, 0);
  });
});
