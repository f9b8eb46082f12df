// The engine's choice of checks and its fallback (issue 18's mutation run: unguarded). The sidecar
// is a stand-in that records what it was asked and answers for chosen ids; the real sidecar runs
// in the lab and grading suites.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CheckEngine } from '../../../core/checks/engine';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { SidecarClient } from '../../../core/compute/sidecarClient';

type RunChecksParams = Parameters<SidecarClient['runChecks']>[0];
import { repoRoot } from '../../support/repoRoot';

const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;
const checks = lab.manifest.checks;
const limits = { timeoutMs: 1234, memoryMb: 77 };

function engine(answerFor: (ids: string[]) => string[] = (ids) => ids) {
  const asked: RunChecksParams[] = [];
  const client = {
    runChecks: async (p: RunChecksParams) => {
      asked.push(p);
      return {
        runId: 'r', compileErrors: [], backend: 'wasm' as const, durationMs: 9, timing: undefined,
        results: answerFor(p.checkIds ?? []).map((id) => ({ id, status: 'pass' as const, message: '', durationMs: 1 })),
      };
    },
  };
  return { e: new CheckEngine(client as never, () => limits), asked };
}

describe('check engine: which checks run', () => {
  it('leaves hidden checks out unless grading, and sends the limits', async () => {
    const { e, asked } = engine();
    const visible = await e.run(lab, [], { includeHidden: false });
    assert.deepEqual(asked[0].checkIds, checks.filter((c) => !c.hidden).map((c) => c.id));
    assert.ok(checks.some((c) => c.hidden), 'Lab 1 has hidden checks');
    assert.deepEqual(asked[0].limits, limits);
    assert.equal(asked[0].labId, '01-attention');
    assert.deepEqual(visible.outcomes.map((o) => o.id), asked[0].checkIds);
    await e.run(lab, [], { includeHidden: true });
    assert.deepEqual(asked[1].checkIds, checks.map((c) => c.id));
  });

  it('runs only the named functions\' checks, hidden ones too when grading', async () => {
    const { e, asked } = engine();
    const r = await e.run(lab, [], { includeHidden: false, functions: ['softmax'] });
    assert.ok(asked[0].checkIds!.length > 0);
    assert.deepEqual(asked[0].checkIds, checks.filter((c) => c.function === 'softmax' && !c.hidden).map((c) => c.id));
    assert.ok(r.outcomes.every((o) => o.spec.function === 'softmax'));
    await e.run(lab, [], { includeHidden: true, functions: ['softmax', 'attendOne'] });
    assert.deepEqual(asked[1].checkIds, checks.filter((c) => ['softmax', 'attendOne'].includes(c.function)).map((c) => c.id));
    assert.deepEqual(e.specsFor(lab, { includeHidden: false, functions: [] }), []);
  });

  it('a check the sidecar did not answer is "not run", said so, in manifest order with its spec', async () => {
    const { e } = engine((ids) => ids.slice(1).reverse());
    const r = await e.run(lab, [], { includeHidden: false });
    const first = r.outcomes[0];
    assert.equal(first.id, checks.filter((c) => !c.hidden)[0].id);
    assert.deepEqual([first.status, first.message, first.durationMs], ['not-run', 'the sidecar returned no result', 0]);
    assert.ok(r.outcomes.slice(1).every((o) => o.status === 'pass'));
    assert.deepEqual(r.outcomes.map((o) => o.spec.id), r.outcomes.map((o) => o.id));
    assert.deepEqual([r.backend, r.durationMs, r.labId], ['wasm', 9, '01-attention']);
  });
});
