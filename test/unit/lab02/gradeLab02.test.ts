// Lab 2 through the real sidecar: the reference solution passes every check (hidden ones
// included), the starter fails every one, and the block view returns well-formed data for the
// solution and a learnerError (never a throw) for the starter.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabFiles } from '../../../core/checks/engine';
import { gradeLab } from '../../../core/grading/gradeReport';
import type { BlockViewData } from '../../../core/protocol/views/blockView';
import { repoRoot } from '../../support/repoRoot';
import { expectStarterNotStarted, labSidecar, scaffolded } from '../../support/labThroughSidecar';

const LAB = '02-transformer-block';
const LIMITS = { timeoutMs: 20_000, memoryMb: 512 };

describe('Lab 2 through the real sidecar', function () {
  this.timeout(180_000);
  const s = labSidecar(LAB, LIMITS);
  const workspace = (withSolution: boolean) => scaffolded(s.lab, withSolution);

  async function view(dir: string, input: unknown): Promise<BlockViewData> {
    const res = await s.client.visualize({ labId: LAB, files: readLabFiles(s.lab, dir), view: 'block', input, limits: LIMITS });
    assert.ok(res.ok, JSON.stringify(res));
    return (res as { data: BlockViewData }).data;
  }

  it('gives the reference solution full marks, hidden checks included', async () => {
    const report = await gradeLab(s.engine, s.lab, workspace(true), { extensionVersion: '9.9.9' });
    const failing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    assert.deepEqual(failing, []);
    assert.equal(report.checks.length, s.lab.manifest.checks.length);
    assert.ok(report.checks.some((c) => c.hidden));
    assert.equal(report.percent, 100);
  });

  it('gives the starter zero: every check errors with the TODO', async () => {
    await expectStarterNotStarted(s.engine, s.lab);
  });

  it('the solution also passes with a learner\'s own Lab 1 attention.ts (Lab 1\'s solution text)', async () => {
    const dir = workspace(true);
    writeFileSync(join(dir, 'attention.ts'), readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8'));
    const run = await s.engine.run(s.lab, readLabFiles(s.lab, dir), { includeHidden: true });
    assert.deepEqual(run.outcomes.filter((o) => o.status !== 'pass').map((o) => `${o.spec.id}: ${o.message}`), []);
    const data = await view(dir, { layers: 2, heads: 1 });
    assert.equal(data.attentionSource, 'learner');
    assert.match(data.source, /your own Lab 1 code/);
  });

  it('wrong results fail with expected vs actual: unbiased variance, and Post-LN written as Pre-LN', async () => {
    const dir = workspace(true);
    const file = join(dir, 'block.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text
        .replace('    variance /= d;', '    variance /= d - 1;')
        .replace('return tf.tidy(() => layerNorm(tf.add(x, sublayer(x)), ln) as tf.Tensor2D);', 'return preLN(x, sublayer, ln);'),
    );
    const run = await s.engine.run(s.lab, readLabFiles(s.lab, dir), { includeHidden: true });
    const byId = new Map(run.outcomes.map((o) => [o.spec.id, o]));
    assert.equal(byId.get('layernorm-loops-normalises')!.status, 'fail');
    assert.match(byId.get('layernorm-loops-normalises')!.message, /divided the variance by d−1/);
    assert.equal(byId.get('post-ln-formula')!.status, 'fail');
    assert.match(byId.get('post-ln-formula')!.message, /expected .*, got/);
    assert.equal(byId.get('pre-vs-post-ln')!.status, 'fail');
    assert.equal(byId.get('pre-ln-formula')!.status, 'pass');
    assert.equal(byId.get('layernorm-matches-reference')!.status, 'pass', 'the tensor LayerNorm is untouched');
  });

  it('the block view on the solution: both arrangements, per-layer numbers equal to the reference', async () => {
    const data = await view(workspace(true), { sentence: 'the cat sat on the mat', layers: 6, heads: 2 });
    assert.deepEqual(data.input, { sentence: 'the cat sat on the mat', layers: 6, heads: 2 });
    assert.deepEqual(data.tokens, ['the', 'cat', 'sat', 'on', 'the', 'mat']);
    assert.equal(data.learnerError, undefined);
    assert.equal(data.attentionSource, 'reference');
    assert.match(data.source, /seeded random/);
    assert.equal(data.gradients, true, 'the sidecar registers tfjs gradients, so the panel has gradient norms');
    assert.deepEqual(data.runs.map((r) => r.norm), ['pre', 'post']);
    for (const run of data.runs) {
      assert.equal(run.reference.length, 6);
      assert.ok(run.learner);
      run.learner!.forEach((s, l) => {
        const ref = run.reference[l];
        assert.equal(s.layer, l + 1);
        for (const k of ['residualNorm', 'mean', 'std'] as const) {
          assert.ok(Number.isFinite(s[k]));
          assert.ok(Math.abs(s[k] - ref[k]) <= data.tolerance * Math.max(1, Math.abs(ref[k])), `${run.norm} layer ${l + 1} ${k}: ${s[k]} vs ${ref[k]}`);
        }
        assert.ok(ref.gradNorm! > 0 && Math.abs(s.gradNorm! - ref.gradNorm!) <= data.tolerance * ref.gradNorm!, `${run.norm} layer ${l + 1} gradient norm: ${s.gradNorm} vs ${ref.gradNorm}`);
      });
      assert.equal(run.attention.reference.length, 6);
      assert.deepEqual([run.attention.learner![0].length, run.attention.learner![0][0].length, run.attention.learner![0][0][0].length], [2, 6, 6]);
    }
    // Post-LN's residual stream is re-normalised by every block: its norm stays near √d = 4.
    const post = data.runs[1].reference;
    assert.ok(post.every((s) => Math.abs(s.residualNorm - 4) < 0.5), JSON.stringify(post.map((s) => s.residualNorm)));
    // Pre-LN's residual stream only ever has things added to it: it grows with depth.
    const pre = data.runs[0].reference;
    assert.ok(pre[5].residualNorm > pre[0].residualNorm);
  });

  it('the block view on the starter: reference numbers and a learnerError, no throw', async () => {
    const data = await view(workspace(false), { sentence: '', layers: 99, heads: 3 });
    assert.deepEqual({ layers: data.input.layers, heads: data.input.heads }, { layers: 24, heads: 2 });
    assert.ok(data.tokens.length > 0, 'an empty sentence falls back to the default');
    assert.match(data.learnerError!.message, /encoderStack\(\) is not started yet/);
    for (const run of data.runs) {
      assert.equal(run.learner, null);
      assert.equal(run.attention.learner, null);
      assert.equal(run.reference.length, 24);
      assert.match(run.learnerError!.message, /is not started yet/);
    }
  });

  it('a stack that returns the wrong shape gives a learnerError with the shape', async () => {
    const dir = workspace(true);
    const file = join(dir, 'block.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    hidden.push(h);\n    weights.push(r.weights);\n  }\n  const output = opts.norm', '    weights.push(r.weights);\n  }\n  const output = opts.norm'));
    const data = await view(dir, { layers: 3 });
    assert.match(data.learnerError!.message, /3 entries in hidden/);
    assert.equal(data.runs[0].learner, null);
    assert.equal(data.runs[0].reference.length, 3);
  });
});
