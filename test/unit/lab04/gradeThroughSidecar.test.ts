// Lab 4 through the real sidecar (tsc output, wasm backend, the product's sandbox flags): the
// solution earns every point (hidden checks included), the starter none, a tie-rule mistake loses
// exactly those points with a message; the token panel answers; the warm visible run is timed.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabFiles } from '../../../core/checks/engine';
import { gradeLab } from '../../../core/grading/gradeReport';
import type { TokensViewData } from '../../../core/protocol/views/tokensView';
import { expectSolutionFullMarks, scaffolded, warmVisibleRuns, labSidecar, expectStarterNotStarted } from '../../support/labThroughSidecar';
import { percentile } from '../../../bench/stats';
import { LAB_ID } from './support';

const LIMITS = { timeoutMs: 30_000, memoryMb: 768 };


describe('Lab 4 through the real sidecar', function () {
  this.timeout(240_000);
  const s = labSidecar(LAB_ID, LIMITS);

  it('gives the solution full marks, hidden checks included', async () => {
    await expectSolutionFullMarks(s.engine, s.lab);
  });

  it('gives the starter zero, every check "not started"', async () => {
    await expectStarterNotStarted(s.engine, s.lab);
  });

  it('a trainer that breaks ties by the first pair loses those points, with the counts in the message', async () => {
    const dir = scaffolded(s.lab, true);
    const file = join(dir, 'bpe.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('(count === bestCount && (l < best[0] || (l === best[0] && r < best[1])))', 'false'));
    const report = await gradeLab(s.engine, s.lab, dir, { extensionVersion: '1' });
    const c = report.checks.find((x) => x.id === 'train-tie-rule')!;
    assert.equal(c.status, 'fail');
    assert.match(c.message, /a tie \(both occur 2 times\)/);
    assert.ok(report.score < report.maxScore);
  });

  it('the token panel answers through the sidecar, your tokens equal to the reference', async () => {
    const dir = scaffolded(s.lab, true);
    const r = await s.client.visualize({ labId: LAB_ID, files: readLabFiles(s.lab, dir), view: 'tokens', input: { text: "Don't panic: 42 whales 🐋", vocabSize: 600 }, limits: LIMITS });
    assert.ok(r.ok, JSON.stringify(r));
    const d = (r as { data: TokensViewData }).data;
    assert.deepEqual(d.trained.learner?.tokens, d.trained.reference.tokens);
    assert.deepEqual(d.gpt2.learner, d.gpt2.reference);
    assert.equal(d.study.source, 'yours');
  });

  it('times the warm visible-check run of the solution (10 runs, one client, the default 5 s limit)', async () => {
    const files = readLabFiles(s.lab, scaffolded(s.lab, true));
    const visible = s.lab.manifest.checks.filter((c) => !c.hidden).length;
    const { times, slowest } = await warmVisibleRuns(s.client, s.lab, files, 10, { timeoutMs: 5000, memoryMb: 512 }, 'bpe.ts');
    // eslint-disable-next-line no-console
    console.log(`      Lab 4 warm visible checks (${visible}): p50 ${percentile(times, 50).toFixed(0)} ms, p90 ${percentile(times, 90).toFixed(0)} ms; slowest: ${slowest.join(', ')}`);
    assert.ok(percentile(times, 50) < 5000);
  });
});
