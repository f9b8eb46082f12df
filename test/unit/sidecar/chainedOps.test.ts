// Chained tensor methods (x.sub(m), x.reshape(…), .toFloat(), .transpose(), … — every one
// tfjs-core declares) work in learner code run by the sidecar, from tsc's out/ and from the
// packaged dist/ bundle alike (where tfjs-core's CommonJS and ES-module copies meet), and each
// gives what the tf.* call it stands for gives.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { SidecarClient } from '../../../core/compute/sidecarClient';
import { CHAINED_CALLS, chainedOpsSource, declaredChainedMethods } from '../../support/chainedOps';
import { repoRoot } from '../../support/repoRoot';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LIMITS = { timeoutMs: 30_000, memoryMb: 512 };

describe('chained tensor methods in learner code', function () {
  this.timeout(120_000);

  it('the table covers every chained method tfjs-core declares', () => {
    const declared = declaredChainedMethods();
    assert.ok(declared.length > 100, `${declared.length} declared`);
    assert.deepEqual(declared.filter((m) => !CHAINED_CALLS.some(([n]) => n === m)), [], 'add these to test/support/chainedOps.ts');
  });

  const builds: [string, () => SidecarClient][] = [
    ['out/ (tsc)', () => testSidecar({ labsDist: FIXTURE_LABS })],
    [
      'dist/ (the packaged bundle)',
      () => {
        const dist = findBuildPaths(join(repoRoot(), 'dist'));
        return new SidecarClient({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, labsDist: join(findBuildPaths(__dirname).buildRoot, 'test', 'fixtures', 'labs'), backend: 'wasm' });
      },
    ],
  ];
  for (const [build, make] of builds) {
    it(`all ${CHAINED_CALLS.length} run and agree with tf.* from ${build}`, async () => {
      const client = make();
      try {
        const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: chainedOpsSource() }], checkIds: ['returns-two'], limits: LIMITS });
        assert.equal(r.results[0].status, 'pass', r.results[0].message);
      } finally {
        await client.dispose();
      }
    });
  }
});
