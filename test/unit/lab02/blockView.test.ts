// The block view in-process with tfjs's gradients registered (as the training scripts do):
// the learner's (solution's) per-layer gradient norms equal the reference's, and the numbers
// show what the instructions claim about Pre-LN and Post-LN at depth.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { CheckContext } from '../../../core/checks/checkApi';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import { mulberry32 } from '../../../sidecar/reference/random';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { blockView, gradientsAvailable } from '../../../labs/02-transformer-block/visualize';
import { registerTfjsExtras } from '../../../sidecar/backend/tfjsExtras';
import { repoRoot } from '../../support/repoRoot';
import { runViewHere } from '../../support/runView';
import type { BlockViewData } from '../../../core/protocol/views/blockView';

function solutionCtx(): CheckContext {
  const dir = join(repoRoot(), 'labs', '02-transformer-block', 'solution');
  const { files } = transpile(['block.ts', 'attention.ts'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') })));
  const sandbox = new Sandbox(files, { tf, helpers, log: () => undefined });
  return { tf, rng: mulberry32, fn: (file: string, name: string) => sandbox.exportsOf(file)[name] as never };
}

describe('Lab 2 block view with gradients', function () {
  this.timeout(120_000);
  before(async () => {
    await loadBackend('wasm');
    registerTfjsExtras(tf);
  });

  it('gives learner gradient norms equal to the reference, Post-LN ≈ √d residual norm, Pre-LN growing', async () => {
    assert.ok(gradientsAvailable(tf));
    const started = Date.now();
    tf.engine().startScope();
    const data = await runViewHere<BlockViewData>(blockView, solutionCtx(), { layers: 12, heads: 2 });
    tf.engine().endScope();
    const ms = Date.now() - started;
    assert.equal(data.gradients, true);
    assert.equal(data.learnerError, undefined);
    for (const run of data.runs) {
      run.reference.forEach((ref, l) => {
        const got = run.learner![l];
        assert.ok(ref.gradNorm! > 0 && Number.isFinite(ref.gradNorm!));
        assert.ok(Math.abs(got.gradNorm! - ref.gradNorm!) <= 1e-3 * ref.gradNorm!, `${run.norm} layer ${l + 1}: ${got.gradNorm} vs ${ref.gradNorm}`);
      });
    }
    const [pre, post] = data.runs.map((r) => r.reference);
    const show = (s: typeof pre) => s.map((x) => `${x.layer}: |h| ${x.residualNorm.toFixed(2)}, grad ${x.gradNorm!.toFixed(3)}`).join('; ');
    console.log(`      block view, 12 layers, 2 heads, ${data.tokens.length} tokens: ${ms} ms\n      Pre-LN  ${show(pre)}\n      Post-LN ${show(post)}`);
    assert.ok(post.every((s) => Math.abs(s.residualNorm - 4) < 0.5));
    assert.ok(pre[11].residualNorm > 1.5 * pre[0].residualNorm);
  });
});
