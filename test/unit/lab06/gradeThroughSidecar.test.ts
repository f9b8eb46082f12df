// Lab 6 through the real sidecar (tsc output, wasm backend, the product's sandbox flags) with
// the trained model from media/models/mini-gpt: the solution earns every point, the starter
// none, a top-p that drops the crossing token loses exactly that check's points; the panels
// answer; and the warm visible-check run is timed (20 runs through one client, p50).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine, readLabFiles } from '../../../core/checks/engine';
import { findBuildPaths } from '../../../core/compute/paths';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { gradeLab } from '../../../core/grading/gradeReport';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { Lab } from '../../../core/labs/manifest';
import { scaffoldLab } from '../../../core/labs/scaffold';
import type { DecodingViewData } from '../../../core/protocol/views/decodingView';
import { repoRoot } from '../../support/repoRoot';
import { testSidecar } from '../../support/sidecar';
import { expectSolutionFullMarks, scaffolded, warmVisibleRuns } from '../../support/labThroughSidecar';
import { trainedModelOnDisk } from './support';

const LIMITS = { timeoutMs: 20_000, memoryMb: 768 };

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

describe('Lab 6 through the real sidecar', function () {
  this.timeout(240_000);
  let client: SidecarClient;
  let engine: CheckEngine;
  let lab: Lab;
  const typesDir = join(findBuildPaths(__dirname).buildRoot, 'types');

  before(async () => {
    assert.ok(trainedModelOnDisk(), 'media/models/mini-gpt/model.json is missing: Lab 6 checks need the trained model (scripts/train)');
    client = testSidecar();
    engine = new CheckEngine(client, () => LIMITS);
    lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '06-mini-gpt')!;
  });
  after(async () => client?.dispose());

  it('gives the solution full marks, hidden checks included', async () => {
    await expectSolutionFullMarks(engine, lab);
  });

  it('gives the starter zero, each failure naming the TODO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-lab06-'));
    scaffoldLab(lab, dir, { typesDir });
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '9.9.9' });
    assert.equal(report.score, 0);
    assert.ok(report.checks.every((c) => c.status === 'not-started' && /is not started yet/.test(c.message)), JSON.stringify(report.checks.filter((c) => !/is not started yet/.test(c.message))));
  });

  it('a top-p that drops the crossing token loses those points, with expected vs actual', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-lab06-'));
    scaffoldLab(lab, dir, { withSolution: true, typesDir });
    const file = join(dir, 'decoding.ts');
    const text = readFileSync(file, 'utf8').replace(
      'kept.push(i);\n    mass += probs[i];\n    if (mass >= p) break;',
      'if (kept.length > 0 && mass + probs[i] > p) break;\n    kept.push(i);\n    mass += probs[i];',
    );
    writeFileSync(file, text);
    const report = await gradeLab(engine, lab, dir, { extensionVersion: '1' });
    const c = report.checks.find((x) => x.id === 'top-p-includes-crossing-token')!;
    assert.equal(c.status, 'fail');
    assert.match(c.message, /keeps tokens \{1\} but should keep \{1, 3\}/);
    assert.ok(report.score < report.maxScore);
  });

  it('the decoding panel answers through the sidecar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-lab06-'));
    scaffoldLab(lab, dir, { withSolution: true, typesDir });
    const files = readLabFiles(lab, dir);
    const r = await client.visualize({ labId: lab.manifest.id, files, view: 'decoding', input: { prompt: 'Call me Ishmael.', strategy: 'beam', beamWidth: 3, steps: 8 }, limits: LIMITS });
    assert.ok(r.ok, JSON.stringify(r));
    const d = (r as { data: DecodingViewData }).data;
    assert.deepEqual(d.beam!.learner, d.beam!.reference);
    const a = await client.visualize({ labId: lab.manifest.id, files, view: 'model-attention', input: { prompt: 'Call me Ishmael.' }, limits: LIMITS });
    assert.ok(a.ok, JSON.stringify(a));
  });

  it('times the warm visible-check run of the solution (20 runs, one client)', async () => {
    const files = readLabFiles(lab, scaffolded(lab, true));
    const visible = lab.manifest.checks.filter((c) => !c.hidden).length;
    const before = await client.stats();
    const { times, slowest } = await warmVisibleRuns(client, lab, files, 20, LIMITS, 'decoding.ts');
    const after = await client.stats();
    assert.equal(after.numTensors, before.numTensors, 'tensors leaked across check runs');
    // eslint-disable-next-line no-console
    console.log(`      Lab 6 warm visible checks (${visible}): p50 ${percentile(times, 50).toFixed(0)} ms, p90 ${percentile(times, 90).toFixed(0)} ms; slowest: ${slowest.join(', ')}`);
    assert.ok(percentile(times, 50) < 10_000);
  });
});
