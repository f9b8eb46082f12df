// Lab 6's checks against the solution (every check passes), the starter (every check errors
// with the TODO) and deliberately wrong implementations (the check aimed at that mistake fails,
// saying expected vs actual). Runs in process like the worker; with a random stand-in model
// when media/models/mini-gpt is not there yet.
import assert from 'node:assert/strict';
import type { LabModule } from '../../../core/checks/checkApi';
import { labModule, mutate, runCheck, sandboxOf, setUp, tearDown, type LabFile, type Outcome } from './support';

interface Mistake {
  name: string;
  file: LabFile;
  from: string;
  to: string;
  /** Checks that must fail (or error) for this mistake. */
  caughtBy: string[];
}

const MISTAKES: Mistake[] = [
  {
    name: 'greedy keeps the LAST index on a tie',
    file: 'decoding.ts',
    from: 'if (logits[i] > logits[best]) best = i;',
    to: 'if (logits[i] >= logits[best]) best = i;',
    caughtBy: ['greedy-argmax'],
  },
  {
    name: 'temperature applied after the softmax',
    file: 'decoding.ts',
    from: 'const scaled = logits.map((l) => l / temperature);',
    to: 'const scaled = logits.map((l) => l); void temperature;',
    caughtBy: ['temperature-softmax', 'generate-sampling'],
  },
  {
    name: 'temperature multiplies instead of dividing',
    file: 'decoding.ts',
    from: 'const scaled = logits.map((l) => l / temperature);',
    to: 'const scaled = logits.map((l) => l * temperature);',
    caughtBy: ['temperature-softmax'],
  },
  {
    name: 'no check for T ≤ 0',
    file: 'decoding.ts',
    from: "throw new Error(`temperature must be a finite number > 0, got ${temperature}`);",
    to: '',
    caughtBy: ['temperature-rejects-nonpositive'],
  },
  {
    name: 'softmax without subtracting the maximum',
    file: 'decoding.ts',
    from: 'const exps = scaled.map((s) => Math.exp(s - max));',
    to: 'const exps = scaled.map((s) => Math.exp(s + 0 * max));',
    caughtBy: ['temperature-near-zero'],
  },
  {
    name: 'top-k keeps every token tied with the k-th',
    file: 'decoding.ts',
    from: 'return keepOnly(probs, ranked(probs).slice(0, k));',
    to: 'const kth = ranked(probs)[Math.min(k, probs.length) - 1]; return keepOnly(probs, probs.flatMap((p, i) => (p >= probs[kth] ? [i] : [])));',
    caughtBy: ['top-k-ties', 'top-k-random'],
  },
  {
    name: 'top-k breaks ties toward the higher index',
    file: 'decoding.ts',
    from: 'return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);',
    to: 'return probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || b - a);',
    caughtBy: ['top-k-ties', 'top-k-random'],
  },
  {
    name: 'top-k does not renormalise',
    file: 'decoding.ts',
    from: 'return probs.map((p, i) => (keep.has(i) ? p / mass : 0));',
    to: 'return probs.map((p, i) => (keep.has(i) ? p + 0 * mass : 0));',
    caughtBy: ['top-k-keeps-k', 'top-p-includes-crossing-token'],
  },
  {
    name: 'top-p drops the token that crosses p',
    file: 'decoding.ts',
    from: 'kept.push(i);\n    mass += probs[i];\n    if (mass >= p) break;',
    to: 'if (kept.length > 0 && mass + probs[i] > p) break;\n    kept.push(i);\n    mass += probs[i];',
    caughtBy: ['top-p-includes-crossing-token', 'top-p-random'],
  },
  {
    name: 'top-p stops only when the mass EXCEEDS p',
    file: 'decoding.ts',
    from: 'if (mass >= p) break;',
    to: 'if (mass > p) break;',
    caughtBy: ['top-p-exact-mass'],
  },
  {
    name: 'unseeded sampler (Math.random)',
    file: 'decoding.ts',
    from: 'const u = rng();',
    to: 'const u = Math.random(); void rng;',
    caughtBy: ['sample-inverse-cdf', 'generate-sampling'],
  },
  {
    name: 'sampler calls rng() twice',
    file: 'decoding.ts',
    from: 'const u = rng();',
    to: 'rng(); const u = rng();',
    caughtBy: ['sample-inverse-cdf', 'generate-sampling'],
  },
  {
    name: 'sampler uniform over the kept tokens',
    file: 'decoding.ts',
    from: 'cum += probs[i];',
    to: 'cum += 1 / probs.filter((q) => q > 0).length;',
    caughtBy: ['sample-distribution'],
  },
  {
    name: 'sampler with a square-root bias',
    file: 'decoding.ts',
    from: 'const u = rng();',
    to: 'const u = Math.sqrt(rng());',
    caughtBy: ['sample-distribution'],
  },
  {
    name: 'generate applies top-p before top-k',
    file: 'decoding.ts',
    from: 'if (strategy.topK !== undefined) probs = topK(probs, strategy.topK);\n    if (strategy.topP !== undefined) probs = topP(probs, strategy.topP);',
    to: 'if (strategy.topP !== undefined) probs = topP(probs, strategy.topP);\n    if (strategy.topK !== undefined) probs = topK(probs, strategy.topK);',
    caughtBy: ['generate-sampling'],
  },
  {
    name: 'generate drops the prompt',
    file: 'decoding.ts',
    from: 'return tokens;\n}\n\n// ───────────────────────── Level 3',
    to: 'return tokens.slice(prompt.length);\n}\n\n// ───────────────────────── Level 3',
    caughtBy: ['generate-greedy'],
  },
  {
    name: 'beam search extends only the best beam (greedy in disguise)',
    file: 'decoding.ts',
    from: 'candidates.sort((a, b) => b.logProb - a.logProb || a.beam - b.beam || a.token - b.token);',
    to: 'candidates.sort((a, b) => a.beam - b.beam || b.logProb - a.logProb || a.token - b.token);',
    caughtBy: ['beam-beats-greedy'],
  },
  {
    name: 'beam search ranks by the last token only, not the cumulative log-probability',
    file: 'decoding.ts',
    from: 'candidates.push({ beam, token, logProb: b.logProb + lp })',
    to: 'candidates.push({ beam, token, logProb: lp + 0 * b.logProb })',
    caughtBy: ['beam-beats-greedy', 'beam-matches-reference'],
  },
  {
    name: 'beam search ignores the length penalty',
    file: 'decoding.ts',
    from: 'const norm = (logProb: number, L: number) => (alpha === 0 ? logProb : logProb / Math.pow((5 + L) / 6, alpha));',
    to: 'const norm = (logProb: number, L: number) => logProb + 0 * L * alpha;',
    caughtBy: ['beam-length-penalty-end-token'],
  },
  {
    name: 'beam search keeps extending finished beams',
    file: 'decoding.ts',
    from: "const status = rank >= opts.width ? 'pruned' : c.token === opts.endToken ? 'finished' : 'kept';",
    to: "const status = rank >= opts.width ? 'pruned' : 'kept';",
    caughtBy: ['beam-length-penalty-end-token', 'beam-tree'],
  },
  {
    name: 'layerNorm with the unbiased variance',
    file: 'model.ts',
    from: 'const { mean, variance } = tf.moments(x, -1, true);',
    to: 'const { mean, variance: v0 } = tf.moments(x, -1, true); const C = x.shape[1]; const variance = tf.mul(v0, C / (C - 1));',
    caughtBy: ['layer-norm', 'forward-matches-reference'],
  },
  {
    name: 'ReLU instead of GELU',
    file: 'model.ts',
    from: 'return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));',
    to: 'return tf.add(tf.relu(x), tf.mul(0, inner));',
    caughtBy: ['gelu', 'mlp'],
  },
  {
    name: 'attention without the causal mask',
    file: 'model.ts',
    from: 'splitHeads(v, nHead), causalMask(T));',
    to: 'splitHeads(v, nHead));',
    caughtBy: ['causal-self-attention', 'forward-causal-full-block'],
  },
  {
    name: 'Post-LN block (the seed text\'s order)',
    file: 'model.ts',
    from: "const ln1 = layerNorm(x, weights[p + 'ln_1.weight'] as tf.Tensor1D, weights[p + 'ln_1.bias'] as tf.Tensor1D);\n    const x1 = tf.add(x, causalSelfAttention(ln1, weights, layer, config.nHead).output) as tf.Tensor2D;",
    to: "const x1 = layerNorm(tf.add(x, causalSelfAttention(x, weights, layer, config.nHead).output) as tf.Tensor2D, weights[p + 'ln_1.weight'] as tf.Tensor1D, weights[p + 'ln_1.bias'] as tf.Tensor1D);",
    caughtBy: ['block', 'forward-matches-reference'],
  },
  {
    name: 'forward without position embeddings',
    file: 'model.ts',
    from: 'let x = tf.add(tok, pos) as tf.Tensor2D;',
    to: 'let x = tf.add(tok, tf.mul(pos, 0)) as tf.Tensor2D;',
    caughtBy: ['forward-matches-reference', 'forward-causal-full-block'],
  },
];

