// The attention view on the lab-view framework: from the source's answer to the panel's message,
// and the checks on the panel's inputs.
import assert from 'node:assert/strict';
import type { AttentionViewData, VisualizeResult } from '../../../core/protocol/sidecar';
import { checkAttentionData, parseAttentionInput } from '../../../src/panels/panelMessages';
import { LabViewController, toLabViewMessage } from '../../../src/panels/labViewController';

const toPanelMessage = (r: Parameters<typeof toLabViewMessage>[1], title: string | undefined, now: Date) => toLabViewMessage('attention', r, title, now, checkAttentionData);

const NOW = new Date('2026-11-25T10:00:00Z');
const data: AttentionViewData = {
  tokens: ['a', 'b'],
  mask: 'none',
  heads: [{ learner: [[1, 0], [0.5, 0.5]], reference: [[1, 0], [0.5, 0.5]] }],
  source: 'seeded embedding',
  tolerance: 1e-4,
};

describe('attention panel: host messages', () => {
  it('accepts the inputs the panel offers and says what is wrong with others', () => {
    assert.deepEqual(parseAttentionInput({ sentence: 'hi', mask: 'padding', heads: 4, padTokens: 3 }), { sentence: 'hi', mask: 'padding', heads: 4, padTokens: 3, source: 'random', layer: 1 });
    assert.deepEqual(parseAttentionInput({ sentence: 'hi', mask: 'causal', heads: 1, source: 'model', layer: 3 }), { sentence: 'hi', mask: 'causal', heads: 1, padTokens: 2, source: 'model', layer: 3 });
    assert.equal(parseAttentionInput({ sentence: 'hi', mask: 'causal', heads: 1, source: 'gpt2' }), 'source must be random or model, not "gpt2"');
    assert.equal(parseAttentionInput({ sentence: 'hi', mask: 'causal', heads: 1, source: 'model', layer: 0 }), 'layer must be a whole number from 1 to 12, not 0');
    assert.equal(parseAttentionInput({ sentence: 'hi', mask: 'causal', heads: 1, source: 'model', layer: 2.5 }), 'layer must be a whole number from 1 to 12, not 2.5');
    assert.equal(parseAttentionInput({ sentence: 'hi', mask: 'none', heads: 3, padTokens: 0 }), 'heads must be one of 1, 2, 4, not 3');
    assert.equal(parseAttentionInput({ sentence: 'hi', mask: 'diag', heads: 1 }), 'mask must be none, causal or padding, not "diag"');
    assert.equal(parseAttentionInput({ sentence: 'x'.repeat(501), mask: 'none', heads: 1 }), 'sentence is longer than 500 characters');
    assert.equal(parseAttentionInput({ sentence: 'hi', mask: 'none', heads: 1, padTokens: 1.5 }), 'padTokens must be a whole number from 0 to 8, not 1.5');
    assert.equal(parseAttentionInput(null), 'sentence must be a string');
  });

  it('draws good data, stamped with the lab title and time', () => {
    assert.deepEqual(toPanelMessage({ ok: true, data }, 'Lab 1', NOW), {
      type: 'view',
      body: { view: 'attention', data, labTitle: 'Lab 1', updatedAt: '2026-11-25T10:00:00.000Z' },
    });
  });

  it('turns compile errors into "does not compile" with the first file:line:column', () => {
    const r: VisualizeResult = {
      ok: false,
      error: { message: 'compile' },
      compileErrors: [
        { file: 'attention.ts', line: 12, column: 5, endLine: 12, endColumn: 9, message: "';' expected." },
        { file: 'attention.ts', line: 30, column: 1, endLine: 30, endColumn: 2, message: 'Declaration or statement expected.' },
      ],
    };
    const m = toPanelMessage(r, 'Lab 1', NOW);
    assert.deepEqual(m, {
      type: 'unavailable',
      body: {
        message: "Your code does not compile: attention.ts:12:5 ';' expected. (and 1 more)",
        detail: "attention.ts:12:5 ';' expected.\nattention.ts:30:1 Declaration or statement expected.",
      },
    });
  });

  it('reports a run failure with its location, and passes "unavailable" through', () => {
    const r: VisualizeResult = { ok: false, error: { message: 'timed out after 2000 ms', location: { file: 'attention.ts', line: 80, column: 3 } }, compileErrors: [] };
    assert.deepEqual(toPanelMessage(r, undefined, NOW), { type: 'unavailable', body: { message: 'Your code could not be run: timed out after 2000 ms (attention.ts:80:3)' } });
    assert.deepEqual(toPanelMessage({ unavailable: 'Open a lab workspace' }, undefined, NOW), { type: 'unavailable', body: { message: 'Open a lab workspace', detail: undefined } });
  });

  it('refuses data the panel cannot draw, saying why', () => {
    assert.equal(checkAttentionData(data), undefined);
    assert.equal(checkAttentionData({ ...data, heads: [{ learner: null, reference: [[1, 0]] }] }), 'head 1: reference weights must be 2×2 numbers');
    assert.equal(checkAttentionData({ ...data, heads: [{ learner: [[1]], reference: data.heads[0].reference }] }), 'head 1: learner weights must be null or 2×2 numbers');
    assert.equal(checkAttentionData({ ...data, tokens: [] }), 'tokens must be a non-empty list of strings');
    const m = toPanelMessage({ ok: true, data: { ...data, tolerance: -1 } }, 'Lab 1', NOW);
    assert.deepEqual(m, { type: 'unavailable', body: { message: 'The compute process sent data the panel cannot draw.', detail: 'tolerance must be a number ≥ 0' } });
  });

  it('the panel controller refuses inputs the attention view cannot take, and computes with the checked ones', async () => {
    const asked: Record<string, unknown>[] = [];
    const posted: { type: string }[] = [];
    const c = new LabViewController({
      view: 'attention',
      source: { compute: async (_v, input) => (asked.push(input), { ok: true, data }), labTitle: () => 'Lab 1' },
      post: (m) => posted.push(m),
      busyReason: 'Running your attention function…',
      validate: checkAttentionData,
      parseInput: parseAttentionInput,
      debounceMs: 1,
    });
    assert.equal(c.onRequest({ input: { sentence: 'hi', mask: 'none', heads: 3 } }), 'heads must be one of 1, 2, 4, not 3');
    assert.equal(c.onRequest({ input: { sentence: 'hi', mask: 'causal', heads: 2 } }), undefined);
    await new Promise((r) => setTimeout(r, 20));
    await c.idle();
    assert.deepEqual(asked, [{ sentence: 'hi', mask: 'causal', heads: 2, padTokens: 2, source: 'random', layer: 1 }], 'defaults filled in; the refused input never ran');
    assert.deepEqual(posted.map((m) => m.type), ['busy', 'view']);
    c.dispose();
  });
});
