// A correct Lab 6 written unlike the reference solution passes every check, hidden ones too:
// reduce/findIndex/while loops in the decoding functions, a beam search with another structure
// (flatMap over beams, push returning the node id), and in the model tf.slice instead of
// tf.split, tf.gather over tf.range for the positions, an explicit transpose for the LM head.
import { replaceFunctions } from '../../e2e/splice';
import { describeOtherStyle } from '../../support/plantedMistakes';
import { LAB6, setUp, tearDown } from './support';

export const OTHER_DECODING: Record<string, string> = {
  greedy: String.raw`export function greedy(logits: Vector): number {
  return logits.reduce((best, v, i) => (v > logits[best] ? i : best), 0);
}`,
  applyTemperature: String.raw`export function applyTemperature(logits: Vector, temperature: number): Vector {
  if (!(temperature > 0 && temperature < Infinity)) throw new RangeError('temperature must be > 0, got ' + temperature);
  const scaled = logits.map((z) => z / temperature);
  const top = scaled.reduce((a, b) => Math.max(a, b), -Infinity);
  const e = scaled.map((s) => Math.exp(s - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}`,
  topK: String.raw`export function topK(probs: Vector, k: number): Vector {
  const order = probs.map((p, i) => ({ p, i })).sort((a, b) => (a.p === b.p ? a.i - b.i : b.p - a.p));
  const keep = new Set(order.slice(0, k).map((o) => o.i));
  const total = probs.filter((_, i) => keep.has(i)).reduce((a, b) => a + b, 0);
  return probs.map((p, i) => (keep.has(i) ? p / total : 0));
}`,
  topP: String.raw`export function topP(probs: Vector, p: number): Vector {
  const order = probs.map((q, i) => ({ q, i })).sort((a, b) => (a.q === b.q ? a.i - b.i : b.q - a.q));
  const keep = new Set<number>();
  let mass = 0;
  let r = 0;
  while (r < order.length && (keep.size === 0 || mass < p)) {
    keep.add(order[r].i);
    mass += order[r].q;
    r++;
  }
  return probs.map((q, i) => (keep.has(i) ? q / mass : 0));
}`,
  sampleFrom: String.raw`export function sampleFrom(probs: Vector, rng: () => number): number {
  const u = rng();
  let running = 0;
  const cdf = probs.map((q) => (running += q));
  const i = cdf.findIndex((c, j) => probs[j] > 0 && u < c);
  if (i >= 0) return i;
  for (let j = probs.length - 1; j >= 0; j--) if (probs[j] > 0) return j;
  return -1;
}`,
  generate: String.raw`export function generate(nextLogits: (tokens: number[]) => Vector, prompt: number[], steps: number, strategy: Strategy): number[] {
  const out = prompt.slice();
  const choose = (logits: Vector): number => {
    if (strategy.kind === 'greedy') return greedy(logits);
    let p = applyTemperature(logits, strategy.temperature);
    if (strategy.topK !== undefined) p = topK(p, strategy.topK);
    if (strategy.topP !== undefined) p = topP(p, strategy.topP);
    return sampleFrom(p, strategy.rng);
  };
  while (out.length < prompt.length + steps) out.push(choose(nextLogits(out.slice())));
  return out;
}`,
  beamSearch: String.raw`export function beamSearch(nextLogits: (tokens: number[]) => Vector, prompt: number[], opts: BeamOptions): BeamHypothesis & { hypotheses: BeamHypothesis[]; tree: BeamNode[] } {
  const alpha = opts.lengthPenalty ?? 0;
  const penalty = (L: number) => Math.pow((5 + L) / 6, alpha);
  const tree: BeamNode[] = [{ id: 0, parent: -1, token: -1, logProb: 0, step: 0, status: 'kept' }];
  let alive = [{ tokens: prompt.slice(), logProb: 0, node: 0 }];
  const done: BeamHypothesis[] = [];
  for (let step = 1; step <= opts.maxLength && alive.length > 0; step++) {
    const cands = alive.flatMap((b, bi) => {
      const z = nextLogits(b.tokens.slice());
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
      return z.map((v, t) => ({ bi, t, logp: b.logProb + v - lse }));
    });
    cands.sort((a, b) => b.logp - a.logp || a.bi - b.bi || a.t - b.t);
    const next: typeof alive = [];
    cands.slice(0, 2 * opts.width).forEach((c, r) => {
      const from = alive[c.bi];
      const status: BeamNode['status'] = r >= opts.width ? 'pruned' : c.t === opts.endToken ? 'finished' : 'kept';
      const node = tree.push({ id: tree.length, parent: from.node, token: c.t, logProb: c.logp, step, status }) - 1;
      const tokens = from.tokens.concat([c.t]);
      if (status === 'finished') done.push({ tokens, logProb: c.logp, score: c.logp / penalty(step) });
      if (status === 'kept') next.push({ tokens, logProb: c.logp, node });
    });
    alive = next;
  }
  for (const b of alive) {
    tree[b.node].status = 'finished';
    done.push({ tokens: b.tokens, logProb: b.logProb, score: b.logProb / penalty(b.tokens.length - prompt.length) });
  }
  const hypotheses = done.map((h, i) => i).sort((i, j) => done[j].score - done[i].score || i - j).map((i) => done[i]);
  return { ...hypotheses[0], hypotheses, tree };
}`,
};

