// The lab view panels' host logic: refuses malformed requests, computes only the latest
// request, turns learner and compute failures into clear panel messages.
import assert from 'node:assert/strict';
import type { HostToLabViewMessage } from '../../../core/protocol/labView';
import type { VisualizeResult } from '../../../core/protocol/sidecar';
import { LabViewController, parseLabViewRequest, toLabViewMessage, Unavailable } from '../../../src/panels/labViewController';

const NOW = new Date('2026-11-25T10:00:00Z');

function controller(answer: (input: Record<string, unknown>, signal: AbortSignal) => Promise<VisualizeResult | Unavailable>) {
  const posted: HostToLabViewMessage[] = [];
  const computed: Record<string, unknown>[] = [];
  const c = new LabViewController({
    view: 'positions',
    busyReason: 'Running…',
    debounceMs: 5,
    now: () => NOW,
    post: (m) => posted.push(m),
    source: {
      compute: (_view, input, signal) => {
        computed.push(input);
        return answer(input, signal);
      },
      labTitle: () => 'Positional encodings',
    },
    validate: (d) => (Array.isArray((d as { xs?: unknown }).xs) ? undefined : 'xs must be a list'),
  });
  return { c, posted, computed };
}

describe('lab view panels: host controller', () => {
  it('refuses requests that are not a small plain object', () => {
    assert.equal(parseLabViewRequest({ input: [1, 2] }), 'input must be an object');
    assert.equal(parseLabViewRequest(null), 'input must be an object');
    assert.match(String(parseLabViewRequest({ input: { s: 'x'.repeat(5000) } })), /larger than 4000/);
    assert.deepEqual(parseLabViewRequest({ input: { heads: 8 } }), { heads: 8 });
  });

  it('debounces a burst of requests and computes only the last one', async () => {
    const { c, posted, computed } = controller(async () => ({ ok: true, data: { xs: [1] } }));
    c.onReady();
    for (let i = 1; i <= 5; i++) c.onRequest({ input: { heads: i } });
    await c.idle();
    assert.deepEqual(computed, [{ heads: 5 }]);
    assert.deepEqual(posted.map((m) => m.type), ['busy', 'view']);
    assert.deepEqual(c.lastData, { xs: [1] });
  });

  it('drops the answer of a superseded run even when it arrives last', async () => {
    let release: (() => void) | undefined;
    const { c, posted } = controller((input) =>
      input.heads === 1
        ? new Promise((resolve) => (release = () => resolve({ ok: true, data: { xs: ['old'] } })))
        : Promise.resolve({ ok: true, data: { xs: ['new'] } }),
    );
    c.onRequest({ input: { heads: 1 } });
    await new Promise((r) => setTimeout(r, 20));
    c.onRequest({ input: { heads: 2 } });
    await c.idle();
    release?.();
    await new Promise((r) => setTimeout(r, 10));
    const views = posted.filter((m) => m.type === 'view');
    assert.equal(views.length, 1);
    assert.deepEqual((views[0].body as { data: unknown }).data, { xs: ['new'] });
  });

  it('says where the code does not compile, and what the learner threw', () => {
    const compile = toLabViewMessage('positions', { ok: false, error: { message: 'x' }, compileErrors: [{ file: 'positions.ts', line: 3, column: 5, endLine: 3, endColumn: 6, message: "';' expected" }] }, 'L', NOW);
    assert.deepEqual(compile, { type: 'unavailable', body: { message: "Your code does not compile: positions.ts:3:5 ';' expected", detail: undefined } });
    const threw = toLabViewMessage('positions', { ok: false, error: { message: 'boom', location: { file: 'positions.ts', line: 9, column: 1 } }, compileErrors: [] }, 'L', NOW);
    assert.equal(threw.type === 'unavailable' && threw.body.message, 'Your code could not be run: boom (positions.ts:9:1)');
  });

  it('does not draw data that fails the view\'s validation', () => {
    const m = toLabViewMessage('positions', { ok: true, data: { xs: 3 } }, 'L', NOW, (d) => (Array.isArray((d as { xs?: unknown }).xs) ? undefined : 'xs must be a list'));
    assert.equal(m.type, 'unavailable');
    assert.equal(m.type === 'unavailable' && m.body.detail, 'xs must be a list');
  });

  it('reports a compute failure without losing the panel, and recovers on the next request', async () => {
    let fail = true;
    const { c, posted } = controller(async () => {
      if (fail) throw new Error('sidecar crashed twice');
      return { ok: true, data: { xs: [] } };
    });
    c.onRequest({ input: { a: 1 } });
    await c.idle();
    assert.equal(posted.at(-1)?.type, 'unavailable');
    fail = false;
    c.refresh();
    await c.idle();
    assert.equal(posted.at(-1)?.type, 'view');
  });
});
