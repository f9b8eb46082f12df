// Lab 3's checks against the solution (every check passes), the starter (every check is "not
// started") and planted mistakes: each fails the VISIBLE check aimed at it, whose message names
// the mistake. Runs in process like the sidecar's worker, on the wasm backend.
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { describeLabChecks, type Mistake } from '../../support/plantedMistakes';

const LAB = new LabInProcess('03-positional-encodings');
const F = 'positions.ts';
const BOUNDS = 'if (!Number.isInteger(p) || p < 0 || p >= maxLen) {';
const ROT_EVEN = 'const rotEven = tf.sub(tf.mul(even, cos), tf.mul(odd, sin));';
const ROT_ODD = 'const rotOdd = tf.add(tf.mul(even, sin), tf.mul(odd, cos));';
const ALIBI_MEAN = '    alibi.push(s / slopes.length);';

export const LAB3_MISTAKES: Mistake[] = [
  {
    name: 'sinusoidal in the concatenated layout (all sines, then all cosines)',
    file: F,
    edits: [[
      '      const twoI = j - (j % 2);\n      const angle = pos / Math.pow(10000, twoI / d);\n      row.push(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));',
      '      const i = j % (d / 2);\n      const angle = pos / Math.pow(10000, (2 * i) / d);\n      row.push(j < d / 2 ? Math.sin(angle) : Math.cos(angle));',
    ]],
    caughtBy: 'sinusoidal-formula',
    message: /sinusoidalEncoding\(50, 16\): PE\[7\]\[1\] should be cos\(7 \/ 10000\^\(0\/16\)\).*concatenated layout/,
  },
  {
    name: 'sinusoidal exponent j/d instead of 2i/d',
    file: F,
    edits: [['      const twoI = j - (j % 2);', '      const twoI = j;']],
    caughtBy: 'sinusoidal-formula',
    message: /sinusoidalEncoding\(50, 16\): PE\[7\]\[1\] should be cos\(7 \/ 10000\^\(0\/16\)\) = 0\.753902, got/,
  },
  {
    name: 'sinusoidal with sine and cosine swapped',
    file: F,
    edits: [['row.push(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));', 'row.push(j % 2 === 0 ? Math.cos(angle) : Math.sin(angle));']],
    caughtBy: 'sinusoidal-formula',
    message: /PE\[7\]\[0\] should be sin\(7 \/ 10000\^\(0\/16\)\)/,
  },
  {
    name: 'sinusoidal over d/2 in the exponent',
    file: F,
    edits: [['const angle = pos / Math.pow(10000, twoI / d);', 'const angle = pos / Math.pow(10000, twoI / (d / 2));']],
    caughtBy: 'sinusoidal-formula',
    message: /PE\[23\]\[6\] should be sin\(23 \/ 10000\^\(6\/16\)\) = 0\.664873, got 0\.022998$/,
  },
  {
    name: 'sinusoidal written pair by pair: an odd d gets one column too many',
    file: F,
    edits: [[
      '    for (let j = 0; j < d; j++) {\n      const twoI = j - (j % 2);\n      const angle = pos / Math.pow(10000, twoI / d);\n      row.push(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));\n    }',
      '    for (let i = 0; i < d / 2; i++) {\n      const angle = pos / Math.pow(10000, (2 * i) / d);\n      row.push(Math.sin(angle), Math.cos(angle));\n    }',
    ]],
    caughtBy: 'sinusoidal-odd-d',
    message: /sinusoidalEncoding\(1100, 5\) has 6 columns, not 5: with an odd d/,
    alsoCaughtBy: ['sinusoidal-large-positions'],
  },
  {
    name: 'lookupPositions without a bounds check (tf.gather throws its own error)',
    file: F,
    edits: [[BOUNDS, 'if (false) {']],
    caughtBy: 'learned-past-maxlen',
    message: /lookupPositions\(table \[6, 4\], \[0, 6\]\) failed inside tf\.gather .*not in your own bounds check/,
  },
  {
    name: 'lookupPositions with an off-by-one bound (p > maxLen)',
    file: F,
    edits: [[BOUNDS, 'if (!Number.isInteger(p) || p < 0 || p > maxLen) {']],
    caughtBy: 'learned-past-maxlen',
    message: /\[0, 6\]\) failed inside tf\.gather .*maxLen itself|\[0, 6\]\) failed inside tf\.gather/,
  },
  {
    name: 'lookupPositions lets negative positions through',
    file: F,
    edits: [[BOUNDS, 'if (!Number.isInteger(p) || p >= maxLen) {']],
    caughtBy: 'learned-past-maxlen',
    message: /lookupPositions\(table \[6, 4\], \[0, -1\]\) failed inside tf\.gather/,
  },
  {
    name: 'lookupPositions throws without naming maxLen',
    file: F,
    edits: [['throw new RangeError(`position ${p} is outside the learned table: it has rows 0..${maxLen - 1} (maxLen ${maxLen})`);', 'throw new RangeError(`bad position ${p}`);']],
    caughtBy: 'learned-past-maxlen',
    message: /\[0, 9\]\) threw "bad position 9", which does not name maxLen 6/,
  },
  {
    name: 'lookupPositions clamps to the last row instead of throwing',
    file: F,
    edits: [[BOUNDS, 'if (false) {'], ['tf.gather(table, tf.tensor1d(positions, \'int32\'))', "tf.gather(table, tf.tensor1d(positions.map((p) => Math.min(Math.max(p, 0), maxLen - 1)), 'int32'))"]],
    caughtBy: 'learned-past-maxlen',
    message: /\[0, 6\]\) returned instead of throwing: the table has rows 0 … 5 and no row 6/,
  },
  {
    name: 'lookupPositions drops repeated positions',
    file: F,
    edits: [['tf.gather(table, tf.tensor1d(positions, \'int32\'))', "tf.gather(table, tf.tensor1d([...new Set(positions)], 'int32'))"]],
    caughtBy: 'learned-repeated-and-unordered',
    message: /lookupPositions\(table \[4, 3\], \[3, 1, 3, 0\]\) has the wrong shape|drops the repeated positions/,
  },
  {
    name: 'RoPE in the half layout (x_i with x_{i+d/2})',
    file: F,
    edits: [
      ['const pairs = tf.reshape(x, [n, half, 2]);\n    const [even, odd] = tf.unstack(pairs, 2); // each [n, d/2]', 'const [even, odd] = tf.split(x, 2, 1);'],
      ['return tf.reshape(tf.stack([rotEven, rotOdd], 2), [n, d]) as tf.Tensor2D;', 'return tf.concat([rotEven, rotOdd], 1) as tf.Tensor2D;'],
    ],
    caughtBy: 'rope-consecutive-pairs',
    message: /applyRope\(\[e0, e2\] .*\): e0 rotated into column d\/2: .*"half" layout/,
  },
  {
    name: 'RoPE rotates clockwise',
    file: F,
    edits: [[ROT_EVEN, 'const rotEven = tf.add(tf.mul(even, cos), tf.mul(odd, sin));'], [ROT_ODD, 'const rotOdd = tf.sub(tf.mul(odd, cos), tf.mul(even, sin));']],
    caughtBy: 'rope-consecutive-pairs',
    message: /applyRope\(\[e0, e2\] \(unit vectors, d = 8\), \[1, 1\]\).*that rotates clockwise/,
  },
  {
    name: 'RoPE turns row t by t·θ instead of positions[t]·θ',
    file: F,
    edits: [['tf.reshape(tf.tensor1d(positions), [n, 1])', 'tf.reshape(tf.range(0, n), [n, 1])']],
    caughtBy: 'rope-matches-reference',
    message: /applyRope\(x \[5, 16\], \[0, 1, 7, 517, 2\]\) differs .*rotates row t by t·θ_i/,
  },
  {
    name: 'RoPE with θ_i = 10000^(−i/d)',
    file: F,
    edits: [['tf.div(tf.mul(tf.range(0, half), -2), d)', 'tf.div(tf.mul(tf.range(0, half), -1), d)']],
    caughtBy: 'rope-consecutive-pairs',
    message: /θ_i = 10000\^\(−i\/d\): the exponent is −2i\/d/,
  },
  {
    name: 'RoPE with a different angle for the sine',
    file: F,
    edits: [['const sin = tf.sin(angles);', 'const sin = tf.sin(tf.mul(angles, 2));']],
    caughtBy: 'rope-preserves-norm',
    message: /applyRope\(x \[4, 12\], \[0, 5, 100, 3\]\): row \d \(position \d+\) has norm .* after RoPE, but a rotation keeps the norm/,
  },
  {
    name: 'alibiSlopes starts at 1 (2^(−8h/n))',
    file: F,
    edits: [['for (let h = 0; h < n; h++) out.push(Math.pow(start, h + 1));', 'for (let h = 0; h < n; h++) out.push(Math.pow(start, h));']],
    caughtBy: 'alibi-slopes-8-heads',
    message: /alibiSlopes\(8\) \(start 2\^\(−8\/8\) = 1\/2, ratio 1\/2\) differs .*expected 0\.5, got 1/,
  },
  {
    name: 'alibiSlopes uses the power-of-two rule for every head count',
    file: F,
    edits: [['if (Number.isInteger(Math.log2(heads))) return geometric(heads);', 'if (heads > 0) return geometric(heads);']],
    caughtBy: 'alibi-slopes-6-heads',
    message: /alibiSlopes\(6\) differs .*the power-of-two rule/,
  },
  {
    name: 'alibiBias with the sign flipped (older keys favoured)',
    file: F,
    edits: [['const bias = tf.mul(tf.neg(slopes), distance);', 'const bias = tf.mul(slopes, distance);']],
    caughtBy: 'alibi-bias-matches-reference',
    message: /alibiBias\(7, 4\) .*opposite sign/,
  },
  {
    name: 'alibiBias does not mask the future',
    file: F,
    edits: [['tf.fill([heads, n, n], -1e9)', 'tf.fill([heads, n, n], 0)']],
    caughtBy: 'alibi-bias-causal-diagonal',
    message: /alibiBias\(5, 4\)\[0\]\[0\]\[1\] is 0: key 1 comes after query 0, so it must be masked/,
  },
  {
    name: 'extrapolation clamps the learned series instead of stopping',
    file: F,
    edits: [["      learned.push(null); // no row for p: the table never saw this position", '      learned.push(learned[learned.length - 1]);']],
    caughtBy: 'extrapolation-learned-stops',
    message: /extrapolationStudy\(table \[8, 6\], content, 4 heads, 16\)\.learned\[8\] is .*but the table has no row 8: past trainLength 8 the series must be null/,
  },
  {
    name: 'extrapolation sums the ALiBi factors instead of averaging',
    file: F,
    edits: [[ALIBI_MEAN, '    alibi.push(s);']],
    caughtBy: 'extrapolation-matches-reference',
    message: /extrapolationStudy\(table \[8, 6\], content \[6\], 4 heads, 16\)\.alibi differs .*SUM over the 4 heads/,
  },
  {
    name: 'selfAttention averages x instead of the values',
    file: F,
    edits: [['return tf.matMul(weights, v);', 'return tf.add(tf.matMul(weights, x), tf.mul(0, tf.sum(v)));']],
    caughtBy: 'self-attention-matches-reference',
    message: /selfAttention\("dog bites man" as x \[3, 8\], w\) differs .*averages the raw tokens x/,
  },
  {
    name: 'pooledSentence sums instead of averaging',
    file: F,
    edits: [['return tf.mean(selfAttention(input as tf.Tensor2D, w), 0);', 'return tf.sum(selfAttention(input as tf.Tensor2D, w), 0);']],
    caughtBy: 'pooled-equal-without-positions',
    message: /pooledSentence\("dog bites man", w, false\) differs .*SUM over the 3 tokens/,
  },
  {
    name: 'pooledSentence adds the positions after self-attention',
    file: F,
    edits: [[
      'const input = addPositions ? tf.add(x, tf.tensor2d(sinusoidalEncoding(n, d))) : x;\n    return tf.mean(selfAttention(input as tf.Tensor2D, w), 0);',
      'const out = selfAttention(x, w);\n    return tf.mean(addPositions ? tf.add(out, tf.tensor2d(sinusoidalEncoding(n, d))) : out, 0);',
    ]],
    caughtBy: 'pooled-differ-with-positions',
    message: /pooledSentence\(x, w, true\): with sinusoidal positions added, "dog bites man" and "man bites dog" should pool to different vectors, but they are equal/,
    alsoCaughtBy: ['pooled-with-positions-matches-reference', 'pooled-matches-reference'],
  },
];

describeLabChecks('Lab 3 checks against the solution, the starter and planted mistakes', () => LAB, LAB3_MISTAKES, () => loadBackend('wasm'));
