// The assertions' rules one by one (issue 18: expect.ts tested directly): which values count as
// numbers, how numbers are printed, where the tolerance boundary lies, and what each failure
// says in its message and in its expected/actual details.
import assert from 'node:assert/strict';
import { CheckFailure } from '../../../core/checks/checkApi';
import { assertFailure, failure } from '../../support/checkFailure';
import {
  describe as describeValue,
  describeDifference,
  expectAllClose,
  expectFinite,
  expectOutputAndWeights,
  expectRowsSumToOne,
  expectShape,
  expectZerosWhere,
  fmt,
  fmtPair,
  shapeOf,
  toNested,
} from '../../../core/checks/expect';


/** A stand-in with the parts of a tf.Tensor that toNested reads (`array()`, as the webgpu backend needs). */
function tensorLike(values: number[][], isDisposed = false) {
  return { shape: [values.length, values[0].length], isDisposed, array: async () => values };
}

describe('check assertions: values', () => {
  it('reads tensors, typed arrays, nested arrays and plain numbers', async () => {
    assert.deepEqual(await toNested(tensorLike([[1, 2], [3, 4]]), 'x'), [[1, 2], [3, 4]]);
    assert.deepEqual(await toNested(new Float32Array([0.5, 2]), 'x'), [0.5, 2]);
    assert.deepEqual(await toNested([[1], [2]], 'x'), [[1], [2]]);
    assert.equal(await toNested(3, 'x'), 3);
  });

  it('refuses a disposed tensor, and anything that is not numbers, naming what came back', async () => {
    await assertFailure(() => toNested(tensorLike([[1]], true), 'softmax(x)'), 'softmax(x) is a tensor that was already disposed', undefined, 'a disposed tensor');
    // Something with array() but no shape, or a shape but no array(), is not a tensor; nor is one with only arraySync (a synchronous read is not used).
    for (const [value, actual] of [
      [{ array: async () => [1] }, 'an object with keys {array}'],
      [{ shape: [1], array: 'no' }, 'an object with keys {shape, array}'],
      [{ shape: [1], arraySync: () => [1] }, 'an object with keys {shape, arraySync}'],
      [Object.assign(() => [1], { shape: [1], array: async () => [1] }), 'function () => [1]'],
      ['1,2', 'string 1,2'],
      [null, 'null'],
      [undefined, 'undefined (did you forget to return?)'],
    ] as const) {
      await assertFailure(() => toNested(value, 'f(x)'), 'f(x) should be numbers (an array or a tensor)', 'number[], number[][] or a tf.Tensor', actual);
    }
  });

  it('names a promise handed over (a check that forgot an await) as the check\'s bug, not the learner\'s', async () => {
    const aPromise = (v: unknown): unknown => Promise.resolve(v);
    await assert.rejects(toNested(aPromise([1]), 'softmax(x)'), (e: unknown) => {
      assert.ok(!(e instanceof CheckFailure), 'not a verdict on the learner');
      assert.equal((e as Error).message, 'softmax(x) is a promise: the check must await it (a bug in the check, not in your code)');
      return true;
    });
  });

  it('describes what a learner returned', () => {
    assert.equal(describeValue(undefined), 'undefined (did you forget to return?)');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue([1, 2, 3]), 'an array of length 3');
    assert.equal(describeValue({ output: 1, weights: 2 }), 'an object with keys {output, weights}');
    assert.equal(describeValue(true), 'boolean true');
    assert.equal(describeValue(2.5), 'number 2.5');
  });

  it('gives the shape of nested arrays, [0] for an empty one', async () => {
    assert.deepEqual(shapeOf(4, 'x'), []);
    assert.deepEqual(shapeOf([], 'x'), [0]);
    assert.deepEqual(shapeOf([[], []], 'x'), [2, 0]);
    assert.deepEqual(shapeOf([[[1, 2, 3]], [[4, 5, 6]]], 'x'), [2, 1, 3]);
    assert.match((await failure(() => shapeOf([[1, 2], []], 'x'))).message, /^x is ragged: row 1 has shape \[0\] but row 0 has \[2\]$/);
  });
});

