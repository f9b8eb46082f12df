// Lab 6 through the real sidecar (tsc output, wasm backend, the product's sandbox flags) with
// the trained model from media/models/mini-gpt: the solution earns every point, the starter
// none, a top-p that drops the crossing token loses exactly that check's points; the panels
// answer; and the warm visible-check run is timed (20 runs through one client, p50).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabFiles } from '../../../core/checks/engine';
import { gradeLab } from '../../../core/grading/gradeReport';
import type { DecodingViewData } from '../../../core/protocol/views/decodingView';
import { expectSolutionFullMarks, scaffolded, warmVisibleRuns, labSidecar, expectStarterNotStarted } from '../../support/labThroughSidecar';
import { percentile } from '../../../bench/stats';
import { trainedModelOnDisk } from './support';

const LIMITS = { timeoutMs: 20_000, memoryMb: 768 };

describe('Lab 6 through the real sidecar', function () {
  this.timeout(240_000);
  const s = labSidecar('06-mini-gpt', LIMITS);
  before(() => assert.ok(trainedModelOnDisk(), 'media/models/mini-gpt/model.json is missing: Lab 6 checks need the trained model (scripts/train)'));

  it('gives the solution full marks, hidden checks included', async () => {
    await expectSolutionFullMarks(s.engine, s.lab);
  });

  it('gives the starter zero, each failure naming the TODO', async () => {
    await expectStarterNotStarted(s.engine, s.lab);
  });

  it('a top-p that drops the crossing token loses those points, with expected vs actual', async () => {
    const dir = scaffolded(s.lab, true);
    const file = join(dir, 'decoding.ts');
    const text = readFileSync(file, 'utf8').replace(
      'kept.push(i);\n    mass += probs[i];\n    if (mass >= p) break;',
      'if (kept.length > 0 && mass + probs[i] > p) break;\n    kept.push(i);\n    mass += probs[i];',
    );
    writeFileSync(file, text);
    const report = await gradeLab(s.engine, s.lab, dir, { extensionVersion: '1' });
    const c = report.checks.find((x) => x.id === 'top-p-includes-crossing-token')!;
    assert.equal(c.status, 'fail');
    assert.match(c.message, /keeps tokens \{1\} but should keep \{1, 3\}/);
    assert.ok(report.score < report.maxScore);
  });

  it('the decoding panel answers through the sidecar', async () => {
    const dir = scaffolded(s.lab, true);
    const files = readLabFiles(s.lab, dir);
    const r = await s.client.visualize({ labId: s.lab.manifest.id, files, view: 'decoding', input: { prompt: 'Call me Ishmael.', strategy: 'beam', beamWidth: 3, steps: 8 }, limits: LIMITS });
    assert.ok(r.ok, JSON.stringify(r));
    const d = (r as { data: DecodingViewData }).data;
    assert.deepEqual(d.beam!.learner, d.beam!.reference);
    const a = await s.client.visualize({ labId: s.lab.manifest.id, files, view: 'model-attention', input: { prompt: 'Call me Ishmael.' }, limits: LIMITS });
    assert.ok(a.ok, JSON.stringify(a));
  });

  it('times the warm visible-check run of the solution (20 runs, one client)', async () => {
    const files = readLabFiles(s.lab, scaffolded(s.lab, true));
    const visible = s.lab.manifest.checks.filter((c) => !c.hidden).length;
    const before = await s.client.stats();
    const { times, slowest } = await warmVisibleRuns(s.client, s.lab, files, 20, LIMITS, 'decoding.ts');
    const after = await s.client.stats();
    assert.equal(after.numTensors, before.numTensors, 'tensors leaked across check runs');
    // eslint-disable-next-line no-console
    console.log(`      Lab 6 warm visible checks (${visible}): p50 ${percentile(times, 50).toFixed(0)} ms, p90 ${percentile(times, 90).toFixed(0)} ms; slowest: ${slowest.join(', ')}`);
    assert.ok(percentile(times, 50) < 10_000);
  });
});
