// The webgpu route on this machine's adapter (llvmpipe in CI, through Mesa's software Vulkan
// driver): which backend each preference picks and why, what the status hover is told, and
// Set Up GPU Compute's probe process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../../core/compute/paths';
import { SidecarClient } from '../../core/compute/sidecarClient';
import { parseNodeVersion, sandboxFlags } from '../../core/compute/sandboxFlags';
import { runGpuProbe } from '../../core/compute/runGpuProbe';
import { describeProbe, SELF_TEST_TOLERANCE } from '../../core/compute/gpuProbeResult';
import type { BackendPreference } from '../../core/protocol/sidecar';
import { backendHoverMarkdown } from '../../src/compute/backendHover';
import { WEBGPU_ERROR } from '../../sidecar/backend/webgpu';
import { inFreshNode } from '../support/freshNode';
import { repoRoot } from '../support/repoRoot';
import { FIXTURE_LABS, testSidecar } from '../support/sidecar';

const dist = findBuildPaths(join(repoRoot(), 'dist'));
const v = parseNodeVersion(process.version);

async function started(backend: BackendPreference, gpuModulesDir?: string) {
  const client = new SidecarClient({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, labsDist: dist.labsDist, backend, gpuModulesDir });
  try {
    return (await client.start()).backend;
  } finally {
    await client.dispose();
  }
}

