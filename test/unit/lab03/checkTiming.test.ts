// Warm timing of Lab 3's full visible check run: the solution's visible checks, 20 times through
// one SidecarClient on the wasm backend, after one warm-up run. Prints p50 and p90; the target
// is p50 ≤ 150 ms. The assertion is looser (a busy 2-core CI machine must not flake), but a
// check that got 4× slower still fails it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine, readLabFiles } from '../../../core/checks/engine';
import { findBuildPaths } from '../../../core/compute/paths';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { scaffoldLab } from '../../../core/labs/scaffold';
import { repoRoot } from '../../support/repoRoot';
import { testSidecar } from '../../support/sidecar';

const RUNS = 20;
export const TARGET_P50_MS = 150;

describe('Lab 3 warm check timing (wasm)', function () {
  this.timeout(180_000);

  it(`runs all visible checks of the solution ${RUNS} times; p50 stays near the ${TARGET_P50_MS} ms target`, async () => {
    const client = testSidecar();
    try {
      const engine = new CheckEngine(client, () => ({ timeoutMs: 10_000, memoryMb: 512 }));
      const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '03-positional-encodings')!;
      const dir = mkdtempSync(join(tmpdir(), 'tl-lab03-timing-'));
      scaffoldLab(lab, dir, { withSolution: true, typesDir: join(findBuildPaths(__dirname).buildRoot, 'types') });
      const files = readLabFiles(lab, dir);
      const warm = await engine.run(lab, files, { includeHidden: false });
      assert.ok(warm.outcomes.every((o) => o.status === 'pass'), 'the solution passes');
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const run = await engine.run(lab, files, { includeHidden: false });
        times.push(performance.now() - t0);
        assert.equal(run.outcomes.length, lab.manifest.checks.filter((c) => !c.hidden).length);
      }
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(RUNS / 2)];
      const p90 = times[Math.floor(RUNS * 0.9)];
      console.log(`      lab03 visible checks (${warm.outcomes.length}), ${RUNS} warm runs: p50 ${p50.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, min ${times[0].toFixed(1)} ms`);
      assert.ok(p50 <= 4 * TARGET_P50_MS, `p50 ${p50.toFixed(1)} ms`);
    } finally {
      await client.dispose();
    }
  });
});
