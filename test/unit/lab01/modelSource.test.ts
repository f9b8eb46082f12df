// The attention panel's trained mini-GPT source, in-process on Lab 1's solution: the learner's
// attention() gets one head's Q, K and V of the chosen layer at a time, and the reference is the
// model's own attention at that layer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Tf } from '../../../core/checks/checkApi';
import type { AttentionViewData } from '../../../core/protocol/sidecar';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import { createCheckContext } from '../../../sidecar/runner/checkContext';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { sharedMiniGpt } from '../../../sidecar/reference/miniGpt/layerAttention';
import { attentionView, characterLabel } from '../../../labs/01-attention/visualize';
import { repoRoot } from '../../support/repoRoot';
import { runViewHere } from '../../support/runView';

const SOLUTION = readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8');

function view(text: string, input: Record<string, unknown>): Promise<AttentionViewData> {
  const { files } = transpile([{ path: 'attention.ts', text }]);
  const ctx = createCheckContext(tf as unknown as Tf, new Sandbox(files, { tf, helpers, log: () => undefined }));
  tf.engine().startScope();
  return runViewHere<AttentionViewData>(attentionView, ctx, input).finally(() => tf.engine().endScope());
}

function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));
}

describe('Lab 1 attention panel: the trained mini-GPT as the source of Q and K', function () {
  this.timeout(60_000);
  before(() => loadBackend('wasm'));

  it('shows every head of the chosen layer, the model\'s own weights as the reference, the learner\'s beside them', async () => {
    const text = 'Call me Ishmael. Some years ago';
    const d = await view(SOLUTION, { sentence: text, mask: 'causal', heads: 1, source: 'model', layer: 2 });
    const model = sharedMiniGpt(tf as unknown as Tf);
    assert.equal(d.sourceKind, 'model');
    assert.deepEqual(d.model, { layer: 2, nLayer: model.config.nLayer, nHead: model.config.nHead, dropped: [] });
    assert.deepEqual(d.tokens, Array.from(text).map(characterLabel));
    assert.equal(d.heads.length, model.config.nHead);
    // The reference is what the model itself computes at layer 2 (0-based 1), head by head.
    const ids = model.tokenizer.encode(text);
    const { logits, attention } = model.forward(ids, { collectAttention: true });
    logits.dispose();
    d.heads.forEach((head, h) => {
      assert.ok(maxDiff(head.reference, attention![1][h]) < 1e-6, `head ${h + 1} is the model's own`);
      assert.ok(head.learner && maxDiff(head.learner, head.reference) < 1e-4, `head ${h + 1}: the solution's attention() agrees`);
      head.reference.forEach((row, i) => row.forEach((v, j) => j > i && assert.equal(v, 0, 'causal')));
    });
    // Learned, not uniform: a trained head puts most of some query's weight on a single key.
    const peak = Math.max(...d.heads.flatMap((hd) => hd.reference.slice(4).map((row) => Math.max(...row))));
    assert.ok(peak > 0.5, `some head concentrates its attention (largest weight past the 4th query: ${peak.toFixed(3)})`);
    assert.equal(d.learnerError, undefined);
    assert.match(d.source, /trained mini-GPT/);
  });

  it('different layers give different patterns; no mask compares every pair with the same Q and K', async () => {
    const text = 'the whale, the whale!';
    const l1 = await view(SOLUTION, { sentence: text, mask: 'causal', heads: 1, source: 'model', layer: 1 });
    const l4 = await view(SOLUTION, { sentence: text, mask: 'causal', heads: 1, source: 'model', layer: 4 });
    assert.ok(maxDiff(l1.heads[0].reference, l4.heads[0].reference) > 0.05);
    const open = await view(SOLUTION, { sentence: text, mask: 'none', heads: 1, source: 'model', layer: 1 });
    assert.ok(open.heads[0].reference[0].slice(1).some((v) => v > 0), 'without the mask the first query sees later keys');
    assert.ok(open.heads[0].learner && maxDiff(open.heads[0].learner, open.heads[0].reference) < 1e-4);
  });

  it('leaves out characters the model does not know, and keeps only the last 48', async () => {
    const d = await view(SOLUTION, { sentence: `naïve café ${'x'.repeat(60)}`, mask: 'causal', heads: 1, source: 'model', layer: 9 });
    assert.deepEqual(d.model?.dropped, ['ï', 'é']);
    assert.equal(d.model?.layer, 4, 'the layer is clamped to the model');
    assert.equal(d.tokens.length, 48);
    assert.match(d.source, /Left out/);
  });

  it('a learner attention() that throws leaves the model\'s own weights drawn, with the error', async () => {
    const broken = SOLUTION.replace(/export function attention\(([^)]*)\)([^{]*)\{/, 'export function attention($1)$2{ throw new Error("no weights today");');
    assert.notEqual(broken, SOLUTION);
    const d = await view(broken, { sentence: 'abc def', mask: 'causal', heads: 1, source: 'model', layer: 1 });
    assert.match(d.learnerError?.message ?? '', /no weights today/);
    assert.ok(d.heads.every((h) => h.learner === null && h.reference.length === 7));
  });

  it('the seeded random source is still there, and says so', async () => {
    const d = await view(SOLUTION, { sentence: 'the cat sat', mask: 'none', heads: 2 });
    assert.equal(d.sourceKind, 'random');
    assert.equal(d.heads.length, 2);
    assert.deepEqual(d.tokens, ['the', 'cat', 'sat']);
    assert.match(d.source, /Seeded random/);
  });
});
