// The attention panel as a lab view (issue 16): the shared host controller with the attention
// view's input and data checks, against the real sidecar computing Lab 1's two-part view.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { HostToLabViewMessage } from '../../../core/protocol/labView';
import type { AttentionViewData } from '../../../core/protocol/sidecar';
import { LabViewController } from '../../../src/panels/labViewController';
import { checkAttentionData, parseAttentionInput } from '../../../src/panels/panelMessages';
import { cellsFor, countDisagreements } from '../../../webviews/attention/cells';
import { DEFAULT_SENTENCE } from '../../../webviews/attention/state';
import { repoRoot } from '../../support/repoRoot';
import { testSidecar } from '../../support/sidecar';

describe('attention panel: the lab-view controller with the real sidecar and Lab 1', function () {
  this.timeout(90_000);
  const labDir = join(repoRoot(__dirname), 'labs', '01-attention');
  const starter = readFileSync(join(labDir, 'starter', 'attention.ts'), 'utf8');
  const solution = readFileSync(join(labDir, 'solution', 'attention.ts'), 'utf8');
  let client: SidecarClient;
  let text = starter;
  let posted: HostToLabViewMessage[];
  let c: LabViewController;

  before(async () => {
    client = testSidecar();
    await client.start();
  });
  after(async () => client.dispose());
  beforeEach(() => {
    posted = [];
    c = new LabViewController({
      view: 'attention',
      source: {
        compute: (view, input, signal) =>
          client.visualize({ labId: '01-attention', files: [{ path: 'attention.ts', text }], view, input, limits: { timeoutMs: 10_000, memoryMb: 256 } }, signal),
        labTitle: () => 'Attention from scratch',
      },
      post: (m) => posted.push(m),
      busyReason: 'Running your attention function…',
      validate: checkAttentionData,
      parseInput: parseAttentionInput,
      debounceMs: 10,
    });
    c.onReady();
  });
  afterEach(() => c.dispose());

  /** What the panel page sends first: its inputs (the defaults on a new page). */
  async function answer(input: object = { sentence: DEFAULT_SENTENCE, mask: 'none', heads: 1, padTokens: 2 }): Promise<HostToLabViewMessage> {
    assert.equal(c.onRequest({ input }), undefined);
    await new Promise((r) => setTimeout(r, 30));
    await c.idle();
    const last = posted.at(-1)!;
    assert.notEqual(last.type, 'busy', 'an answer was posted');
    return last;
  }
  const dataOf = (m: HostToLabViewMessage) => {
    assert.equal(m.type, 'view', JSON.stringify(m.body));
    return (m.body as { data: AttentionViewData }).data;
  };

  it("draws the reference and the learner's error with its location for the starter (the two-part view)", async () => {
    text = starter;
    const data = dataOf(await answer());
    assert.deepEqual(data.tokens, DEFAULT_SENTENCE.split(' '));
    assert.equal(data.heads[0].learner, null);
    assert.match(data.learnerError!.message, /attention\(\) is not started yet/);
    assert.equal(data.learnerError!.location?.file, 'attention.ts');
    for (const row of data.heads[0].reference) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.match(data.source, /seeded random embedding/);
  });

  it('draws the reference when the learner\'s attention loops forever, and says it was stopped', async () => {
    text = solution.replace(/(export function attention\([^\n]*\n)/, '$1  for (;;) { /* never returns */ }\n');
    assert.notEqual(text, solution, 'the loop was planted');
    const data = dataOf(await answer());
    assert.equal(data.heads[0].learner, null);
    assert.ok(data.learnerError, 'the learner part reports why it has no numbers');
    assert.equal(data.heads[0].reference.length, DEFAULT_SENTENCE.split(' ').length);
  });

  it('matches the reference everywhere for the solution, per head, with the causal mask', async () => {
    text = solution;
    const data = dataOf(await answer({ sentence: 'the cat sat', mask: 'causal', heads: 2, padTokens: 0 }));
    assert.equal(data.heads.length, 2);
    for (const head of data.heads) {
      const cells = cellsFor('difference', head.learner, head.reference, data.tolerance)!;
      assert.equal(countDisagreements(cells), 0);
      assert.equal(head.reference[0][2], 0, 'the first query cannot see the third key');
    }
  });

  it('appends the padding tokens the learner asked for', async () => {
    text = solution;
    const data = dataOf(await answer({ sentence: 'hello world', mask: 'padding', heads: 1, padTokens: 3 }));
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
