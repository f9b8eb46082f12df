// Lab 6's checks against the solution (every check passes), the starter (every check is "not
// started") and planted mistakes: each fails the VISIBLE check aimed at it, whose message names
// the mistake. Runs in process like the worker; with a random stand-in model when
// media/models/mini-gpt is not there yet.
import assert from 'node:assert/strict';
import { itCatchesEach, type Mistake } from '../../support/plantedMistakes';
import { LAB6, setUp, tearDown } from './support';

export const LAB6_MISTAKES: Mistake[] = [
  {
    name: 'greedy keeps the LAST index on a tie',
    file: 'decoding.ts',
    edits: [['if (logits[i] > logits[best]) best = i;', 'if (logits[i] >= logits[best]) best = i;']],
    caughtBy: 'greedy-argmax',
    message: /greedy\(\[1,3,3,0\]\) should be 1 \(a tie: the lowest index wins\)/,
  },
  {
    name: 'temperature applied after the softmax',
    file: 'decoding.ts',
    edits: [['const scaled = logits.map((l) => l / temperature);', 'const scaled = logits.map((l) => l); void temperature;']],
    caughtBy: 'temperature-softmax',
    message: /applyTemperature\(\[2, 1, 0\.5, -1, 3\.5, 0\], 0\.5\) returned softmax\(logits\) unchanged: divide the LOGITS by T/,
    alsoCaughtBy: ['generate-sampling'],
  },
  {
    name: 'temperature multiplies instead of dividing',
    file: 'decoding.ts',
    edits: [['const scaled = logits.map((l) => l / temperature);', 'const scaled = logits.map((l) => l * temperature);']],
    caughtBy: 'temperature-softmax',
    message: /that multiplies the logits by 0\.5: divide them by T/,
  },
  {
    name: 'no check for T ≤ 0',
    file: 'decoding.ts',
    edits: [["throw new Error(`temperature must be a finite number > 0, got ${temperature}`);", '']],
    caughtBy: 'temperature-rejects-nonpositive',
    message: /applyTemperature\(\[1, 2, 3\], 0\) should throw an Error/,
  },
  {
    name: 'softmax without subtracting the maximum',
    file: 'decoding.ts',
    edits: [['const exps = scaled.map((s) => Math.exp(s - max));', 'const exps = scaled.map((s) => Math.exp(s + 0 * max));']],
    caughtBy: 'temperature-small-t',
    message: /applyTemperature\(\[2, 5, 4\.9, -1\], 0\.005\) has NaN at \[1\]: .*subtract the maximum of the scaled logits/,
    alsoCaughtBy: ['temperature-near-zero'],
  },
  {
    name: 'top-k keeps every token tied with the k-th',
    file: 'decoding.ts',
    edits: [['return keepOnly(probs, ranked(probs).slice(0, k));', 'const kth = ranked(probs)[Math.min(k, probs.length) - 1]; return keepOnly(probs, probs.flatMap((p, i) => (p >= probs[kth] ? [i] : [])));']],
    caughtBy: 'top-k-ties',
    message: /topK\(\[0\.1,0\.3,0\.2,0\.2,0\.2\], 2\) keeps 4 tokens; it must keep exactly 2/,
    alsoCaughtBy: ['top-k-random'],
  },
  {
    name: 'top-k breaks ties toward the higher index',
    file: 'decoding.ts',
    edits: [['return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);', 'return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || b - a);']],
    caughtBy: 'top-k-ties',
    message: /keeps tokens \{1, 4\} but should keep \{1, 2\}: among equal probabilities the lower index is kept first/,
    alsoCaughtBy: ['top-k-random'],
  },
  {
    name: 'top-k does not renormalise',
    file: 'decoding.ts',
    edits: [['return probs.map((p, i) => (keep.has(i) ? p / mass : 0));', 'return probs.map((p, i) => (keep.has(i) ? p + 0 * mass : 0));']],
    caughtBy: 'top-k-keeps-k',
    message: /topK\(softmax\(\[1\.2, .*\]\), 1\) \(renormalised\) differs .*does not renormalise/,
    alsoCaughtBy: ['top-p-includes-crossing-token'],
  },
  {
    name: 'top-p drops the token that crosses p',
    file: 'decoding.ts',
    edits: [['kept.push(i);\n    mass += probs[i];\n    if (mass >= p) break;', 'if (kept.length > 0 && mass + probs[i] > p) break;\n    kept.push(i);\n    mass += probs[i];']],
    caughtBy: 'top-p-includes-crossing-token',
    message: /topP\(\[0\.125,0\.5,0\.0625,0\.25,0\.0625\], 0\.7\) keeps tokens \{1\} but should keep \{1, 3\}.*including the token that crosses it/,
    alsoCaughtBy: ['top-p-random'],
  },
  {
    name: 'top-p stops only when the mass EXCEEDS p',
    file: 'decoding.ts',
    edits: [['if (mass >= p) break;', 'if (mass > p) break;']],
    caughtBy: 'top-p-exact-mass',
    message: /topP\(.*, 0\.5\) keeps tokens \{1, 3\} but should keep \{1\}: .*stop when mass ≥ p/,
  },
  {
    name: 'unseeded sampler (Math.random)',
    file: 'decoding.ts',
    edits: [['const u = rng();', 'const u = Math.random(); void rng;']],
    caughtBy: 'sample-inverse-cdf',
    message: /sampleFrom\(\[0\.25,0,0\.5,0\.25\], rng\) called rng\(\) 0 times for one sample; .*never Math\.random/,
    alsoCaughtBy: ['generate-sampling'],
  },
  {
    name: 'sampler calls rng() twice',
    file: 'decoding.ts',
    edits: [['const u = rng();', 'rng(); const u = rng();']],
    caughtBy: 'sample-inverse-cdf',
    message: /sampleFrom\(\[0\.25,0,0\.5,0\.25\], rng\) called rng\(\) 2 times for one sample/,
    alsoCaughtBy: ['generate-sampling'],
  },
  {
    name: 'sampler uniform over the kept tokens',
    file: 'decoding.ts',
    edits: [['cum += probs[i];', 'cum += 1 / probs.filter((q) => q > 0).length;']],
    caughtBy: 'sample-distribution',
    message: /sampleFrom\(filtered distribution over 8 tokens, seeded rng\): 10000 samples do not follow the distribution: χ²/,
  },
  {
    name: 'sampler with a square-root bias',
    file: 'decoding.ts',
    edits: [['const u = rng();', 'const u = Math.sqrt(rng());']],
    caughtBy: 'sample-distribution',
    message: /10000 samples do not follow the distribution: χ² = .* p = 0 < 0\.001/,
  },
  {
    name: 'generate applies top-p before top-k',
    file: 'decoding.ts',
    edits: [['if (strategy.topK !== undefined) probs = topK(probs, strategy.topK);\n    if (strategy.topP !== undefined) probs = topP(probs, strategy.topP);', 'if (strategy.topP !== undefined) probs = topP(probs, strategy.topP);\n    if (strategy.topK !== undefined) probs = topK(probs, strategy.topK);']],
    caughtBy: 'generate-sampling',
    message: /generate\(model, prompt, 16, .*\) with a seeded rng differs at position \d+: .*then top-k, then top-p/,
  },
  {
    name: 'generate drops the prompt',
    file: 'decoding.ts',
    edits: [['return tokens;\n}\n\n// ───────────────────────── Level 3', 'return tokens.slice(prompt.length);\n}\n\n// ───────────────────────── Level 3']],
    caughtBy: 'generate-greedy',
    message: /generate\(model, \"Call me Ishmael\. Some years ago\", 20 steps, greedy\) differs at position 0: .*the prompt must come back unchanged/,
  },
  {
    name: 'beam search extends only the best beam (greedy in disguise)',
    file: 'decoding.ts',
    edits: [['candidates.sort((a, b) => b.logProb - a.logProb || a.beam - b.beam || a.token - b.token);', 'candidates.sort((a, b) => a.beam - b.beam || b.logProb - a.logProb || a.token - b.token);']],
    caughtBy: 'beam-beats-greedy',
    message: /beamSearch\(greedy-trap table, \[0\], \{width: 2, maxLength: 2\}\) returned the greedy sequence a·a/,
  },
  {
    name: 'beam search ranks by the last token only, not the cumulative log-probability',
    file: 'decoding.ts',
    edits: [['candidates.push({ beam, token, logProb: b.logProb + lp })', 'candidates.push({ beam, token, logProb: lp + 0 * b.logProb })']],
    caughtBy: 'beam-beats-greedy',
    message: /beamSearch\(greedy-trap table, .*\)\.logProb .*the log-probability of the last token only/,
    alsoCaughtBy: ['beam-matches-reference'],
  },
  {
    name: 'beam search ignores the length penalty',
    file: 'decoding.ts',
    edits: [['const norm = (logProb: number, L: number) => (alpha === 0 ? logProb : logProb / Math.pow((5 + L) / 6, alpha));', 'const norm = (logProb: number, L: number) => logProb + 0 * L * alpha;']],
    caughtBy: 'beam-end-token-length-penalty',
    message: /beamSearch\(end-token table, \[0\], \{width: 2, maxLength: 3, lengthPenalty: 1, endToken: 2\}\)\.tokens differs .*apply the length penalty/,
    alsoCaughtBy: ['beam-length-penalty-end-token'],
  },
  {
    name: 'beam search keeps extending finished beams',
    file: 'decoding.ts',
    edits: [["const status = rank >= opts.width ? 'pruned' : c.token === opts.endToken ? 'finished' : 'kept';", "const status = rank >= opts.width ? 'pruned' : 'kept';"]],
    caughtBy: 'beam-end-token-length-penalty',
    message: /beamSearch\(end-token table, .*lengthPenalty: 0.*\)\.tokens differs .*ending at once/,
    alsoCaughtBy: ['beam-length-penalty-end-token', 'beam-tree'],
  },
  {
    name: 'layerNorm with the unbiased variance',
    file: 'model.ts',
    edits: [['const { mean, variance } = tf.moments(x, -1, true);', 'const { mean, variance: v0 } = tf.moments(x, -1, true); const C = x.shape[1]; const variance = tf.mul(v0, C / (C - 1));']],
    caughtBy: 'layer-norm',
    message: /layerNorm\(x \[5, 8\], gamma, beta\) differs .*divides the variance by C − 1/,
    alsoCaughtBy: ['forward-matches-reference'],
  },
  {
    name: 'ReLU instead of GELU',
    file: 'model.ts',
    edits: [['return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));', 'return tf.add(tf.relu(x), tf.mul(0, inner));']],
    caughtBy: 'gelu',
    message: /gelu\(x \[13\], from −4 to 4\) .*that is ReLU/,
    alsoCaughtBy: ['mlp'],
  },
  {
    name: 'attention without the causal mask',
    file: 'model.ts',
    edits: [['splitHeads(v, nHead), causalMask(T));', 'splitHeads(v, nHead));']],
    caughtBy: 'causal-self-attention',
    message: /causalSelfAttention\(x \[12, C\], weights, 0, 4\)\.weights\[0\]\[0\]\[1\] is .* should be 0: a GPT may not attend to later characters/,
    alsoCaughtBy: ['forward-causal', 'forward-causal-full-block'],
  },
  {
    name: 'Post-LN block (the order of a widely copied tutorial)',
    file: 'model.ts',
    edits: [[
      "const ln1 = layerNorm(x, weights[p + 'ln_1.weight'] as tf.Tensor1D, weights[p + 'ln_1.bias'] as tf.Tensor1D);\n    const x1 = tf.add(x, causalSelfAttention(ln1, weights, layer, config.nHead).output) as tf.Tensor2D;\n    const ln2 = layerNorm(x1, weights[p + 'ln_2.weight'] as tf.Tensor1D, weights[p + 'ln_2.bias'] as tf.Tensor1D);\n    return tf.add(x1, mlp(ln2, weights, layer)) as tf.Tensor2D;",
      "const g = (n: number, k: string) => weights[p + 'ln_' + n + '.' + k] as tf.Tensor1D;\n    const x1 = layerNorm(tf.add(x, causalSelfAttention(x, weights, layer, config.nHead).output) as tf.Tensor2D, g(1, 'weight'), g(1, 'bias'));\n    return layerNorm(tf.add(x1, mlp(x1, weights, layer)) as tf.Tensor2D, g(2, 'weight'), g(2, 'bias'));",
    ]],
    caughtBy: 'block',
    message: /block\(x \[10, C\], weights, layer 2\) .*that is a Post-LN block/,
    alsoCaughtBy: ['forward-matches-reference'],
  },
  {
    name: 'forward without position embeddings',
    file: 'model.ts',
    edits: [['let x = tf.add(tok, pos) as tf.Tensor2D;', 'let x = tf.add(tok, tf.mul(pos, 0)) as tf.Tensor2D;']],
    caughtBy: 'forward-matches-reference',
    message: /forward\(weights, \"Call me Ishmael\. Some years ago\" as 31 ids, config\) differs .*without its position embeddings/,
    alsoCaughtBy: ['forward-causal-full-block'],
  },
  {
    name: 'generate changes the caller\'s prompt',
    file: 'decoding.ts',
    edits: [['const tokens = [...prompt];', 'const tokens = prompt;']],
    caughtBy: 'generate-greedy',
    message: /changed the caller's prompt array .*copy the prompt/,
  },
  {
    name: 'beam search scores a finished hypothesis without its end token (L − 1)',
    file: 'decoding.ts',
    edits: [['if (status === \'finished\') finished.push({ tokens, logProb: c.logProb, score: norm(c.logProb, step) });', 'if (status === \'finished\') finished.push({ tokens, logProb: c.logProb, score: norm(c.logProb, step - 1) });']],
    caughtBy: 'beam-end-token-length-penalty',
    message: /\.score is -0\.87273 = logProb \/ lp\(2\): L counts every generated token, the end token included/,
  },
  {
    name: 'beam search picks the finished hypothesis with the best logProb, not the best score',
    file: 'decoding.ts',
    edits: [['.sort((a, b) => b.h.score - a.h.score || a.i - b.i)', '.sort((a, b) => b.h.logProb - a.h.logProb || a.i - b.i)']],
    caughtBy: 'beam-end-token-length-penalty',
    message: /lengthPenalty: 1, .*\.tokens differs .*compare finished hypotheses by score, not by log-probability/,
  },
  {
    name: 'layerNorm with eps outside the square root',
    file: 'model.ts',
    edits: [['tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)))', 'tf.div(tf.sub(x, mean), tf.add(tf.sqrt(variance), eps))']],
    caughtBy: 'layer-norm-near-constant-rows',
    message: /layerNorm\(x \[2, 8\] with a near-constant row 0 .*eps belongs INSIDE the square root/,
  },
  {
    name: 'layerNorm without eps',
    file: 'model.ts',
    edits: [['tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)))', 'tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 0 * eps)))']],
    caughtBy: 'layer-norm-near-constant-rows',
    message: /row 1 is constant, its variance is 0, .*with no eps that is 0 \/ 0/,
  },
  {
    name: 'the exact (erf) GELU instead of the tanh form',
    file: 'model.ts',
    edits: [['return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));', 'return tf.add(tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))), tf.mul(0, inner));']],
    caughtBy: 'gelu',
    message: /that is the exact \(erf\) GELU/,
    alsoCaughtBy: ['mlp'],
  },
];

describe('Lab 6 checks against the solution, the starter and planted mistakes', function () {
  this.timeout(120_000);
  before(setUp);
  after(tearDown);

  it('the solution passes every check, hidden ones included', async () => {
    assert.deepEqual(await LAB6.failures(LAB6.sandboxOf({})), []);
  });

  it('the starter: every check is "not started", never a crash of the check', async () => {
    const sandbox = LAB6.sandboxOf({}, 'starter');
    for (const c of LAB6.lab.manifest.checks) {
      const r = await LAB6.run(sandbox, c.id);
      // attention.ts is the reference fallback, so only decoding.ts and model.ts TODOs matter.
      assert.equal(r.status, 'error', `${c.id} should error on the starter, got ${r.status}: ${r.message}`);
      assert.match(r.message, /is not started yet/, c.id);
    }
  });

  itCatchesEach(() => LAB6, LAB6_MISTAKES);
});
