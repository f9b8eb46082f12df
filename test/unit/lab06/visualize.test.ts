// Lab 6's panel data: well-formed for the solution (learner side equal to the reference),
// learnerError parts (never a throw) for the starter and for a broken attention.ts.
import assert from 'node:assert/strict';
import type { LabModule } from '../../../core/checks/checkApi';
import type { DecodingViewData, ModelAttentionViewData, TokenBar } from '../../../core/protocol/views/decodingView';
import { labModule, mutate, runView, sandboxOf, setUp, tearDown } from './support';

function assertBars(bars: TokenBar[], what: string): void {
  assert.ok(bars.length > 0 && bars.length <= 20, `${what}: 1…20 bars`);
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i];
    assert.ok(Number.isInteger(b.id) && typeof b.token === 'string' && typeof b.kept === 'boolean', what);
    assert.ok(b.probability >= 0 && b.probability <= 1, `${what}: probability in [0, 1]`);
    if (i > 0) assert.ok(bars[i - 1].probability >= b.probability, `${what}: sorted by probability`);
  }
}

describe('Lab 6 panels', function () {
  this.timeout(120_000);
  let mod: LabModule;
  before(async () => {
    await setUp();
    mod = labModule();
  });
  after(tearDown);

  it('sampling: bars before/after and the generated text, the solution equal to the reference', async () => {
    const input = { prompt: 'Call me Ishmael.', strategy: 'sample', temperature: 0.9, topK: 12, topP: 0.9, seed: 7, steps: 24, beamWidth: 3 };
    const d = (await runView(mod, sandboxOf({}), 'decoding', input)) as DecodingViewData;
    assert.equal(d.settings.strategy, 'sample');
    assertBars(d.distribution.reference.before, 'reference before');
    assertBars(d.distribution.reference.after, 'reference after');
    assert.ok(d.distribution.reference.after.filter((b) => b.kept).length <= 12, 'top-k 12 keeps at most 12');
    assert.deepEqual(d.distribution.learner, d.distribution.reference);
    assert.equal(d.generation.learnerError, undefined);
    assert.equal(d.generation.reference.steps.length, 24);
    assert.ok(d.generation.reference.text.startsWith('Call me Ishmael.'));
    assert.deepEqual(d.generation.learner, d.generation.reference);
    assert.ok(d.generation.reference.steps.every((s) => s.probability > 0 && s.probability <= 1));
    assert.equal(d.beam, undefined);
    const other = (await runView(mod, sandboxOf({}), 'decoding', { ...input, seed: 8 })) as DecodingViewData;
    assert.equal(typeof other.generation.reference.text, 'string'); // another seed runs too
  });

  it('greedy: "after" is one-hot on the argmax; beam: trees from both sides', async () => {
    const g = (await runView(mod, sandboxOf({}), 'decoding', { prompt: 'The whale', strategy: 'greedy', steps: 10 })) as DecodingViewData;
    assert.equal(g.distribution.reference.after[0].probability, 1);
    assert.equal(g.distribution.reference.after[0].id, g.distribution.reference.before[0].id);
    assert.deepEqual(g.generation.learner, g.generation.reference);

    const b = (await runView(mod, sandboxOf({}), 'decoding', { prompt: 'The whale', strategy: 'beam', beamWidth: 3, steps: 6 })) as DecodingViewData;
    assert.ok(b.beam);
    const nodes = b.beam!.reference.nodes;
    assert.equal(nodes[0].parent, -1);
    assert.ok(nodes.every((n, i) => n.id === i && n.parent < n.id));
    assert.ok(nodes.some((n) => n.status === 'pruned') && nodes.some((n) => n.status === 'finished'));
    assert.deepEqual(b.beam!.learner, b.beam!.reference);
    assert.ok(b.generation.reference.text.startsWith('The whale'));
  });

  it('the starter: every learner part carries a learnerError, the reference is still there', async () => {
    for (const strategy of ['greedy', 'sample', 'beam']) {
      const d = (await runView(mod, sandboxOf({}, 'starter'), 'decoding', { prompt: 'Call me', strategy, steps: 5 })) as DecodingViewData;
      assert.equal(d.distribution.learner, strategy === 'beam' ? d.distribution.learner : null);
      if (strategy !== 'beam') assert.match(d.distribution.learnerError!.message, /is not started yet/);
      assert.equal(d.generation.learner, null);
      assert.match(d.generation.learnerError!.message, /is not started yet/);
      assert.ok(d.generation.learnerError!.location, 'the error points at the learner file');
      assert.ok(d.generation.reference.text.length > 0);
    }
  });

  it('a filter returning the wrong length is a learnerError, not a throw', async () => {
    const broken = mutate('decoding.ts', 'return keepOnly(probs, ranked(probs).slice(0, k));', 'return [1];');
    const d = (await runView(mod, sandboxOf({ 'decoding.ts': broken }), 'decoding', { strategy: 'sample', topK: 5 })) as DecodingViewData;
    assert.equal(d.distribution.learner, null);
    assert.match(d.distribution.learnerError!.message, /topK should return \d+ finite probabilities/);
    assert.ok(d.distribution.reference.after.length > 0);
  });

  it('model attention: maps per layer and head and greedy text; the reference attention agrees with itself', async () => {
    const d = (await runView(mod, sandboxOf({}), 'model-attention', { prompt: 'Call me Ishmael.' })) as ModelAttentionViewData;
    assert.equal(d.tokens.join(''), 'Call me Ishmael.');
    assert.equal(d.maps.reference.length, d.nLayer);
    assert.ok(d.maps.reference.every((layer) => layer.length === d.nHead && layer.every((h) => h.length === 16 && h.every((row) => row.length === 16))));
    assert.equal(d.maps.learnerError, undefined);
    assert.deepEqual(d.maps.learner, d.maps.reference);
    assert.equal(d.generated.reference.length, 32);
    assert.equal(d.generated.learner, d.generated.reference);
  });

  it('model attention with a broken attention.ts: learnerErrors, reference kept', async () => {
    const wrongShape = "import * as tf from '@tensorflow/tfjs-core';\nexport function attention(q: tf.Tensor) { return { output: tf.zeros([1, 2]), weights: tf.zeros([1, 2]) }; }\n";
    const d = (await runView(mod, sandboxOf({ 'attention.ts': wrongShape }), 'model-attention', { prompt: 'Call me' })) as ModelAttentionViewData;
    assert.equal(d.maps.learner, null);
    assert.match(d.maps.learnerError!.message, /attention output should have shape/);
    assert.equal(d.generated.learner, null);
    assert.ok(d.maps.reference.length > 0 && d.generated.reference.length === 32);

    const throws = "export function attention() { throw new Error('not yet'); }\n";
    const t = (await runView(mod, sandboxOf({ 'attention.ts': throws }), 'model-attention', { prompt: 'Call me' })) as ModelAttentionViewData;
    assert.match(t.maps.learnerError!.message, /not yet/);
    assert.ok(t.maps.learnerError!.location, 'points at the line in attention.ts');
  });

  it('a prompt with characters outside the vocabulary reports them and still runs', async () => {
    const d = (await runView(mod, sandboxOf({}), 'decoding', { prompt: 'Call me ☃ Ishmael', strategy: 'greedy', steps: 3 })) as DecodingViewData;
    assert.deepEqual(d.dropped, ['☃']);
    assert.ok(d.generation.reference.text.startsWith('Call me  Ishmael'));
  });
});
