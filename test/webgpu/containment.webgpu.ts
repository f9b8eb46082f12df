// The containment suite's escape attempts (test/containment/attempts.ts) on the webgpu route,
// where the check process runs without Node's permission model (dawn.node is a native addon it
// refuses): what holds is the OS layer, the empty environment and the JavaScript realm. Each
// attempt runs its own check only (the other checks of the solution pass on webgpu in
// labs.webgpu.ts): it fails with its refusal, nothing reaches the listener, no file changes,
// and no canary appears.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBuildPaths } from '../../core/compute/paths';
import { SidecarClient } from '../../core/compute/sidecarClient';
import { findLab, loadLabs } from '../../core/labs/labLoader';
import type { Lab } from '../../core/labs/manifest';
import { repoRoot } from '../support/repoRoot';
import { ATTEMPTS, attemptedCheck, submission } from '../containment/attempts';
import { changedFiles, ClassFolder, exists, judge, Listener, makeClassFolder, snapshot, startListener } from '../containment/harness';

const LIMITS = { timeoutMs: 3000, memoryMb: 256 };

describe('webgpu route: the escape attempts', function () {
  this.timeout(300_000);
  const dist = findBuildPaths(join(repoRoot(), 'dist'));
  const solution = readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8');
  let lab: Lab;
  let listener: Listener;
  let cls: ClassFolder;
  let client: SidecarClient;
  const logs: string[] = [];
  let refused = 0;
  let leaked = 0;

  before(async () => {
    lab = findLab(loadLabs(dist.labsRoot, { compiledChecksDir: dist.labsDist }).labs, '01-attention')!;
    listener = await startListener();
    cls = makeClassFolder();
    // The grader's own environment has the canary; the check process must not.
    process.env.TL_CANARY_SECRET = cls.envCanary;
    client = new SidecarClient({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, labsDist: dist.labsDist, backend: 'webgpu', log: (_l, m) => logs.push(m) });
    const info = (await client.start()).backend;
    assert.equal(info.name, 'webgpu');
    assert.equal(info.containment?.permissionModel.on, false, 'webgpu runs without the permission model');
  });

  after(async () => {
    delete process.env.TL_CANARY_SECRET;
    await client?.dispose();
    await listener?.close();
    if (cls) rmSync(cls.root, { recursive: true, force: true });
    console.log(`\nescape attempts on webgpu: ${ATTEMPTS.length} runs, refused ${refused}, leaked ${leaked}`);
  });

  for (const [i, attempt] of ATTEMPTS.entries()) {
    it(`${i + 1}. ${attempt.name}`, async () => {
      const dir = join(cls.root, `attempt-${i + 1}`);
      mkdirSync(dir, { recursive: true });
      const text = submission(solution, attempt, { PORT: listener.port, UDP_PORT: listener.udpPort, LAB: dir, CANARY_FILE: cls.canaryFile, CLASS: cls.root, OUTSIDE: cls.outside });
      writeFileSync(join(dir, 'attention.ts'), text);
      const before = snapshot(cls.root);
      const hitsBefore = listener.hits.length;
      logs.length = 0;
      const check = attemptedCheck(attempt);
      const { results } = await client.runChecks({ labId: lab.manifest.id, files: [{ path: 'attention.ts', text }], checkIds: [check], limits: LIMITS });
      // Let anything sent asynchronously arrive before looking.
      await new Promise((r) => setTimeout(r, 200));
      const [r] = results;
      const verdict = judge(
        attempt,
        { attempted: { id: r.id, status: r.status, message: r.message }, others: [], output: `${JSON.stringify(results)}\n${logs.join('\n')}` },
        { hitsBefore, hitsAfter: listener.hits.length, changed: changedFiles(before, snapshot(cls.root), () => false), outsideExists: exists(cls.outside), canaries: [cls.fileCanary, cls.envCanary] },
      );
      if (verdict.refused) refused++;
      if (verdict.leaks.length > 0) leaked++;
      assert.deepEqual(verdict.leaks, [], 'leaked');
      assert.deepEqual(verdict.problems, []);
      assert.ok(verdict.refused, 'not refused');
    });
  }
});
