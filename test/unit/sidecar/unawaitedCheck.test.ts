// A check written without `await` (a lab from before the assertions were async) still fails on
// a wrong result in the real worker: the runner settles the assertions nobody awaited.
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LIMITS = { timeoutMs: 20_000, memoryMb: 256 };
const work = (matrix: string) => [{ path: 'work.ts', text: `export function matrix(): number[][] { return ${matrix}; }` }];

describe('sidecar: a check that does not await its assertion', function () {
  this.timeout(60_000);
  let client: SidecarClient;
  before(() => (client = testSidecar({ labsDist: FIXTURE_LABS })));
  after(() => client.dispose());

  it('fails a wrong result with the assertion\'s own message, and passes a right one', async () => {
    const wrong = await client.runChecks({ labId: 'fixture-lab', files: work('[[1, 2], [3, 4], [5, 6]]'), checkIds: ['matrix-shape-unawaited'], limits: LIMITS });
    assert.equal(wrong.results[0].status, 'fail', JSON.stringify(wrong.results[0]));
    assert.equal(wrong.results[0].message, 'matrix() has the wrong shape: expected [2, 3], got [3, 2]');
    const right = await client.runChecks({ labId: 'fixture-lab', files: work('[[1, 2, 3], [4, 5, 6]]'), checkIds: ['matrix-shape-unawaited', 'matrix-shape'], limits: LIMITS });
    assert.deepEqual(right.results.map((r) => r.status), ['pass', 'pass']);
  });
});
