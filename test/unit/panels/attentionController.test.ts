// The panel's host-side behaviour: debounced requests, the latest request wins, errors
// become messages. First with a source whose answers the test releases one by one (to
// force every ordering), then with the real sidecar running Lab 1's starter and solution.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { AttentionViewData, AttentionViewInput, VisualizeResult } from '../../../core/protocol/sidecar';
import type { HostToPanelMessage } from '../../../core/protocol/webview';
import { AttentionController } from '../../../src/panels/attentionController';
import type { AttentionSource, AttentionUnavailable } from '../../../src/panels/attentionSource';
import { cellsFor, countDisagreements } from '../../../webviews/attention/cells';
import { repoRoot } from '../../support/repoRoot';
import { testSidecar } from '../../support/sidecar';

type Answer = VisualizeResult | AttentionUnavailable;

/** A source whose calls wait until the test settles them. */
class HeldSource implements Pick<AttentionSource, 'compute' | 'labTitle'> {
  calls: { input: AttentionViewInput; signal: AbortSignal; settle(a: Answer | Error): void }[] = [];
  compute(input: AttentionViewInput, signal: AbortSignal): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.calls.push({ input, signal, settle: (a) => (a instanceof Error ? reject(a) : resolve(a)) });
    });
  }
  labTitle() {
    return 'Lab 1';
  }
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const dataFor = (sentence: string): AttentionViewData => ({
  tokens: sentence.split(' '),
  mask: 'none',
  heads: [{ learner: null, reference: sentence.split(' ').map((_, i, a) => a.map((__, j) => (i === j ? 1 : 0))) }],
  source: 'seeded',
  tolerance: 1e-4,
});
const request = (sentence: string) => ({ sentence, mask: 'none', heads: 1, padTokens: 0 });

describe('attention panel: controller ordering', () => {
  let source: HeldSource;
  let posted: HostToPanelMessage[];
  let c: AttentionController;
  beforeEach(() => {
    source = new HeldSource();
    posted = [];
    c = new AttentionController({ source, post: (m) => posted.push(m), debounceMs: 20 });
  });
  afterEach(() => c.dispose());
  const drawn = () => posted.filter((m) => m.type === 'attention').map((m) => (m.body as { data: AttentionViewData }).data.tokens.join(' '));

  it('computes nothing before the panel is ready', async () => {
    c.refresh();
    c.onRequest(request('a b'));
    await tick(40);
    assert.equal(source.calls.length, 0);
  });

  it('debounces a burst of requests into one computation of the last one', async () => {
    c.onReady();
    for (const s of ['a', 'a b', 'a b c']) {
      c.onRequest(request(s));
      await tick(5);
    }
    await tick(60);
    assert.deepEqual(source.calls.map((k) => k.input.sentence), ['a b c']);
    assert.deepEqual(posted, [{ type: 'busy', body: { reason: 'Running your attention function…' } }]);
  });

  it('aborts the older computation and drops its answer, in either arrival order', async () => {
    c.onReady();
    c.onRequest(request('old one'));
    await tick(40);
    c.onRequest(request('new one'));
    await tick(40);
    assert.equal(source.calls.length, 2);
    assert.equal(source.calls[0].signal.aborted, true, 'the superseded run was aborted');
    assert.equal(source.calls[1].signal.aborted, false);
    source.calls[1].settle({ ok: true, data: dataFor('new one') });
    await tick();
    source.calls[0].settle({ ok: true, data: dataFor('old one') }); // a source that ignored the abort
    await c.idle();
    assert.deepEqual(drawn(), ['new one']);

    c.refresh();
    c.refresh();
    source.calls[2].settle({ ok: true, data: dataFor('stale') });
    source.calls[3].settle({ ok: true, data: dataFor('latest') });
    await c.idle();
    assert.deepEqual(drawn(), ['new one', 'latest']);
    assert.deepEqual(c.lastData?.tokens, ['latest']);
  });

  it('posts nothing for an aborted run and a clear message for a failed one', async () => {
    c.onReady();
    await tick(40);
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    source.calls[0].settle(abort);
    await c.idle();
    assert.deepEqual(posted.map((m) => m.type), ['busy']);
    c.refresh();
    source.calls[1].settle(new Error('sidecar exited with code 1'));
    await c.idle();
    assert.deepEqual(posted.at(-1), {
      type: 'unavailable',
      body: { message: 'The compute process could not run your code. See the Transformer Labs Compute log.', detail: 'sidecar exited with code 1' },
    });
  });

  it('refuses a malformed request without computing, and keeps the last good input', async () => {
    c.onReady();
    assert.equal(c.onRequest({ sentence: 'x', mask: 'none', heads: 16 }), 'heads must be one of 1, 2, 4, not 16');
    await tick(40);
    assert.equal(source.calls.length, 1, 'only the ready computation');
    assert.equal(source.calls[0].input.sentence, 'The cat sat on the mat because it was tired');
    assert.equal(c.currentInput.heads, 1);
  });

  it('stops on dispose: the running computation is aborted and its answer never posted', async () => {
    c.onReady();
    await tick(40);
    c.dispose();
    assert.equal(source.calls[0].signal.aborted, true);
    source.calls[0].settle({ ok: true, data: dataFor('late') });
    await c.idle();
    assert.deepEqual(drawn(), []);
  });
});

