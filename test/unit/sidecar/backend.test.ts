// Backend choice: the order per preference, the reasons given when a backend is missing,
// and the util.is* polyfill that native tfjs needs on Node >= 23.
import assert from 'node:assert/strict';
import { allowsSoftwareAdapter, autoSkips, backendOrder, explainLoadFailure } from '../../../sidecar/backend/backendOrder';
import { describeAdapter } from '../../../sidecar/backend/webgpu';
import { adapterName } from '../../../core/compute/gpuAdapter';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { polyfillUtilIs } from '../../../sidecar/backend/utilPolyfill';

describe('backend selection', function () {
  this.timeout(30_000);

  it('auto tries the CUDA GPU, native CPU, wasm, then plain cpu; gpu means either GPU route; explicit preferences try one', () => {
    assert.deepEqual(backendOrder('auto'), ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    assert.deepEqual(backendOrder('gpu'), ['tensorflow-gpu', 'webgpu']);
    assert.deepEqual(backendOrder('webgpu'), ['webgpu']);
    assert.deepEqual(backendOrder('node'), ['tensorflow']);
    assert.deepEqual(backendOrder('wasm'), ['wasm']);
    assert.deepEqual(backendOrder('cpu'), ['cpu']);
  });

  it('auto leaves webgpu out with a reason; only an explicit "webgpu" takes a software adapter', () => {
    assert.deepEqual(autoSkips('auto').map((s) => s.backend), ['webgpu']);
    assert.match(autoSkips('auto')[0].reason, /synchronously.*OffscreenCanvas/);
    assert.deepEqual(autoSkips('gpu'), []);
    assert.deepEqual((['auto', 'gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const).filter(allowsSoftwareAdapter), ['webgpu']);
  });

  it('tells software adapters from hardware ones by the fallback flag or the name', () => {
    const llvmpipe = describeAdapter({ info: { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)', isFallbackAdapter: true } });
    assert.equal(llvmpipe.software, true);
    assert.equal(adapterName(llvmpipe), 'mesa llvmpipe: Mesa 25.0.7 (LLVM 15.0.6), software');
    assert.equal(describeAdapter({ info: { vendor: 'google', description: 'SwiftShader Device (Subzero)' } }).software, true, 'by name, without the flag');
    const nvidia = describeAdapter({ info: { vendor: 'nvidia', architecture: 'ada-lovelace', device: '', description: 'NVIDIA GeForce RTX 4070' } });
    assert.equal(nvidia.software, false);
    assert.equal(adapterName(nvidia), 'NVIDIA GeForce RTX 4070, ada-lovelace, hardware');
    assert.equal(adapterName(describeAdapter({})), 'unnamed adapter, hardware');
  });

  it('explains why the webgpu route did not load: not installed, the sandbox, no Vulkan loader', () => {
    const missing = Object.assign(new Error("Cannot find module 'webgpu'"), { code: 'MODULE_NOT_FOUND' });
    assert.match(explainLoadFailure('webgpu', missing), /webgpu package \(Dawn\) is not installed: run "Transformer Labs: Set Up GPU Compute"/);
    assert.match(explainLoadFailure('webgpu', Object.assign(new Error('x'), { code: 'ERR_DLOPEN_DISABLED' })), /permission model \(the sandbox\) is on/);
    assert.match(explainLoadFailure('webgpu', new Error('libvulkan.so.1: cannot open shared object file')), /Vulkan loader/);
    assert.match(explainLoadFailure('webgpu', new Error('boom')), /WebGPU \(Dawn\) did not start: boom/);
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
    assert.deepEqual(info.attempts.map((a) => [a.backend, a.ok]), [['webgpu', false], ['tensorflow-gpu', false], ['tensorflow', false], ['wasm', true]]);
    assert.match(info.attempts[0].reason!, /not chosen automatically/);
    assert.match(info.attempts[1].reason!, /tfjs-node-gpu is not installed/);
    assert.deepEqual(info.order, ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    assert.equal(info.permissionModel, false, 'mocha runs without the permission model');
  });

  it('an explicit gpu preference that cannot be met fails with the reason, not a silent fallback', async () => {
    // Here: a software adapter (llvmpipe) once the webgpu suite installed it, else no adapter or no Vulkan loader.
    await assert.rejects(loadBackend('gpu'), /no TensorFlow\.js backend could be loaded for "gpu" \(tensorflow-gpu: .*not installed.*; webgpu: (the only WebGPU adapter is a software one|WebGPU \(Dawn\) did not start|Dawn needs the Vulkan loader)/);
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
