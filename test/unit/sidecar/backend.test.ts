// Backend choice: the order per preference, the reasons given when a backend is missing,
// and the util.is* polyfill that native tfjs needs on Node >= 23.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { allowsSoftwareAdapter, autoSkips, backendOrder, explainLoadFailure } from '../../../sidecar/backend/backendOrder';
import { describeAdapter, probeAdapter } from '../../../sidecar/backend/webgpu';
import { adapterName } from '../../../core/compute/gpuAdapter';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { polyfillUtilIs } from '../../../sidecar/backend/utilPolyfill';
import { inFreshNode } from '../../support/freshNode';
import { hasChainedOps, hasGradients, registerTfjsExtras } from '../../../sidecar/backend/tfjsExtras';

/** A compiled module of sidecar/backend, to require in another process. */
const backendModule = (name: string) => JSON.stringify(require.resolve(`../../../sidecar/backend/${name}`));

/**
 * Runs `code` in a new Node process (test/support/freshNode.ts) from the compiled backend folder.
 * Dawn's instance and tfjs's registries live as long as the process, so what happens on a first
 * load is only seen in a fresh one.
 */
const inFreshProcess = (code: string): unknown => inFreshNode(code, dirname(JSON.parse(backendModule('loadBackend')) as string));

describe('backend selection', function () {
  this.timeout(30_000);

  it('Dawn starts from the GPU setup folder or, lacking it there, the sidecar\'s own; it finds an adapter or says it needs a Vulkan driver; its constants become globals', async () => {
    // First in the file: Dawn's instance is made once per thread, on the first probe.
    const emptySetupFolder = mkdtempSync(join(tmpdir(), 'tl-gpu-empty-'));
    const probed = await probeAdapter(emptySetupFolder).then(
      (r) => r.adapter,
      (err: Error) => err.message,
    );
    if (typeof probed === 'string') {
      assert.equal(probed, "Dawn found no WebGPU adapter (on Linux it needs a Vulkan driver: the GPU vendor's, or mesa-vulkan-drivers ≥ 24 for a software one)");
    } else {
      assert.deepEqual(Object.keys(probed).sort(), ['architecture', 'description', 'device', 'software', 'vendor']);
    }
    // tfjs-backend-webgpu reads WebGPU's constants as globals, as in a browser.
    for (const name of ['GPUBufferUsage', 'GPUMapMode', 'GPUTextureUsage']) assert.notEqual((globalThis as Record<string, unknown>)[name], undefined, name);

    // The same on a first probe in a fresh process (a later probe here reuses the instance).
    const probe = (setupFolder: string) => `
      require(${backendModule('webgpu')}).probeAdapter(${JSON.stringify(setupFolder)})
        .then((r) => ({ adapter: r.adapter }), (e) => ({ error: e.message }))
        .then((o) => report({ ...o, globals: ['GPUBufferUsage', 'GPUMapMode', 'TL_FAKE_DAWN'].map((n) => typeof globalThis[n]) }));`;
    const own = inFreshProcess(probe(emptySetupFolder)) as { adapter?: object; error?: string; globals: string[] };
    if (own.error) assert.equal(own.error, "Dawn found no WebGPU adapter (on Linux it needs a Vulkan driver: the GPU vendor's, or mesa-vulkan-drivers ≥ 24 for a software one)");
    else assert.deepEqual(Object.keys(own.adapter!).sort(), ['architecture', 'description', 'device', 'software', 'vendor']);
    assert.notEqual(own.globals[0], 'undefined');
    assert.notEqual(own.globals[1], 'undefined');
    // A webgpu package in the GPU setup folder is the one used: here one standing in for Dawn.
    const setupFolder = mkdtempSync(join(tmpdir(), 'tl-gpu-dawn-'));
    mkdirSync(join(setupFolder, 'node_modules', 'webgpu'), { recursive: true });
    writeFileSync(
      join(setupFolder, 'node_modules', 'webgpu', 'index.js'),
      "module.exports = { globals: { TL_FAKE_DAWN: 7 }, create: () => ({ requestAdapter: async () => ({ info: { vendor: 'tl', description: 'stand-in adapter' } }) }) };",
    );
    assert.deepEqual(inFreshProcess(probe(setupFolder)), {
      adapter: { vendor: 'tl', architecture: '', device: '', description: 'stand-in adapter', software: false },
      globals: ['undefined', 'undefined', 'number'],
    });
  });

  it('auto tries the CUDA GPU, (WebGPU where the probe passed a hardware adapter), native CPU, wasm, then plain cpu; gpu means either GPU route; explicit preferences try one', () => {
    assert.deepEqual(backendOrder('auto'), ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    assert.deepEqual(backendOrder('auto', { webgpu: false, reason: 'x' }), ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    assert.deepEqual(backendOrder('auto', { webgpu: true }), ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    assert.deepEqual(backendOrder('wasm', { webgpu: true }), ['wasm'], 'only auto asks the probe');
    assert.deepEqual(backendOrder('gpu'), ['tensorflow-gpu', 'webgpu']);
    assert.deepEqual(backendOrder('webgpu'), ['webgpu']);
    assert.deepEqual(backendOrder('node'), ['tensorflow']);
    assert.deepEqual(backendOrder('wasm'), ['wasm']);
    assert.deepEqual(backendOrder('cpu'), ['cpu']);
  });

  it('auto leaves webgpu out with a reason; only an explicit "webgpu" takes a software adapter', () => {
    assert.deepEqual(autoSkips('auto').map((s) => s.backend), ['webgpu']);
    assert.match(autoSkips('auto')[0].reason, /not installed \(Set Up GPU Compute installs it\)/);
    assert.deepEqual(autoSkips('auto', { webgpu: false, reason: 'not chosen automatically: a software adapter' }), [{ backend: 'webgpu', reason: 'not chosen automatically: a software adapter' }]);
    assert.deepEqual(autoSkips('auto', { webgpu: true }), []);
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
    assert.deepEqual(describeAdapter({}), { vendor: '', architecture: '', device: '', description: '', software: false });
    // The flag on the adapter itself (older Dawn) and a software name in any one field count.
    assert.equal(describeAdapter({ isFallbackAdapter: true, info: { vendor: 'x' } }).software, true);
    assert.equal(describeAdapter({ info: { vendor: 'x', isFallbackAdapter: true } }).software, true);
    assert.equal(describeAdapter({ info: { vendor: 'x', isFallbackAdapter: false }, isFallbackAdapter: false }).software, false);
    for (const field of ['vendor', 'architecture', 'device', 'description']) {
      assert.equal(describeAdapter({ info: { [field]: 'Microsoft Basic Render Driver' } }).software, true, field);
      assert.equal(describeAdapter({ info: { [field]: 'AMD Radeon' } }).software, false, field);
    }
    assert.equal(describeAdapter({ info: { device: 'lavapipe', isFallbackAdapter: false } }).device, 'lavapipe');
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

  it('names the missing package of each backend, and tells a missing dependency from a missing package', () => {
    const missing = (pkg: string) => Object.assign(new Error(`Cannot find module '${pkg}'`), { code: 'MODULE_NOT_FOUND' });
    assert.equal(explainLoadFailure('tensorflow', missing('@tensorflow/tfjs-node')), '@tensorflow/tfjs-node is not installed');
    assert.equal(explainLoadFailure('wasm', missing('@tensorflow/tfjs-backend-wasm')), '@tensorflow/tfjs-backend-wasm is not installed');
    assert.equal(explainLoadFailure('cpu', missing('@tensorflow/tfjs-backend-cpu')), '@tensorflow/tfjs-backend-cpu is not installed');
    // The package is there but something it needs is not: that is a load failure, not "not installed".
    assert.equal(explainLoadFailure('tensorflow', missing('node-pre-gyp')), "@tensorflow/tfjs-node failed to load: Cannot find module 'node-pre-gyp'");
    assert.equal(explainLoadFailure('webgpu', missing('dawn-helper')), "WebGPU (Dawn) did not start: Cannot find module 'dawn-helper'");
    // A message naming the package without the not-found code is not "not installed" either.
    assert.equal(explainLoadFailure('tensorflow', new Error('@tensorflow/tfjs-node broke')), '@tensorflow/tfjs-node failed to load: @tensorflow/tfjs-node broke');
    assert.equal(explainLoadFailure('cpu', null), '@tensorflow/tfjs-backend-cpu failed to load: null', 'a thrown null');
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
    // The first load installs the wasm BatchMatMul replacement: a two-sided batch broadcast
    // ([2,1,…] · [1,2,…]) makes all four products, which the original kernel gets wrong.
    const a = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 2, 2]);
    const b = tf.tensor4d([1, 0, 0, 1, 2, 0, 0, 2], [1, 2, 2, 2]);
    const product = tf.matMul(a, b);
    assert.deepEqual(product.shape, [2, 2, 2, 2]);
    assert.deepEqual(Array.from(product.dataSync()), [1, 2, 3, 4, 2, 4, 6, 8, 5, 6, 7, 8, 10, 12, 14, 16]);
    // Whole numbers are left to the original kernel, which refuses them with its own words.
    const ints = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32');
    assert.throws(() => tf.matMul(ints, ints), /BatchMatMul for non non-float32 tensors not yet supported/);
    // In a fresh process, the first wasm load replaces the kernel, and a second replacement is refused.
    const fresh = inFreshProcess(`
      const tf = require('@tensorflow/tfjs-core');
      await require(${backendModule('loadBackend')}).loadBackend('wasm');
      report({
        marked: tf.getKernel('BatchMatMul', 'wasm')[Symbol.for('transformer-labs.fastWasmBatchMatMul')] === true,
        again: require(${backendModule('wasmBatchMatMul')}).registerFastWasmBatchMatMul(tf),
      });`);
    assert.deepEqual(fresh, { marked: true, again: false });
  });

  it('an explicit gpu preference that cannot be met fails with the reason, not a silent fallback', async () => {
    // Here: a software adapter (llvmpipe) once the webgpu suite installed it, else no adapter or no Vulkan loader.
    await assert.rejects(loadBackend('gpu'), /no TensorFlow\.js backend could be loaded for "gpu" \(tensorflow-gpu: .*not installed.*; webgpu: (the only WebGPU adapter is a software one|WebGPU \(Dawn\) did not start|Dawn needs the Vulkan loader)/);
  });

  it('looks for native TensorFlow.js in the GPU setup folder first, and says what went wrong there', async () => {
    // Packages of the shape Set Up GPU Compute installs, standing in for @tensorflow/tfjs-node.
    const folder = (body: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'tl-gpu-modules-'));
      const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, 'index.js'), body);
      return dir;
    };
    const reason = async (dir: string) => {
      const err = await loadBackend('node', dir).then(() => undefined, (e: Error) => e.message);
      return err?.replace(/^no TensorFlow\.js backend could be loaded for "node" \(tensorflow: (.*)\)$/s, '$1');
    };
    assert.equal(await reason(folder('module.exports = { setBackend: async () => false };')), '@tensorflow/tfjs-node failed to load: the "tensorflow" backend did not initialise');
    assert.equal(await reason(folder("throw new Error('libtensorflow.so.2: cannot open shared object file');")), '@tensorflow/tfjs-node failed to load: libtensorflow.so.2: cannot open shared object file');
    assert.match((await reason(mkdtempSync(join(tmpdir(), 'tl-gpu-empty-'))))!, /^@tensorflow\/tfjs-node is not installed$/, 'an empty folder falls back to the sidecar\'s own modules');
  });

  it('an explicit cpu preference loads the plain cpu backend', async () => {
    const { info, tf } = await loadBackend('cpu');
    try {
      assert.equal(tf.getBackend(), 'cpu');
      assert.deepEqual(info.attempts, [{ backend: 'cpu', ok: true }]);
      assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()), [4, 6]);
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('probes for gradients on RealDiv and for chained methods on both sub and reshape', () => {
    assert.equal(hasGradients({ getGradient: () => undefined }), false);
    assert.equal(hasGradients({ getGradient: (k: string) => (k === 'RealDiv' ? {} : undefined) }), true);
    const madeFrom = (proto: object) => ({ tensor: () => Object.create(proto) as object });
    assert.equal(hasChainedOps(madeFrom({ sub() {}, reshape() {} })), true);
    assert.equal(hasChainedOps(madeFrom({ sub() {} })), false);
    assert.equal(hasChainedOps(madeFrom({ reshape() {} })), false);
  });

  it('says so when gradients or chained methods are still missing after registering them', async () => {
    const { tf } = await loadBackend('wasm');
    // A tfjs whose registries never gain them: registering runs (from out/sidecar/tfjs-extras.js,
    // or bundled in memory where that was not built) and the check after it fails.
    const never = { getGradient: () => undefined, tensor: (v: number[]) => tf.tensor(v) };
    assert.throws(() => registerTfjsExtras(never), /^Error: TensorFlow\.js gradients or chained tensor methods did not register$/);
    const noChain = { getGradient: (k: string) => tf.getGradient(k), tensor: () => ({}) };
    assert.throws(() => registerTfjsExtras(noChain), /did not register/);
    // In a fresh process the cpu backend has neither until they are registered.
    const fresh = inFreshProcess(`
      const tf = require('@tensorflow/tfjs-core');
      require('@tensorflow/tfjs-backend-cpu');
      const { registerTfjsExtras, hasGradients, hasChainedOps } = require(${backendModule('tfjsExtras')});
      tf.setBackend('cpu').then(() => {
        const before = [hasGradients(tf), hasChainedOps(tf)];
        registerTfjsExtras(tf);
        const grad = Array.from(tf.grad((x) => tf.div(x, 2))(tf.tensor1d([1])).dataSync());
        report({ before, after: [hasGradients(tf), hasChainedOps(tf)], grad, sub: Array.from(tf.tensor1d([3]).sub(1).dataSync()) });
      });`);
    assert.deepEqual(fresh, { before: [false, false], after: [true, true], grad: [0.5], sub: [2] });
    // The real registries have both, before and after.
    assert.doesNotThrow(() => registerTfjsExtras(tf));
    assert.deepEqual(Array.from(tf.grad((x) => tf.div(x, 2))(tf.tensor1d([1])).dataSync()), [0.5]);
    // Chained methods are added to Tensor's prototype at run time; its type does not list them.
    const chained = tf.tensor1d([3]) as unknown as { sub(n: number): { dataSync(): Float32Array } };
    assert.deepEqual(Array.from(chained.sub(1).dataSync()), [2]);
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
