// The tokenizer assertions (core/checks/expectTokens.ts), tested directly: what counts as a token
// id list or a Map, and what a failed sequence comparison shows (the position, the text before it,
// the tokens around it in both sequences).
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { assertFailure, failure } from '../../support/checkFailure';
import { expectSameTokens, firstDifference, idList, mapEntries, quote, showIds, type TokenRendering } from '../../../core/checks/expectTokens';


/** Token i reads as the letter at i in the alphabet. */
const letters: TokenRendering = {
  token: (id) => JSON.stringify(String.fromCharCode(97 + id)),
  textBefore: (ids, i) => ids.slice(0, i).map((id) => String.fromCharCode(97 + id)).join(''),
};

describe('token assertions (core/checks/expectTokens.ts)', () => {
  it('quotes a string as JSON, cut to the limit with an ellipsis inside the quotes', () => {
    assert.equal(quote('a"b\n'), '"a\\"b\\n"');
    assert.equal(quote('abcdef', 8), '"abcdef"');
    assert.equal(quote('abcdefg', 8), '"abcde…"');
    assert.equal(quote('x'.repeat(100)).length, 80);
  });

  it('shows the first ids, an ellipsis when there are more, and the count', () => {
    assert.equal(showIds([5]), '[5] (1 token)');
    assert.equal(showIds([]), '[] (0 tokens)');
    assert.equal(showIds([1, 2, 3], 3), '[1, 2, 3] (3 tokens)');
    assert.equal(showIds([1, 2, 3, 4], 3), '[1, 2, 3, …] (4 tokens)');
    assert.equal(showIds([1, 'x', null]), '[1, "x", null] (3 tokens)');
    assert.equal(showIds([NaN, Infinity]), '[NaN, Infinity] (2 tokens)', 'numbers print as numbers, not as JSON null');
    assert.equal(showIds(Array.from({ length: 20 }, (_, i) => i)), '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, …] (20 tokens)');
  });

  it('accepts integer ids (up to the bound) and names the first bad entry', async () => {
    assert.deepEqual(idList([0, 7, 50256], 'encode(s)'), [0, 7, 50256]);
    assert.deepEqual(idList([0, 255], 'bytes(s)', 255), [0, 255]);
    assert.deepEqual(idList([], 'encode("")'), []);
    await assertFailure(() => idList(new Uint8Array([1]), 'encode(s)'), 'encode(s) should return an array of numbers', 'number[]', 'an object with keys {0}');
    for (const [value, at, shown] of [
      [[1, 2.5], 1, '2.5'],
      [[1, -1], 1, '-1'],
      [['7', 1], 0, '"7"'],
      [[1, 2, undefined], 2, 'undefined'],
      [[NaN], 0, 'null'],
    ] as const) {
      await assertFailure(() => idList(value, 'encode(s)'), `encode(s)[${at}] is ${shown}, not a token id (an integer ≥ 0)`, 'integers ≥ 0', showIds(value));
    }
    await assertFailure(() => idList([0, 256], 'bytes(s)', 255), 'bytes(s)[1] is 256, not a byte (an integer 0…255)', 'integers 0…255', '[0, 256] (2 tokens)');
    assert.equal((await failure(() => idList([0, 1001], 'encode(s)', 1000))).message, 'encode(s)[1] is 1001, not a token id (an integer ≥ 0)');
  });

  it('reads a Map from any realm, and refuses what only looks like one', async () => {
    assert.deepEqual(mapEntries(new Map([[1, 'a']]), 'merges()'), [[1, 'a']]);
    const foreign = runInNewContext('new Map([["ab", 3]])');
    assert.equal(JSON.stringify(mapEntries(foreign, 'merges()')), '[["ab",3]]');
    for (const [value, actual] of [
      [null, 'null'],
      [[['ab', 3]], 'an array of length 1'],
      [{ entries: () => [] }, 'an object with keys {entries}'],
      [{ get: () => 1 }, 'an object with keys {get}'],
      [{ entries: 1, get: () => 1 }, 'an object with keys {entries, get}'],
      ['map', 'string map'],
      [Object.assign(() => new Map(), { entries: () => [], get: () => 1 }), 'function () => new Map()'],
    ] as const) {
      await assertFailure(() => mapEntries(value, 'merges()'), 'merges() should return a Map', 'new Map(...)', actual);
    }
  });

  it('finds the first difference, counting a longer sequence as different at its extra token', () => {
    assert.equal(firstDifference([1, 2, 3], [1, 2, 3]), -1);
    assert.equal(firstDifference([], []), -1);
    assert.equal(firstDifference([1, 2, 3], [1, 5, 3]), 1);
    assert.equal(firstDifference([1, 2], [1, 2, 3]), 2);
    assert.equal(firstDifference([1, 2, 3], [1, 2]), 2);
    assert.equal(firstDifference([9], [1]), 0);
  });

  it('passes equal sequences and shows where two sequences part', async () => {
    expectSameTokens([1, 2], [1, 2], 'encode(s)', letters);
    const got = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const expected = [0, 1, 2, 3, 4, 25, 6, 7, 8, 9, 10];
    const f = await failure(() => expectSameTokens(got, expected, 'encode(s)', letters));
    assert.equal(f.message, 'encode(s) differs at token 5 after "abcde"');
    assert.equal(f.expected, '… 2 "c" · 3 "d" · 4 "e" · ▶25 "z" · 6 "g" · 7 "h" · 8 "i" · 9 "j" … — [0, 1, 2, 3, 4, 25, 6, 7, …] (11 tokens)');
    assert.equal(f.actual, '… 2 "c" · 3 "d" · 4 "e" · ▶5 "f" · 6 "g" · 7 "h" · 8 "i" · 9 "j" … — [0, 1, 2, 3, 4, 5, 6, 7, …] (11 tokens)');
  });

  it('at the start and end of short sequences: no ellipses; different lengths and an explanation are said', async () => {
    const f = await failure(() => expectSameTokens([0, 1], [0, 1, 2], 'encode(s)', letters, (at) => `; token ${at} is missing`));
    assert.equal(f.message, 'encode(s) differs at token 2 after "ab" (2 tokens, expected 3); token 2 is missing');
    assert.equal(f.expected, '0 "a" · 1 "b" · ▶2 "c" — [0, 1, 2] (3 tokens)');
    assert.equal(f.actual, '0 "a" · 1 "b" — [0, 1] (2 tokens)');
    const first = await failure(() => expectSameTokens([3], [4], 'x', { token: letters.token }));
    assert.equal(first.message, 'x differs at token 0');
    assert.equal(first.actual, '▶3 "d" — [3] (1 token)');
  });

  it('shows only the last 40 characters of the text before the difference', async () => {
    const expected = [...Array.from({ length: 50 }, (_, i) => i % 26), 0];
    const got = [...expected.slice(0, 50), 1];
    const f = await failure(() => expectSameTokens(got, expected, 'x', letters));
    const text = expected.slice(0, 50).map((id) => String.fromCharCode(97 + id)).join('');
    assert.equal(f.message, `x differs at token 50 after ${JSON.stringify(text.slice(-40))}`);
  });
});
