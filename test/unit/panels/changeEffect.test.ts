// A lab view page asks the extension for new numbers only when what it sends changes; other
// edits (which head, whose maps) redraw from the numbers it has; a moved focus does neither.
import assert from 'node:assert/strict';
import { changeEffect } from '../../../webviews/shared/changeEffect';

describe('lab view pages: what an input change does', () => {
  it('a change of what is sent asks again; a change of what is only shown redraws', () => {
    assert.equal(changeEffect({ sentence: 'a', layers: 2 }, { sentence: 'b', layers: 2 }), 'request');
    assert.equal(changeEffect({ sentence: 'a', layers: 2 }, { sentence: 'a', layers: 2 }), 'redraw');
  });

  it('an input that turns invalid (nothing to send) or valid again counts as a change', () => {
    assert.equal(changeEffect({ padTokens: 2 }, undefined), 'request');
    assert.equal(changeEffect(undefined, { padTokens: 3 }), 'request');
    assert.equal(changeEffect(undefined, undefined), 'redraw');
  });

  it('the page may say itself whether to recompute, or that nothing is to be done', () => {
    assert.equal(changeEffect({ a: 1 }, { a: 2 }, { recompute: false }), 'redraw');
    assert.equal(changeEffect({ a: 1 }, { a: 1 }, { recompute: true }), 'request');
    assert.equal(changeEffect({ a: 1 }, { a: 2 }, { redraw: false }), 'none');
  });
});
