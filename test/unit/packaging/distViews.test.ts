// The packaged sidecar (dist/, esbuild bundles with the shared TensorFlow.js runtime) computes
// every view of every lab on the reference solution without a learner error: bundling can break
// what tsc's out/ runs fine (it once did: a second copy of tfjs-core made the engine's tensors
// lose their methods).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import { SidecarClient } from '../../../core/compute/sidecarClient';
import { loadLabs } from '../../../core/labs/labLoader';
import type { AttentionViewData } from '../../../core/protocol/sidecar';
import { repoRoot } from '../../support/repoRoot';
import { checkTrainingResult, TRAINING_TASK, TRAINING_VIEW } from '../../../src/panels/trainingData';

/** Paths of every learnerError in a payload, e.g. "runs.0.learnerError". */
function learnerErrors(v: unknown, at = ''): string[] {
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
    k === 'learnerError' && x ? [`${at}${k}: ${(x as { message?: string }).message}`] : learnerErrors(x, `${at}${k}.`),
  );
}

describe('packaged sidecar: every lab view on the reference solutions', function () {
  this.timeout(180_000);
  const dist = findBuildPaths(join(repoRoot(), 'dist'));
  const labs = loadLabs(dist.labsRoot, { compiledChecksDir: dist.labsDist }).labs;
  let client: SidecarClient;
  before(() => {
    client = new SidecarClient({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, labsDist: dist.labsDist, backend: 'wasm' });
  });
  after(() => client.dispose());

  it('01-attention: "attention" with the trained mini-GPT as the source (its weights found from dist/)', async () => {
    const lab = labs.find((l) => l.manifest.id === '01-attention')!;
    const files = lab.manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(lab.dir, f.solution), 'utf8') }));
    const input = { sentence: 'Call me Ishmael.', mask: 'causal', heads: 1, source: 'model', layer: 3 };
    const r = await client.visualize({ labId: lab.manifest.id, files, view: 'attention', input, limits: { timeoutMs: 60_000, memoryMb: 1024 } });
    assert.ok(r.ok, r.ok ? '' : `${r.error.message}`);
    const d = r.data as AttentionViewData;
    assert.deepEqual(learnerErrors(d), []);
    assert.equal(d.sourceKind, 'model');
    assert.equal(d.model?.layer, 3);
    assert.equal(d.tokens.length, 'Call me Ishmael.'.length);
    assert.equal(d.heads.length, d.model?.nHead);
    for (const head of d.heads) {
      const diff = Math.max(...head.reference.flatMap((row, i) => row.map((v, j) => Math.abs(v - head.learner![i][j]))));
      assert.ok(diff < 1e-4, `the solution's attention() matches the model's own weights (max difference ${diff})`);
    }
  });

  for (const lab of labs) {
    for (const view of lab.manifest.visualizations) {
      it(`${lab.manifest.id}: "${view.id}"`, async () => {
        const files = lab.manifest.files.map((f) => ({ path: f.path, text: readFileSync(join(lab.dir, f.solution), 'utf8') }));
        if (view.id === TRAINING_VIEW) {
          // Lab 5's training panel runs a task, not a view: a small run of it, to the end.
          const input = { subset: 32, seqLen: 16, epochs: 1, lr: 1e-2, freezeEncoder: true, seed: 3, init: 'pretrained', pooling: 'cls', validationSize: 32 };
          const t = await client.runTask({ labId: lab.manifest.id, files, task: TRAINING_TASK, input, limits: { timeoutMs: 120_000, memoryMb: 1024 } }, () => undefined);
          assert.equal(t.status, 'done', JSON.stringify(t).slice(0, 300));
          const result = (t as { result: { partErrors: unknown[]; referenceParts: unknown[] } }).result;
          assert.equal(checkTrainingResult(result), undefined);
          assert.deepEqual([result.partErrors, result.referenceParts], [[], []], 'the solution runs every part itself');
          return;
        }
        const r = await client.visualize({ labId: lab.manifest.id, files, view: view.id, input: {}, limits: { timeoutMs: 60_000, memoryMb: 1024 } });
        assert.ok(r.ok, r.ok ? '' : `${r.error.message}`);
        assert.deepEqual(learnerErrors(r.data), []);
        // Lab 2's solution keeps the reference attention.ts: the panel must not call it the learner's.
        const source = (r.data as { attentionSource?: string }).attentionSource;
        if (source !== undefined) assert.equal(source, 'reference');
      });
    }
  }
});
