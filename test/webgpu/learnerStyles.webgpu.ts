// Learner code on the webgpu backend that would work on wasm or fail there differently: each
// gets a sentence that says what to change, promptly, instead of a wrong verdict or a run that
// lasts until the time limit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBuildPaths } from '../../core/compute/paths';
import { SidecarClient } from '../../core/compute/sidecarClient';
import { findLab, loadLabs } from '../../core/labs/labLoader';
import type { Lab } from '../../core/labs/manifest';
import { repoRoot } from '../support/repoRoot';

const LIMITS = { timeoutMs: 60_000, memoryMb: 1024 };

describe('webgpu route: learner code that must change for it', function () {
  this.timeout(300_000);
  const dist = findBuildPaths(join(repoRoot(), 'dist'));
  const labs = loadLabs(dist.labsRoot, { compiledChecksDir: dist.labsDist }).labs;
  let webgpu: SidecarClient;
  before(async () => {
    webgpu = new SidecarClient({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, labsDist: dist.labsDist, backend: 'webgpu' });
    assert.equal((await webgpu.start()).backend.name, 'webgpu');
  });
  after(() => webgpu?.dispose());

  /** The lab's solution files, with `edit` applied to `file` (which must change). */
  function solutionWith(lab: Lab, file: string, edit: (text: string) => string): { path: string; text: string }[] {
    return lab.manifest.files.map((f) => {
      const text = readFileSync(join(lab.dir, f.solution), 'utf8');
      if (f.path !== file) return { path: f.path, text };
      const changed = edit(text);
      assert.notEqual(changed, text, `the edit changed nothing in ${file}`);
      return { path: f.path, text: changed };
    });
  }

  it('Lab 6: sampling from Math.random instead of strategy.rng fails at once with that sentence (it would be repeated until the time limit)', async () => {
    const lab = findLab(labs, '06-mini-gpt')!;
    const files = solutionWith(lab, 'decoding.ts', (t) => t.replace('sampleFrom(probs, strategy.rng)', 'sampleFrom(probs, Math.random)'));
    const { results } = await webgpu.runChecks({ labId: lab.manifest.id, files, checkIds: ['generate-sampling', 'generate-greedy'], limits: LIMITS });
    const [sampling, greedy] = results;
    assert.equal(sampling.status, 'fail', JSON.stringify(sampling));
    assert.match(sampling.message, /draw random numbers only from the rng you are given \(strategy\.rng\), not Math\.random/);
    assert.equal(greedy.status, 'pass', JSON.stringify(greedy));
  });

  it('Lab 3: pooledSentence written the synchronous way (arraySync) stops with the sentence that says to await in an async function; the rest of the lab passes', async () => {
    const lab = findLab(labs, '03-positional-encodings')!;
    const files = solutionWith(lab, 'positions.ts', (t) =>
      t
        .replace('export async function pooledSentence(', 'export function pooledSentence(')
        .replace('): Promise<Vector> {\n  const pooled = tf.tidy(', '): Vector {\n  const pooled = tf.tidy(')
        .replace('return (await pooled.array()) as Vector;', 'return pooled.arraySync() as Vector;'),
    );
    const ids = lab.manifest.checks.map((c) => c.id);
    const { results } = await webgpu.runChecks({ labId: lab.manifest.id, files, checkIds: ids, limits: LIMITS });
    const failing = results.filter((r) => r.status !== 'pass');
    assert.deepEqual(
      failing.map((r) => r.id).sort(),
      ['pooled-differ-with-positions', 'pooled-equal-without-positions', 'pooled-matches-reference', 'pooled-with-positions-matches-reference'],
      failing.map((r) => `${r.id}: ${r.message}`).join('\n'),
    );
    for (const r of failing) {
      assert.match(r.message, /pooledSentence threw .*cannot read a tensor synchronously in Node.*await tensor\.array\(\) in a function declared async/, r.id);
    }
  });
});