describe('Lab 6 checks catch the mistakes they are aimed at', function () {
  this.timeout(120_000);
  let mod: LabModule;
  let ids: string[];
  before(async () => {
    await setUp();
    mod = labModule();
    ids = Object.keys(mod.checks);
  });
  after(tearDown);

  it('the solution passes every check', async () => {
    const sandbox = sandboxOf({});
    const failed: string[] = [];
    for (const id of ids) {
      const r = await runCheck(mod, sandbox, id);
      if (r.status !== 'pass') failed.push(`${id}: ${r.message} (expected ${r.expected}, actual ${r.actual})`);
    }
    assert.deepEqual(failed, []);
  });

  it('the starter fails every check with its TODO error, not a crash of the check', async () => {
    const sandbox = sandboxOf({}, 'starter');
    for (const id of ids) {
      const r = await runCheck(mod, sandbox, id);
      // attention.ts is the reference fallback, so only decoding.ts and model.ts TODOs matter.
      assert.equal(r.status, 'error', `${id} should error on the starter, got ${r.status}: ${r.message}`);
      assert.match(r.message, /is not started yet/, id);
    }
  });

  for (const m of MISTAKES) {
    it(`catches: ${m.name}`, async () => {
      const sandbox = sandboxOf({ [m.file]: mutate(m.file, m.from, m.to) });
      for (const id of m.caughtBy) {
        const r: Outcome = await runCheck(mod, sandbox, id);
        assert.notEqual(r.status, 'pass', `${id} passed a solution where ${m.name}`);
        if (r.status === 'fail') {
          assert.ok(r.expected && r.actual, `${id}'s failure should say expected and actual: ${r.message}`);
        }
      }
    });
  }
});