export const OTHER_MODEL: Record<string, string> = {
  layerNorm: String.raw`export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  const mean = tf.mean(x, 1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.mul(centred, centred), 1, true);
  return tf.add(tf.mul(gamma, tf.div(centred, tf.sqrt(tf.add(variance, eps)))), beta) as tf.Tensor2D;
}`,
  gelu: String.raw`export function gelu(x: tf.Tensor): tf.Tensor {
  const cube = tf.mul(x, tf.mul(x, x));
  const t = tf.tanh(tf.mul(tf.add(x, tf.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI)));
  return tf.mul(x, tf.mul(tf.add(t, 1), 0.5));
}`,
  causalSelfAttention: String.raw`export function causalSelfAttention(x: tf.Tensor2D, weights: GptWeights, layer: number, nHead: number): { output: tf.Tensor2D; weights: tf.Tensor3D } {
  const [T, C] = x.shape;
  const name = (s: string) => weights['h.' + layer + '.attn.' + s];
  const qkv = tf.add(tf.matMul(x, name('c_attn.weight') as tf.Tensor2D), name('c_attn.bias'));
  const part = (i: number) => splitHeads(tf.slice(qkv, [0, i * C], [T, C]) as tf.Tensor2D, nHead);
  const r = attention(part(0), part(1), part(2), causalMask(T));
  const output = tf.add(tf.matMul(combineHeads(r.output as tf.Tensor3D), name('c_proj.weight') as tf.Tensor2D), name('c_proj.bias'));
  return { output: output as tf.Tensor2D, weights: r.weights as tf.Tensor3D };
}`,
  mlp: String.raw`export function mlp(x: tf.Tensor2D, weights: GptWeights, layer: number): tf.Tensor2D {
  const w = (s: string) => weights['h.' + layer + '.mlp.' + s];
  const h = gelu(tf.add(tf.dot(x, w('c_fc.weight')), w('c_fc.bias')));
  return tf.add(tf.dot(h, w('c_proj.weight')), w('c_proj.bias')) as tf.Tensor2D;
}`,
  block: String.raw`export function block(x: tf.Tensor2D, weights: GptWeights, layer: number, config: GptConfig): tf.Tensor2D {
  const ln = (h: tf.Tensor2D, n: number) => layerNorm(h, weights['h.' + layer + '.ln_' + n + '.weight'] as tf.Tensor1D, weights['h.' + layer + '.ln_' + n + '.bias'] as tf.Tensor1D);
  const afterAttention = tf.add(x, causalSelfAttention(ln(x, 1), weights, layer, config.nHead).output) as tf.Tensor2D;
  return tf.add(afterAttention, mlp(ln(afterAttention, 2), weights, layer)) as tf.Tensor2D;
}`,
  forward: String.raw`export function forward(weights: GptWeights, tokens: number[], config: GptConfig): tf.Tensor2D {
  const T = tokens.length;
  const wte = weights['wte'] as tf.Tensor2D;
  let h = tf.add(tf.gather(wte, tokens), tf.gather(weights['wpe'], tf.range(0, T, 1, 'int32'))) as tf.Tensor2D;
  for (let l = 0; l < config.nLayer; l++) h = block(h, weights, l, config);
  const final = layerNorm(h, weights['ln_f.weight'] as tf.Tensor1D, weights['ln_f.bias'] as tf.Tensor1D);
  return tf.matMul(final, tf.transpose(wte)) as tf.Tensor2D;
}`,
};

describeOtherStyle(
  'Lab 6: a correct solution in another style',
  () => LAB6,
  () => ({
    'decoding.ts': replaceFunctions(LAB6.source('solution', 'decoding.ts'), OTHER_DECODING),
    'model.ts': replaceFunctions(LAB6.source('solution', 'model.ts'), OTHER_MODEL),
  }),
  setUp,
  tearDown,
);