describe('check assertions: printing numbers', () => {
  it('prints ordinary numbers to six decimals and very large or small ones in exponent form', () => {
    assert.equal(fmt(0.1234567), '0.123457');
    assert.equal(fmt(-2.5), '-2.5');
    assert.equal(fmt(0), '0');
    assert.equal(fmt(9999.5), '9999.5');
    assert.equal(fmt(10000), '1.0000e+4');
    assert.equal(fmt(-12345.678), '-1.2346e+4');
    assert.equal(fmt(0.001), '0.001');
    assert.equal(fmt(0.00099), '9.9000e-4');
    assert.equal(fmt(-0.00099), '-9.9000e-4');
    assert.equal(fmt(NaN), 'NaN');
    assert.equal(fmt(-Infinity), '-Infinity');
  });

  it('prints a pair that is equal, or not finite, the ordinary way', () => {
    assert.deepEqual(fmtPair(0.5, 0.5), ['0.5', '0.5']);
    assert.deepEqual(fmtPair(1e-9, 1e-9), ['1.0000e-9', '1.0000e-9']);
    assert.deepEqual(fmtPair(NaN, 12345.678), ['NaN', '1.2346e+4']);
    assert.deepEqual(fmtPair(12345.678, Infinity), ['1.2346e+4', 'Infinity']);
  });

  it('uses up to 17 significant digits for two numbers one ulp apart', () => {
    const a = 0.1;
    const b = 0.1 + Number.EPSILON / 8; // the next double above 0.1
    assert.notEqual(a, b);
    const [x, y] = fmtPair(a, b);
    assert.notEqual(x, y);
    assert.equal(Number(x), a);
    assert.equal(Number(y), b);
  });

  it('describes the difference with the relative error only where it exists', () => {
    assert.equal(describeDifference(0, 0.5, 1e-4, 1e-4), '|Δ| 0.5; tolerance |Δ| ≤ 1.00e-4 + 1.00e-4·|expected| = 1.00e-4');
    assert.equal(describeDifference(-4, -3, 0.01, 0.1), '|Δ| 1, relative 0.25; tolerance |Δ| ≤ 0.01 + 0.1·|expected| = 0.41');
    assert.equal(describeDifference(1e5, 2e5, 0, 0), '|Δ| 1.00e+5, relative 1; tolerance |Δ| ≤ 0');
    assert.equal(describeDifference(0, 1e4, 0, 0), '|Δ| 1.00e+4; tolerance |Δ| ≤ 0');
    assert.equal(describeDifference(0, 9999, 0, 0), '|Δ| 10000; tolerance |Δ| ≤ 0');
    assert.equal(describeDifference(1, 1, 0.001, 0), '|Δ| 0, relative 0; tolerance |Δ| ≤ 0.001');
    // A learner's NaN or infinity has no difference to print: only the tolerance.
    assert.equal(describeDifference(1, NaN, 1e-4, 1e-3), 'tolerance |Δ| ≤ 1.00e-4 + 0.001·|expected|');
    assert.equal(describeDifference(1, Infinity, 1e-4, 0), 'tolerance |Δ| ≤ 1.00e-4');
  });
});

