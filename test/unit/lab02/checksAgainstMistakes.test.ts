// Lab 2's checks against the solution (every check passes), the starter (every check is "not
// started") and planted mistakes: each fails the VISIBLE check aimed at it, whose message names
// the mistake. Runs in process like the sidecar's worker, on the wasm backend.
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { LabInProcess } from '../../support/labInProcess';
import { describeLabChecks, type Mistake } from '../../support/plantedMistakes';

const LAB = new LabInProcess('02-transformer-block');
const F = 'block.ts';
const LOOPS_INV = '    const inv = 1 / Math.sqrt(variance + eps);';
const TENSOR_LN = 'return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, eps))), p.gamma), p.beta);';
const FINAL_LN = "weights.push(r.selfWeights);\n  }\n  const output = opts.norm === 'pre' ? (layerNorm(h, p.final) as tf.Tensor2D) : h;";
const DEC_STACK = 'const r = decoderBlock(h, memory, layer, opts);';

export const LAB2_MISTAKES: Mistake[] = [
  {
    name: 'layerNormLoops divides the variance by d − 1',
    file: F,
    edits: [['    variance /= d;', '    variance /= d - 1;']],
    caughtBy: 'layernorm-loops-normalises',
    message: /layerNormLoops\(x \[5\]\[8\], row i shifted by 10·i, γ = 1, β = 0\): row 0 has mean .* you divided the variance by d−1/,
  },
  {
    name: 'layerNormLoops puts ε outside the square root',
    file: F,
    edits: [[LOOPS_INV, '    const inv = 1 / (Math.sqrt(variance) + eps);']],
    caughtBy: 'layernorm-loops-near-constant-row',
    message: /layerNormLoops\(\[\[1, 1\.002, 0\.998, 1\].*ε belongs INSIDE the square root/,
    alsoCaughtBy: ['layernorm-loops-matches-reference'],
  },
  {
    name: 'layerNormLoops without ε',
    file: F,
    edits: [[LOOPS_INV, '    const inv = 1 / Math.sqrt(variance + 0 * eps);']],
    caughtBy: 'layernorm-loops-near-constant-row',
    message: /row 1 is constant, its variance is 0, .*with no ε that is 0 \/ 0/,
  },
  {
    name: 'erf ignores the sign of x',
    file: F,
    edits: [['  const sign = x < 0 ? -1 : 1;', '  const sign = 1;']],
    caughtBy: 'erf-accuracy',
    message: /erf at \[-3, -1\.5, .*\] differs from the reference at \[0\]: expected -0\.999978, got 0\.999978 .*erf is odd/,
  },
  {
    name: 'erf with t = 1 / (1 + p·x²)',
    file: F,
    edits: [['const t = 1 / (1 + 0.3275911 * ax);', 'const t = 1 / (1 + 0.3275911 * ax * ax);']],
    caughtBy: 'erf-accuracy',
    message: /erf at \[-3, -1\.5, -0\.5, -0\.001, 0, 0\.3, 1, 2, 4\] differs from the reference at \[0\]/,
  },
  {
    name: 'geluExact uses erf(x) instead of erf(x/√2)',
    file: F,
    edits: [['return 0.5 * x * (1 + erf(x / Math.SQRT2));', 'return 0.5 * x * (1 + erf(x));']],
    caughtBy: 'gelu-exact-values',
    message: /geluExact at \[-6, -3, .*\] differs from the reference.*Φ\(x\) needs erf\(x \/ √2\)/,
  },
  {
    name: 'geluExact is the tanh formula',
    file: F,
    edits: [['return 0.5 * x * (1 + erf(x / Math.SQRT2));', 'return geluTanh(x);']],
    caughtBy: 'gelu-exact-vs-tanh',
    message: /geluExact and geluTanh agree to 0 everywhere: one of them is not the formula it is named after/,
  },
  {
    name: 'geluTanh with x² instead of x³',
    file: F,
    edits: [['(x + 0.044715 * x * x * x)', '(x + 0.044715 * x * x)']],
    caughtBy: 'gelu-tanh-values',
    message: /geluTanh at \[-6, -3, .*\] differs from the reference.*0\.044715·x² where the formula has 0\.044715·x³/,
  },
  {
    name: 'geluTanh with a tanh made of exponentials (overflows in the tail)',
    file: F,
    edits: [[
      'return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));',
      'const z = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);\n  const e = Math.exp(2 * z);\n  return 0.5 * x * (1 + (e - 1) / (e + 1));',
    ]],
    caughtBy: 'gelu-odd-and-tails',
    message: /geluTanh\(40\) is NaN: far in the tails GELU is ≈ x.*overflows to Infinity/,
  },
  {
    name: 'tensor layerNorm puts ε outside the square root',
    file: F,
    edits: [[TENSOR_LN, 'return tf.add(tf.mul(tf.div(centred, tf.add(tf.sqrt(variance), eps)), p.gamma), p.beta);']],
    caughtBy: 'layernorm-near-constant-rows',
    message: /layerNorm\(x \[2, 8\] with a near-constant row 0.*ε belongs INSIDE the square root/,
  },
  {
    name: 'tensor layerNorm without ε',
    file: F,
    edits: [[TENSOR_LN, 'return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, 0 * eps))), p.gamma), p.beta);']],
    caughtBy: 'layernorm-near-constant-rows',
    message: /row 1 is constant, its variance is 0.*with no ε that is 0 \/ 0/,
  },
  {
    name: 'tensor layerNorm normalises over the positions (axis 0)',
    file: F,
    edits: [['const axis = x.rank - 1;', 'const axis = 0;']],
    caughtBy: 'layernorm-normalises',
    message: /layerNorm\(x \[5, 16\], γ = 1, β = 0\): row 0 has mean/,
  },
  {
    name: 'tensor layerNorm with the unbiased variance',
    file: F,
    edits: [['const variance = tf.mean(tf.square(centred), axis, true);', 'const variance = tf.div(tf.sum(tf.square(centred), axis, true), x.shape[axis] - 1);']],
    caughtBy: 'layernorm-normalises',
    message: /you divided the variance by d−1/,
  },
  {
    name: "gelu ignores approximate: always the tanh form",
    file: F,
    edits: [["if (approximate === 'tanh') {", 'if (approximate || true) {']],
    caughtBy: 'gelu-tensor-matches-reference',
    message: /gelu\(x \[2, 6\]\) \(exact, the default\) differs .*that is the tanh approximation/,
  },
  {
    name: 'feedForward with the tanh GELU',
    file: F,
    edits: [['tf.matMul(gelu(tf.add(tf.matMul(x, w.w1), w.b1)), w.w2)', "tf.matMul(gelu(tf.add(tf.matMul(x, w.w1), w.b1), 'tanh'), w.w2)"]],
    caughtBy: 'ffn-matches-reference',
    message: /feedForward\(x \[6, 8\], w\) differs .*tanh approximation of GELU.*exact GELU/,
  },
  {
    name: 'feedForward with ReLU',
    file: F,
    edits: [['tf.matMul(gelu(tf.add(tf.matMul(x, w.w1), w.b1)), w.w2)', 'tf.matMul(tf.relu(tf.add(tf.matMul(x, w.w1), w.b1)), w.w2)']],
    caughtBy: 'ffn-matches-reference',
    message: /that is the FFN with ReLU/,
  },
  {
    name: 'feedForward mixes positions (subtracts the mean over the rows)',
    file: F,
    edits: [['return tf.tidy(() => tf.add(tf.matMul(gelu(tf.add(tf.matMul(x, w.w1), w.b1)), w.w2), w.b2) as tf.Tensor2D);', 'return tf.tidy(() => tf.add(tf.matMul(gelu(tf.add(tf.matMul(tf.sub(x, tf.mul(0.1, tf.mean(x, 0, true))), w.w1), w.b1)), w.w2), w.b2) as tf.Tensor2D);']],
    caughtBy: 'ffn-matches-reference',
    message: /feedForward\(x \[6, 8\], w\) differs/,
  },
  {
    name: 'preLN adds the normalised x on the residual path',
    file: F,
    edits: [['return tf.tidy(() => tf.add(x, sublayer(layerNorm(x, ln) as tf.Tensor2D)) as tf.Tensor2D);', 'return tf.tidy(() => { const n = layerNorm(x, ln) as tf.Tensor2D; return tf.add(n, sublayer(n)) as tf.Tensor2D; });']],
    caughtBy: 'pre-ln-formula',
    message: /preLN\(x \[5, 8\], FFN, ln\).*adds the NORMALISED x on the residual path/,
  },
  {
    name: 'postLN written as Pre-LN',
    file: F,
    edits: [['return tf.tidy(() => layerNorm(tf.add(x, sublayer(x)), ln) as tf.Tensor2D);', 'return preLN(x, sublayer, ln);']],
    caughtBy: 'post-ln-formula',
    message: /postLN\(x \[5, 8\], FFN, ln\).*that is Pre-LN/,
    alsoCaughtBy: ['pre-vs-post-ln'],
  },
  {
    name: 'encoderBlock ignores the padding mask',
    file: F,
    edits: [['const r = multiHeadAttention(h, p.attn, opts.heads, opts.mask);', 'const r = multiHeadAttention(h, p.attn, opts.heads);']],
    caughtBy: 'encoder-block-padding-mask',
    message: /encoderBlock\(x \[5, 8\], p, \{heads: 2, norm: 'pre', mask: \[\[1, 1, 1, 0, 0\]\]\}\)\.weights\[0\]\[0\]\[3\] is .*should be 0: padded keys get no attention/,
    alsoCaughtBy: ['encoder-block-padding'],
  },
  {
    name: 'encoderBlock always Pre-LN',
    file: F,
    edits: [['const h = residual(opts.norm, x, attn, p.ln1);\n  const output = residual(opts.norm, h, (z) => feedForward(z, p.ffn), p.ln2);', "const h = residual('pre', x, attn, p.ln1);\n  const output = residual('pre', h, (z) => feedForward(z, p.ffn), p.ln2);"]],
    caughtBy: 'encoder-block-matches-reference',
    message: /encoderBlock\(x \[6, 8\], p, \{heads: 2, norm: 'post'\}\)\.weights differs .*that is the Pre-LN block/,
  },
  {
    name: 'crossAttention takes keys and values from x',
    file: F,
    edits: [
      ['const k = splitHeads(tf.matMul(memory, w.wk), heads); // [h, nk, dh]', 'const k = splitHeads(tf.matMul(x, w.wk), heads);'],
      ['const v = splitHeads(tf.matMul(memory, w.wv), heads); // [h, nk, dh]', 'const v = splitHeads(tf.matMul(x, w.wv), heads);'],
    ],
    caughtBy: 'cross-attention-matches-reference',
    message: /crossAttention\(x \[4, 8\], memory \[6, 8\], w, 2\)\.weights .*has the wrong shape: expected \[2, 4, 6\], got \[2, 4, 4\]/,
  },
  {
    name: 'decoderBlock without the causal mask',
    file: F,
    edits: [['const r = multiHeadAttention(h, p.selfAttn, opts.heads, mask);', 'const r = multiHeadAttention(h, p.selfAttn, opts.heads); void mask;']],
    caughtBy: 'decoder-block-causal',
    message: /decoderBlock\(x \[6, 8\], memory \[4, 8\], p, .*\.output at positions 0\.\.2 when only the tokens after 2 change/,
  },
  {
    name: 'encoderStack applies the final LayerNorm to Post-LN too',
    file: F,
    edits: [[
      "    const r = encoderBlock(h, layer, opts);\n    h = r.output;\n    hidden.push(h);\n    weights.push(r.weights);\n  }\n  const output = opts.norm === 'pre' ? (layerNorm(h, p.final) as tf.Tensor2D) : h;",
      "    const r = encoderBlock(h, layer, opts);\n    h = r.output;\n    hidden.push(h);\n    weights.push(r.weights);\n  }\n  const output = layerNorm(h, p.final) as tf.Tensor2D;",
    ]],
    caughtBy: 'encoder-stack-is-n-blocks',
    message: /encoderStack\(x \[5, 8\], 3 layers, \{heads: 2, norm: 'post'\}\)\.output .*differs .*applies the final LayerNorm to a Post-LN stack/,
  },
  {
    name: 'decoderStack applies the final LayerNorm to Post-LN too',
    file: F,
    edits: [[FINAL_LN, 'weights.push(r.selfWeights);\n  }\n  const output = layerNorm(h, p.final) as tf.Tensor2D;']],
    caughtBy: 'decoder-stack-is-n-blocks',
    message: /decoderStack\(x \[5, 8\], memory \[4, 8\], 2 layers, \{heads: 2, norm: 'post'\}\)\.output .*differs .*applies the final LayerNorm to a Post-LN stack/,
    alsoCaughtBy: ['decoder-stack-matches-reference'],
  },
  {
    name: 'decoderStack without the final LayerNorm (Pre-LN)',
    file: F,
    edits: [[FINAL_LN, 'weights.push(r.selfWeights);\n  }\n  const output = h;']],
    caughtBy: 'decoder-stack-is-n-blocks',
    message: /decoderStack\(.*norm: 'pre'\}\)\.output .*differs .*without the final LayerNorm/,
    alsoCaughtBy: ['decoder-stack-matches-reference'],
  },
  {
    name: 'decoderStack feeds each block its own input as memory',
    file: F,
    edits: [[DEC_STACK, 'const r = decoderBlock(h, h, layer, opts); void memory;']],
    caughtBy: 'decoder-stack-is-n-blocks',
    message: /decoderStack\(x \[5, 8\], memory \[4, 8\], 2 layers, .*\.hidden\[1\] .*differs .*every decoder block reads the same memory/,
  },
];

describeLabChecks('Lab 2 checks against the solution, the starter and planted mistakes', () => LAB, LAB2_MISTAKES, () => loadBackend('wasm'));
