// The panel's state reducer: which edits ask the extension for new numbers, and what a
// restored state may contain.
import assert from 'node:assert/strict';
import type { AttentionViewData } from '../../../core/protocol/sidecar';
import { clampFocus, DEFAULT_SENTENCE, effectiveView, functionFor, initialState, parsePadTokens, reduce, requestFor } from '../../../webviews/attention/state';

describe('attention panel: state', () => {
  const s0 = initialState();

  it('starts from the default sentence with one head and no mask', () => {
    assert.deepEqual(requestFor(s0), { sentence: DEFAULT_SENTENCE, mask: 'none', heads: 1, padTokens: 2, source: 'random', layer: 1 });
    assert.equal(s0.mode, 'learner');
  });

  it('recomputes for the sentence, mask and heads, not for the view or head', () => {
    assert.equal(reduce(s0, { type: 'sentence', value: 'a b' }).recompute, true);
    assert.equal(reduce(s0, { type: 'sentence', value: DEFAULT_SENTENCE }).recompute, false);
    assert.equal(reduce(s0, { type: 'mask', value: 'causal' }).recompute, true);
    assert.equal(reduce(s0, { type: 'mode', value: 'difference' }).recompute, false);
    assert.equal(reduce(s0, { type: 'head', value: '0' }).recompute, false);
  });

  it('resets the shown head when the head count changes, and refuses counts the panel does not offer', () => {
    const four = reduce(s0, { type: 'heads', value: '4' }).state;
    const third = reduce(four, { type: 'head', value: '2' }).state;
    assert.equal(third.head, 2);
    const two = reduce(third, { type: 'heads', value: '2' });
    assert.equal(two.recompute, true);
    assert.equal(two.state.head, 0);
    assert.equal(reduce(s0, { type: 'heads', value: '3' }).state, s0);
    assert.equal(reduce(two.state, { type: 'head', value: '2' }).state.head, 0, 'no head 3 of 2');
  });

  it('the trained mini-GPT source: causal by default, a layer to choose, no padding, the layer\'s own heads', () => {
    const model = reduce(s0, { type: 'source', value: 'model' });
    assert.equal(model.recompute, true);
    assert.equal(model.state.mask, 'causal', 'the model was trained with the causal mask');
    assert.deepEqual(requestFor(model.state), { sentence: DEFAULT_SENTENCE, mask: 'causal', heads: 1, padTokens: 2, source: 'model', layer: 1 });
    const layer3 = reduce(model.state, { type: 'layer', value: '3' });
    assert.equal(layer3.recompute, true);
    assert.equal(layer3.state.layer, 3);
    assert.equal(reduce(s0, { type: 'layer', value: '3' }).recompute, false, 'the layer means nothing for the random source');
    assert.equal(reduce(model.state, { type: 'layer', value: '0' }).state, model.state);
    assert.equal(reduce(model.state, { type: 'mask', value: 'padding' }).state, model.state, 'a text has no padding');
    assert.equal(reduce(model.state, { type: 'mask', value: 'none' }).recompute, true);
    assert.equal(reduce(model.state, { type: 'heads', value: '4' }).recompute, false, 'the model\'s heads are fixed');
    assert.equal(reduce(model.state, { type: 'head', value: '3' }).state.head, 3, 'head 4 of the model, though heads is 1');
    assert.equal(reduce(model.state, { type: 'source', value: 'random' }).state.mask, 'causal', 'back to random keeps the mask');
    assert.equal(reduce(s0, { type: 'source', value: 'gpt' }).state, s0);
    assert.equal(functionFor(4, 'model'), 'attention');
    assert.equal(functionFor(4, 'random'), 'multiHeadAttention');
  });

  it('recomputes for pad tokens only under the padding mask, and explains a bad count', () => {
    assert.equal(reduce(s0, { type: 'padTokens', value: '4' }).recompute, false);
    const padded = reduce(s0, { type: 'mask', value: 'padding' }).state;
    assert.equal(reduce(padded, { type: 'padTokens', value: '4' }).recompute, true);
    const bad = reduce(padded, { type: 'padTokens', value: '12' });
    assert.equal(bad.recompute, false);
    assert.equal(bad.state.padTokens, 2);
    assert.equal(bad.state.padError, 'Pad tokens must be a whole number from 0 to 8; got "12".');
    assert.equal(reduce(bad.state, { type: 'padTokens', value: ' 3 ' }).state.padError, undefined);
    assert.deepEqual(parsePadTokens('-1'), { error: 'Pad tokens must be a whole number from 0 to 8; got "-1".' });
    assert.deepEqual(parsePadTokens('0'), { value: 0 });
  });

  it('restores only saved fields that still make sense', () => {
    const s = initialState({ sentence: 'hello there', mask: 'causal', heads: 4, head: 3, mode: 'difference', showTable: true, padTokens: 99 });
    assert.deepEqual(requestFor(s), { sentence: 'hello there', mask: 'causal', heads: 4, padTokens: 2, source: 'random', layer: 1 });
    const m = initialState({ source: 'model', layer: 3, mask: 'padding', head: 3 });
    assert.deepEqual([m.source, m.layer, m.mask, m.head], ['model', 3, 'none', 3], 'no padding for the model; its heads are not limited by the heads setting');
    assert.equal(initialState({ source: 'bert', layer: 99 }).source, 'random');
    assert.equal(initialState({ source: 'model', layer: 99 }).layer, 1);
    assert.equal(s.head, 3);
    assert.equal(s.mode, 'difference');
    assert.equal(initialState({ heads: 3, mask: 'diagonal', mode: 'x' }).heads, 1);
    assert.equal(initialState('garbage').sentence, DEFAULT_SENTENCE);
  });

  it('shows the reference when the learner\'s matrix is missing, and clamps the head', () => {
    const data: AttentionViewData = {
      tokens: ['a', 'b'],
      mask: 'none',
      heads: [{ learner: null, reference: [[1, 0], [0.5, 0.5]] }],
      source: 'seeded',
      tolerance: 1e-4,
      learnerError: { message: 'TODO' },
    };
    const s = { ...initialState(), heads: 4, head: 3, mode: 'difference' as const };
    assert.deepEqual(effectiveView(s, data), { head: 0, mode: 'reference', learnerMissing: true });
    data.heads[0].learner = [[1, 0], [0.5, 0.5]];
    assert.deepEqual(effectiveView(s, data), { head: 0, mode: 'difference', learnerMissing: false });
  });

  it('keeps the focused cell inside a shorter sentence', () => {
    assert.deepEqual(clampFocus([9, 4], 5), [4, 4]);
    assert.deepEqual(clampFocus([1, 2], 5), [1, 2]);
  });
});