describe('attention panel: controller with the real sidecar and Lab 1', function () {
  this.timeout(90_000);
  const labDir = join(repoRoot(__dirname), 'labs', '01-attention');
  const starter = readFileSync(join(labDir, 'starter', 'attention.ts'), 'utf8');
  const solution = readFileSync(join(labDir, 'solution', 'attention.ts'), 'utf8');
  let client: SidecarClient;
  let text = starter;
  let posted: HostToPanelMessage[];
  let c: AttentionController;

  before(async () => {
    client = testSidecar();
    await client.start();
  });
  after(async () => client.dispose());
  beforeEach(() => {
    posted = [];
    c = new AttentionController({
      source: {
        compute: (input, signal) =>
          client.visualize({ labId: '01-attention', files: [{ path: 'attention.ts', text }], view: 'attention', input, limits: { timeoutMs: 10_000, memoryMb: 256 } }, signal),
        labTitle: () => 'Attention from scratch',
      },
      post: (m) => posted.push(m),
      debounceMs: 10,
    });
    c.onReady();
  });
  afterEach(() => c.dispose());

  async function answer(input?: object): Promise<HostToPanelMessage> {
    if (input) c.onRequest(input);
    await c.idle();
    const last = posted.at(-1)!;
    assert.notEqual(last.type, 'busy', 'an answer was posted');
    return last;
  }

  it("shows the reference and the learner's error with its location for the starter", async () => {
    text = starter;
    const m = await answer();
    assert.equal(m.type, 'attention');
    const data = (m.body as { data: AttentionViewData }).data;
    assert.deepEqual(data.tokens, 'The cat sat on the mat because it was tired'.split(' '));
    assert.equal(data.heads[0].learner, null);
    assert.match(data.learnerError!.message, /attention\(\) is not started yet/);
    assert.equal(data.learnerError!.location?.file, 'attention.ts');
    for (const row of data.heads[0].reference) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.match(data.source, /seeded random embedding/);
  });

  it("matches the reference everywhere for the solution, per head, with the causal mask", async () => {
    text = solution;
    const m = await answer({ sentence: 'the cat sat', mask: 'causal', heads: 2, padTokens: 0 });
    assert.equal(m.type, 'attention', JSON.stringify(m.body));
    const data = (m.body as { data: AttentionViewData }).data;
    assert.equal(data.heads.length, 2);
    for (const head of data.heads) {
      const cells = cellsFor('difference', head.learner, head.reference, data.tolerance)!;
      assert.equal(countDisagreements(cells), 0);
      assert.equal(head.reference[0][2], 0, 'the first query cannot see the third key');
    }
  });

  it('appends the padding tokens the learner asked for', async () => {
    text = solution;
    const m = await answer({ sentence: 'hello world', mask: 'padding', heads: 1, padTokens: 3 });
    const data = (m.body as { data: AttentionViewData }).data;
    assert.deepEqual(data.tokens, ['hello', 'world', '[PAD]', '[PAD]', '[PAD]']);
    assert.ok(data.heads[0].reference.every((row) => row.slice(2).every((w) => w === 0)), 'no query attends to padding');
  });

  it('says the code does not compile, with file:line, instead of drawing', async () => {
    text = starter + '\nexport function broken( {\n';
    const m = await answer();
    assert.equal(m.type, 'unavailable');
    assert.match((m.body as { message: string }).message, /^Your code does not compile: attention\.ts:\d+:\d+ /);
  });
});
