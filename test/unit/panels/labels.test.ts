// What the panel says: cell labels (aria-label and hover), captions, the learner-error line.
import assert from 'node:assert/strict';
import { captionFor, cellLabel, differenceSummary, tokenName } from '../../../webviews/attention/labels';
import { partErrorText } from '../../../webviews/shared/errorText';

const tokens = ['The', 'cat', 'sat', 'on', 'the', 'mat', 'the'];

describe('attention panel: labels', () => {
  it('names query and key tokens with the value', () => {
    assert.equal(cellLabel('learner', tokens, 1, 2, { value: 0.3104, intensity: 0.31, disagrees: false }, 1e-4), "query 'cat' → key 'sat': 0.310");
  });

  it('tells repeated tokens apart by position', () => {
    assert.equal(tokenName(tokens, 4), "'the' (#5)");
    assert.equal(tokenName(tokens, 0), "'The'", 'case matters: The is not the');
    assert.equal(cellLabel('reference', tokens, 6, 4, { value: 0.5, intensity: 0.5, disagrees: false }, 1e-4), "query 'the' (#7) → key 'the' (#5): 0.500");
  });

  it('says whether a difference is over the tolerance', () => {
    const over = cellLabel('difference', tokens, 0, 1, { value: 0.02, intensity: 1, disagrees: true }, 1e-4);
    assert.equal(over, "query 'The' → key 'cat': differs from the reference by 0.020, more than 1.0e-4");
    const under = cellLabel('difference', tokens, 0, 1, { value: 0.00001, intensity: 0, disagrees: false }, 1e-4);
    assert.equal(under, "query 'The' → key 'cat': matches the reference (difference 1.0e-5)");
  });

  it('captions the table with the view, head and mask', () => {
    assert.equal(captionFor('learner', 1, 4, 'causal'), 'Your attention weights, head 2 of 4, mask: causal. Rows are queries, columns are keys.');
    assert.equal(captionFor('reference', 0, 1, 'none'), 'Reference attention weights, mask: none. Rows are queries, columns are keys.');
  });

  it("a part-error note shows the learner's file:line once", () => {
    const loc = { file: 'attention.ts', line: 74, column: 9 };
    assert.equal(
      partErrorText('Your attention()', { message: 'TODO: implement attention', location: loc }),
      'Your attention() could not be drawn from your code: TODO: implement attention (attention.ts:74). The reference is shown.',
    );
    assert.equal(
      partErrorText('Your attention()', { message: 'attention.ts:74 boom', location: loc }),
      'Your attention() could not be drawn from your code: attention.ts:74 boom. The reference is shown.',
    );
    assert.match(partErrorText('Your multiHeadAttention()', { message: 'weights should have shape [2, 10, 10] for 10 tokens' }), /^Your multiHeadAttention\(\) could not be drawn from your code: weights should have shape \[2, 10, 10\] for 10 tokens\. The/);
  });

  it('summarises the difference view', () => {
    assert.equal(differenceSummary(0, 100, 1e-4), 'Your weights match the reference in all 100 cells (within 1.0e-4).');
    assert.equal(differenceSummary(3, 100, 1e-4), '3 of 100 cells differ from the reference by more than 1.0e-4 (outlined).');
  });
});