describe('webgpu route: backend choice on a software adapter', function () {
  this.timeout(120_000);

  it('"webgpu" runs on the software adapter and says so (adapter, permission model off)', async () => {
    const info = await started('webgpu');
    assert.equal(info.name, 'webgpu');
    assert.ok(info.adapter, 'the adapter is reported');
    assert.equal(info.adapter.software, true, `this machine has no GPU: ${JSON.stringify(info.adapter)}`);
    assert.match(`${info.adapter.description} ${info.adapter.device}`, /llvmpipe|lavapipe|swiftshader/i);
    assert.equal(info.permissionModel, false);
    const md = backendHoverMarkdown(info, 'test');
    assert.match(md, /WebGPU adapter: .*llvmpipe.*software/);
    // Learner code runs in the check process; its containment report says why the model is off.
    assert.match(md, /permission model is off: a native backend \(.*dawn\.node\) may load/);
    assert.equal(info.containment?.permissionModel.on, false);
  });

  it('"auto" without Set Up GPU Compute\'s webgpu leaves it out and says why; it runs on wasm', async () => {
    const info = await started('auto');
    assert.equal(info.name, 'wasm');
    const webgpu = info.attempts.find((a) => a.backend === 'webgpu');
    assert.ok(webgpu && !webgpu.ok);
    assert.match(webgpu.reason!, /not chosen automatically: the webgpu package is not installed/);
    assert.match(backendHoverMarkdown(info, 'test'), /\$\(close\) `webgpu`: not chosen automatically/);
  });

  it('"auto" with webgpu where Set Up GPU Compute installs it: the probe finds only a software adapter, so wasm with the permission model on', async () => {
    // The layout Set Up GPU Compute makes in the extension's global storage: <dir>/node_modules/webgpu.
    const dir = mkdtempSync(join(tmpdir(), 'tl-gpu-modules-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(join(repoRoot(), 'node_modules', 'webgpu'), join(dir, 'node_modules', 'webgpu'), 'dir');
      const info = await started('auto', dir);
      assert.equal(info.name, 'wasm');
      const webgpu = info.attempts.find((a) => a.backend === 'webgpu');
      assert.match(webgpu?.reason ?? '', /not chosen automatically: the only WebGPU adapter is a software one \(.*llvmpipe.*\), slower than wasm/);
      assert.equal(info.containment?.permissionModel.on, true, info.containment?.permissionModel.reason);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"gpu" without a hardware adapter fails with both routes\' reasons, no silent fallback', async () => {
    await assert.rejects(started('gpu'), /tensorflow-gpu: .*not installed.*webgpu: the only WebGPU adapter is a software one/);
  });

  it('under the permission model, webgpu does not load dawn.node and says the sandbox refuses it', () => {
    // The sidecar itself runs unconfined (it starts the check processes); the refusal is
    // loadBackend's, in any process under the model, so it is tried in one directly.
    const script = `require(${JSON.stringify(join(repoRoot(), 'out', 'sidecar', 'backend', 'loadBackend.js'))}).loadBackend('webgpu').then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); })`;
    const r = spawnSync(process.execPath, [...sandboxFlags(v.major, v.minor, ['*']), '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /webgpu: Node's permission model \(the sandbox\) is on and refuses native addons/);
  });

  it('the setup probe finds the adapter, agrees with the cpu matMul, ends by itself, and says auto keeps the checks on their backend (a software adapter)', async () => {
    const began = Date.now();
    const r = await runGpuProbe({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, timeoutMs: 60_000 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.adapter.software, true);
    assert.ok(r.maxAbsDiff <= SELF_TEST_TOLERANCE, `max |webgpu − cpu| = ${r.maxAbsDiff}`);
    assert.ok(Date.now() - began < 60_000, 'the probe process exited on its own (a live navigator.gpu would keep it running)');
    const d = describeProbe(r);
    assert.equal(d.works, true);
    assert.match(d.message, /WebGPU works on .*llvmpipe.* \(a software adapter, slower than wasm\).*"auto" keeps the checks on their backend/);
  });

  it('a cancelled probe reports "cancelled" and leaves no process behind', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await runGpuProbe({ nodePath: process.execPath, sidecarScript: dist.sidecarScript, signal: ac.signal });
    assert.deepEqual(r, { ok: false, reason: 'cancelled' });
  });

  it('tf.addN of more tensors than a shader may bind (Dawn\'s default: 8) sums them all, not to zeros', async () => {
    const client = testSidecar({ labsDist: FIXTURE_LABS, backend: 'webgpu', execArgv: [] });
    // 64×64 inputs computed on the GPU (tfjs-backend-webgpu computes small ones on the CPU).
    const text = (n: number) =>
      `import * as tf from '@tensorflow/tfjs-core';\nexport function sumTensor(t: tf.Tensor): tf.Tensor {\n` +
      `  const parts = Array.from({ length: ${n} }, (_, i) => tf.mul(tf.ones([64, 64]), i + 1));\n` +
      `  return tf.div(tf.mul(tf.sum(t), tf.mean(tf.addN(parts))), ${(n * (n + 1)) / 2});\n}`;
    try {
      for (const n of [3, 7, 8, 12, 40]) {
        const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text: text(n) }], checkIds: ['tensor-sum'], limits: { timeoutMs: 30_000, memoryMb: 256 } });
        assert.equal(r.backend, 'webgpu');
        assert.equal(r.results[0].status, 'pass', `${n} tensors: ${r.results[0].message}`);
      }
    } finally {
      await client.dispose();
    }
  });

  it('after the device reports an error, the next read fails with it instead of handing out zeros; later reads work', () => {
    const r = inFreshNode(
      `const { loadBackend } = require('./out/sidecar/backend/loadBackend');
      const { releaseWebGpu } = require('./out/sidecar/backend/webgpu');
      const { tf, info } = await loadBackend('webgpu');
      const big = (k) => tf.mul(tf.ones([64, 64]), k);
      const before = (await big(2).data())[0];
      // What an invalid kernel pipeline does: a validation error, reported as an event, no throw.
      tf.backend().device.createShaderModule({ code: 'not wgsl' });
      let message = null;
      try { await big(3).data(); } catch (e) { message = e.message; }
      const after = (await big(4).data())[0];
      releaseWebGpu(tf);
      report({ backend: info.name, before, message, after });`,
      repoRoot(),
    ) as { backend: string; before: number; message: string | null; after: number };
    assert.equal(r.backend, 'webgpu');
    assert.equal(r.before, 2);
    assert.ok(r.message?.startsWith(WEBGPU_ERROR), String(r.message));
    assert.match(r.message!, /Error while parsing WGSL/);
    assert.equal(r.after, 4);
  });

  it('learner code that reads GPU data synchronously gets a clear message, not "OffscreenCanvas is not defined"; t.print() prints once read', async () => {
    const logs: string[] = [];
    const client = testSidecar({ labsDist: FIXTURE_LABS, backend: 'webgpu', execArgv: [], log: (_l, m) => logs.push(m) });
    const run = async (body: string) => {
      const text = `import * as tf from '@tensorflow/tfjs-core';\nexport function two(): number {\n${body}\n}`;
      const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text }], checkIds: ['returns-two'], limits: { timeoutMs: 30_000, memoryMb: 256 } });
      return r;
    };
    try {
      // 64×64: above the size (128 elements) below which tfjs-backend-webgpu computes on the CPU.
      const sync = await run('return tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0] / 32;');
      assert.equal(sync.backend, 'webgpu');
      assert.equal(sync.results[0].status, 'error');
      assert.match(sync.results[0].message, /cannot read a tensor synchronously in Node.*OffscreenCanvas.*await tensor\.data\(\)/);
      const plain = await run('return 2;');
      assert.equal(plain.results[0].status, 'pass');
      // t.print() while debugging, inside a tidy that ends before the read does: printed, once read.
      logs.length = 0;
      const printed = await run('tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).slice([0, 0], [1, 3]).print()); return 2;');
      assert.equal(printed.results[0].status, 'pass', JSON.stringify(printed.results[0]));
      // In the run's own output (the run waits for it), so with the [lab code] mark.
      assert.ok(logs.some((l) => /^\[lab code\] Tensor\s+\[\[64, 64, 64\],?\]/.test(l)), logs.join('\n'));
    } finally {
      await client.dispose();
    }
  });
});