describe('check assertions: comparisons', () => {
  it('passes exactly at the tolerance boundary |Δ| = atol + rtol·|expected|, fails just past it', async () => {
    // 0.5 + 0.25·2 = 1: exactly representable, so the boundary is exact.
    await expectAllClose([3], [2], 'x', { atol: 0.5, rtol: 0.25 });
    await expectAllClose([-2], [-4], 'x', { atol: 0.5, rtol: 0.375 });
    assert.match((await failure(() => expectAllClose([3.01], [2], 'x', { atol: 0.5, rtol: 0.25 }))).message, /^x differs from the reference at \[0\]: expected 2, got 3\.01 /);
    // The default tolerance is 1e-4 absolute plus 1e-4 relative.
    await expectAllClose([100.0101], [100], 'x');
    await failure(() => expectAllClose([100.0102], [100], 'x'));
  });

  it('reports the first differing index in nested shapes, with a preview of both values', async () => {
    const expected = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]];
    const got = [[[1, 2], [3, 4]], [[5, 6], [7, 9]]];
    const f = await failure(() => expectAllClose(got, expected, 'y'));
    assert.match(f.message, /^y differs from the reference at \[1\]\[1\]\[1\]: expected 8, got 9 /);
    assert.equal(f.expected, '[[[1,2],[3,4]],[[5,6],[7,8]]]');
    assert.equal(f.actual, '[[[1,2],[3,4]],[[5,6],[7,9]]]');
    const small = await failure(() => expectAllClose([0.1234567891, 1e-7], [0.1234567891, 0], 'z', { atol: 1e-9 }));
    assert.equal(small.actual, '[0.123457,1e-7]', 'numbers in the preview are printed like the message');
  });

  it('cuts a long preview to 157 characters and an ellipsis', async () => {
    const expected = Array.from({ length: 100 }, (_, i) => i);
    const got = [...expected.slice(0, 99), -1];
    const f = await failure(() => expectAllClose(got, expected, 'v'));
    assert.equal(f.expected!.length, 158);
    assert.ok(f.expected!.endsWith('…'));
    assert.equal(f.expected!.slice(0, 157), JSON.stringify(expected).slice(0, 157));
    // Exactly 160 characters are kept whole: "[10" and 78 times ",1" and "]".
    const e160 = [10, ...Array.from({ length: 78 }, () => 1)];
    assert.equal(JSON.stringify(e160).length, 160);
    const whole = await failure(() => expectAllClose([...e160.slice(0, -1), 2], e160, 'v'));
    assert.equal(whole.expected, JSON.stringify(e160));
  });

  it('names the wrong shape in the message and in expected/actual, whatever the reference is', async () => {
    await assertFailure(() => expectShape([[1, 2, 3]], [3, 1], 'scores'), 'scores has the wrong shape: expected [3, 1], got [1, 3]', '[3, 1]', '[1, 3]');
    const g = await failure(() => expectAllClose([1, 2], [[1, 2]], 'w'));
    assert.equal(g.message, 'w has the wrong shape: expected [1, 2], got [2]');
    assert.match((await failure(() => expectAllClose([1], 'x', 'w'))).message, /^the reference should be numbers/);
    assert.match((await failure(() => expectAllClose([1], [[1], []], 'w'))).message, /^the reference is ragged/);
  });

  it('finds the first value that is not finite, at its index', async () => {
    assert.deepEqual(await expectFinite([[1, 2], [3, 4]], 'x'), [[1, 2], [3, 4]]);
    await assertFailure(() => expectFinite([[1, 2], [Infinity, NaN]], 'x'), 'x contains Infinity at [1][0]', 'finite numbers everywhere', 'Infinity at [1][0]');
    assert.equal((await failure(() => expectFinite([NaN, 1], 'x'))).message, 'x contains NaN at [0]');
    assert.equal((await failure(() => expectFinite([[1, 2, 3], [4, 5, -Infinity]], 'x'))).actual, '-Infinity at [1][2]');
  });

  it('recognises a known mistake by every value and its shape, not by one matching entry', async () => {
    const known = [{ value: [[0.9, 0.5]], means: 'first' }, { value: [[0.9, 0.1]], means: 'second' }];
    // [0.9, 0.1] matches "first" in its first entry only: the message names "second".
    assert.match((await failure(() => expectAllClose([[0.9, 0.1]], [[0.7, 0.3]], 'w', { known }))).message, / — second$/);
    // A known mistake computed by a function is called; its value is compared like the learner's.
    let calls = 0;
    const lazy = [{ value: () => { calls++; return [[0.9, 0.1]]; }, means: 'lazy' }];
    assert.match((await failure(() => expectAllClose([[0.9, 0.1]], [[0.7, 0.3]], 'w', { known: lazy }))).message, / — lazy$/);
    assert.equal(calls, 1);
    // A known value that is not numbers, or ragged, is skipped rather than failing the check.
    const junk = [{ value: 'oops', means: 'junk' }, { value: [[1], []], means: 'ragged' }, { value: [[0.9, 0.1]], means: 'real' }];
    assert.match((await failure(() => expectAllClose([[0.9, 0.1]], [[0.7, 0.3]], 'w', { known: junk }))).message, / — real$/);
    // The known mistake's comparison uses the check's tolerance, relative part included.
    const rel = [{ value: [100.05], means: 'off by a little' }];
    assert.match((await failure(() => expectAllClose([100], [200], 'w', { atol: 0, rtol: 1e-3, known: rel }))).message, / — off by a little$/);
    assert.doesNotMatch((await failure(() => expectAllClose([100], [200], 'w', { atol: 0.01, rtol: 0, known: rel }))).message, /—/);
    // Exactly at the tolerance boundary (0.5 + 0.25·2 = 1) is still a match.
    assert.match((await failure(() => expectAllClose([3], [10], 'w', { atol: 0.5, rtol: 0.25, known: [{ value: [2], means: 'edge' }] }))).message, / — edge$/);
    // NaN in the learner's value matches no known mistake.
    assert.doesNotMatch((await failure(() => expectAllClose([NaN], [1], 'w', { known: [{ value: [NaN], means: 'nan' }] }))).message, /—/);
  });

  it('uses the relative tolerance as a product with |expected|', async () => {
    // atol 0, rtol 0.5 around 4 allows |Δ| ≤ 2; a quotient (0.125) would not.
    await expectAllClose([6], [4], 'x', { atol: 0, rtol: 0.5 });
    await expectAllClose([-2], [-4], 'x', { atol: 0, rtol: 0.5 });
  });
});

