// Backend choice: the order per preference, the reasons given when a backend is missing,
// and the util.is* polyfill that native tfjs needs on Node >= 23.
import assert from 'node:assert/strict';
import { backendOrder, explainLoadFailure } from '../../../sidecar/backend/backendOrder';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { polyfillUtilIs } from '../../../sidecar/backend/utilPolyfill';

describe('backend selection', function () {
  this.timeout(30_000);

  it('auto tries GPU, native CPU, wasm, then plain cpu; explicit preferences try one', () => {
    assert.deepEqual(backendOrder('auto'), ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    assert.deepEqual(backendOrder('gpu'), ['tensorflow-gpu']);
    assert.deepEqual(backendOrder('node'), ['tensorflow']);
    assert.deepEqual(backendOrder('wasm'), ['wasm']);
    assert.deepEqual(backendOrder('cpu'), ['cpu']);
  });

  it('explains a missing GPU package with the command that installs it', () => {
    const err = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node-gpu'"), { code: 'MODULE_NOT_FOUND' });
    assert.match(explainLoadFailure('tensorflow-gpu', err), /not installed: run "Transformer Labs: Set Up GPU Compute".*CUDA 11\.2/);
  });

  it('explains a CUDA load failure and the Node >= 23 crash distinctly', () => {
    assert.match(explainLoadFailure('tensorflow-gpu', new Error('libcudart.so.11.0: cannot open shared object file')), /CUDA could not be loaded/);
    assert.match(explainLoadFailure('tensorflow', new TypeError('util.isNullOrUndefined is not a function')), /#8609/);
  });

  it('auto on this machine (no native TensorFlow) falls through to wasm, saying why', async () => {
    const { info, tf } = await loadBackend('auto');
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.deepEqual(info.attempts.map((a) => [a.backend, a.ok]), [['tensorflow-gpu', false], ['tensorflow', false], ['wasm', true]]);
    assert.match(info.attempts[0].reason!, /tfjs-node-gpu is not installed/);
  });

  it('an explicit gpu preference that cannot be met fails with the reason, not a silent fallback', async () => {
    await assert.rejects(loadBackend('gpu'), /no TensorFlow\.js backend could be loaded for "gpu" \(tensorflow-gpu: .*not installed/);
  });

  it('polyfills exactly the util.is* helpers that are missing', () => {
    const target: Record<string, unknown> = { isArray: Array.isArray };
    const added = polyfillUtilIs(target);
    assert.ok(!added.includes('isArray'), 'an existing helper is kept');
    assert.ok(added.includes('isNullOrUndefined'));
    const isNullOrUndefined = target.isNullOrUndefined as (v: unknown) => boolean;
    assert.equal(isNullOrUndefined(null), true);
    assert.equal(isNullOrUndefined(0), false);
    assert.equal((target.isPrimitive as (v: unknown) => boolean)({}), false);
  });
});