describe('check assertions: probabilities, zeros and result objects', () => {
  it('checks every row of the last axis, in any rank, and names the row', async () => {
    await expectRowsSumToOne([[0.25, 0.75], [1, 0]], 'w');
    await expectRowsSumToOne([0.5, 0.5], 'p');
    await assertFailure(() => expectRowsSumToOne([[0.5, 0.5], [0.5, 0.5], [0.2, 0.2]], 'w'), 'row [2] of w sums to 0.4, but probabilities must sum to 1', '1', '0.4');
    assert.equal((await failure(() => expectRowsSumToOne([0.5, 0.6], 'p'))).message, 'p sums to 1.1, but probabilities must sum to 1');
    const rank3 = await failure(() => expectRowsSumToOne([[[1, 0], [0, 1]], [[0.5, 0.5], [0.5, 0.4]]], 'w'));
    assert.equal(rank3.message, 'row [1][1] of w sums to 0.9, but probabilities must sum to 1');
    assert.equal((await failure(() => expectRowsSumToOne([[[1, 0], [0.3, 0.3]]], 'w'))).message, 'row [0][1] of w sums to 0.6, but probabilities must sum to 1');
    // Below 1 fails as well as above, and the tolerance is a bound on |sum − 1|.
    await failure(() => expectRowsSumToOne([[0.4, 0.4]], 'w'));
    await expectRowsSumToOne([[0.5, 0.50009]], 'w');
    await expectRowsSumToOne([[0.5, 0.45]], 'w', 0.05 + 1e-12);
    await expectRowsSumToOne([[0.5, 0.75]], 'w', 0.25); // |1.25 − 1| = 0.25 exactly: at the bound passes
    await failure(() => expectRowsSumToOne([[0.5, 0.45]], 'w', 0.04));
    assert.match((await failure(() => expectRowsSumToOne([[0.5, NaN]], 'w'))).message, /^w contains NaN at \[0\]\[1\]/);
  });

  it('requires zeros exactly where the mask blocks, naming the index and the reason', async () => {
    const causal = ([i, j]: number[]) => j > i;
    await expectZerosWhere([[1, 0], [0.5, 0.5]], causal, 'w', 'a token may not attend to later ones');
    await assertFailure(() => expectZerosWhere([[1, 0, 0], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], causal, 'w', 'no peeking'), 'w[1][2] is 0.2 but should be 0: no peeking', '0', '0.2');
    // The mask sees every index of every rank; values within the tolerance count as zero.
    const seen: string[] = [];
    await expectZerosWhere([[[0, 1]], [[2, 3]]], (idx) => (seen.push(idx.join()), false), 'x', 'why');
    assert.deepEqual(seen, ['0,0,0', '0,0,1', '1,0,0', '1,0,1']);
    await expectZerosWhere([[1, 1e-7]], causal, 'w', 'why');
    await expectZerosWhere([[1, -0.01]], causal, 'w', 'why', 0.01);
    assert.equal((await failure(() => expectZerosWhere([[1, -0.02]], causal, 'w', 'why', 0.01))).actual, '-0.02');
  });

  it('takes { output, weights } apart and says what came back otherwise', async () => {
    const r = expectOutputAndWeights({ output: [1], weights: [[1]], extra: 1 }, 'attend(q, K, V)');
    assert.deepEqual(r, { output: [1], weights: [[1]] });
    assert.deepEqual(expectOutputAndWeights({ output: undefined, weights: 0 }, 'a'), { output: undefined, weights: 0 });
    for (const [value, actual] of [
      [undefined, 'undefined (did you forget to return?)'],
      [[1, 2], 'an array of length 2'],
      [{ output: [1] }, 'an object with keys {output}'],
      [{ weights: [1] }, 'an object with keys {weights}'],
      ['output weights', 'string output weights'],
    ] as const) {
      await assertFailure(() => expectOutputAndWeights(value, 'attend(q, K, V)'), 'attend(q, K, V) should return { output, weights }', '{ output, weights }', actual);
    }
  });
});
