// How the check process is started, decided by trying the layers on this machine: the paths the
// permission model lets it read, what happens without a working unshare, with a native backend
// installed, and on VS Code's runtime — and the flags Node gets for each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxFlags } from '../../../core/compute/sandboxFlags';
import { findBuildPaths } from '../../../core/compute/paths';
import { prepareContainment, readPaths } from '../../../sidecar/runner/containment';

const build = findBuildPaths(__dirname);
const workerFile = join(build.buildRoot, 'sidecar', 'runner', 'worker.js');

describe('containment of the check process', function () {
  this.timeout(60_000);

  it('reads only the build, the shipped media (models, texts) and (for tsc output) node_modules, no folder twice', () => {
    const paths = readPaths(workerFile, build.labsDist);
    assert.ok(paths.includes(build.buildRoot));
    assert.ok(paths.includes(join(build.packageRoot, 'media')));
    assert.ok(paths.includes(join(build.packageRoot, 'node_modules')));
    assert.ok(!paths.includes(build.labsDist), 'the labs are inside the build: listing them too makes Node 20 refuse the build folder itself');
    assert.ok(!paths.includes(build.packageRoot), 'never the whole checkout');
  });

  it('one --allow-fs-read per path, and no --allow-worker (a worker can shed the permission model)', () => {
    const flags = sandboxFlags(20, 20, ['/a', '/b,c']);
    assert.deepEqual(flags, ['--experimental-permission', '--allow-fs-read=/a', '--allow-fs-read=/b,c', '--no-warnings']);
    assert.equal(sandboxFlags(22, 13, [])[0], '--permission');
    assert.equal(sandboxFlags(23, 4, [])[0], '--experimental-permission');
    assert.deepEqual(sandboxFlags(18, 0, ['/a']), []);
    assert.ok(!flags.some((f) => /allow-worker|allow-child-process|allow-fs-write/.test(f)));
  });

  it('on this machine: the permission model, and the network namespace exactly where unshare works', async () => {
    const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile });
    assert.equal(c.report.permissionModel.on, true, c.report.permissionModel.reason);
    const unshareWorks = process.platform === 'linux' && spawnSync('unshare', ['--user', '--map-root-user', '--net', 'true']).status === 0;
    assert.equal(c.report.os.networkIsolated, unshareWorks, c.report.os.how);
    const launch = c.launch(300);
    const args = [launch.command, ...launch.args];
    assert.ok(args.includes('--max-old-space-size=300'));
    assert.ok(args.includes('--disallow-code-generation-from-strings'));
    assert.equal(args[args.length - 1], workerFile);
    assert.deepEqual(Object.keys(launch.env), [], 'an empty environment');
  });

  it('without a working unshare: no network namespace, said why, and the other layers still probed and on', async () => {
    const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile, unshare: '/bin/false' });
    assert.equal(c.report.os.networkIsolated, false);
    assert.equal(c.report.os.processesIsolated, false);
    assert.match(c.report.os.how, /no network namespace \(unshare refused.*only the JavaScript layer refuses the network/);
    assert.equal(c.report.permissionModel.on, true);
    const launch = c.launch(256);
    assert.equal(launch.command, process.execPath, 'Node is started directly');
    assert.ok(launch.args.includes('--disallow-code-generation-from-strings'));
  });

  it('with a native backend installed: the permission model off, saying why; CUDA variables pass, nothing else', async () => {
    const gpu = mkdtempSync(join(tmpdir(), 'tl-gpu-'));
    const pkg = join(gpu, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node-gpu', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), '');
    writeFileSync(join(gpu, 'package.json'), '{}');
    process.env.CUDA_VISIBLE_DEVICES = '0';
    process.env.TL_CANARY_SECRET = 'do-not-pass';
    try {
      const c = await prepareContainment({ backend: 'auto', gpuModulesDir: gpu, labsDist: build.labsDist, workerFile });
      assert.equal(c.report.permissionModel.on, false);
      assert.match(c.report.permissionModel.reason ?? '', /native backend \(tfjs-node, tfjs-node-gpu, or the WebGPU route's dawn\.node\) may load: .* outside Node's permission model/);
      const launch = c.launch(256);
      assert.ok(!launch.args.some((a) => /permission|allow-fs/.test(a)));
      assert.equal(launch.env.CUDA_VISIBLE_DEVICES, '0');
      assert.equal(launch.env.TL_CANARY_SECRET, undefined);
      // With wasm asked for, the native package does not matter.
      const wasm = await prepareContainment({ backend: 'wasm', gpuModulesDir: gpu, labsDist: build.labsDist, workerFile });
      assert.equal(wasm.report.permissionModel.on, true);
    } finally {
      delete process.env.CUDA_VISIBLE_DEVICES;
      delete process.env.TL_CANARY_SECRET;
    }
  });

  it("on VS Code's runtime (ELECTRON_RUN_AS_NODE): no permission model, said why, and the variable kept so Electron runs as Node", async () => {
    process.env.ELECTRON_RUN_AS_NODE = '1';
    try {
      const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile });
      assert.equal(c.report.permissionModel.on, false);
      assert.match(c.report.permissionModel.reason ?? '', /VS Code's built-in runtime/);
      assert.deepEqual(c.launch(256).env, { ELECTRON_RUN_AS_NODE: '1' });
    } finally {
      delete process.env.ELECTRON_RUN_AS_NODE;
    }
  });

  it("the checks' realm, hardened: no code generation even without the process flag, built-ins frozen, ordinary code unchanged", () => {
    // In a child process: hardening freezes the realm it runs in.
    const script = `
      const { hardenRealm } = require(${JSON.stringify(join(build.buildRoot, 'sidecar', 'runner', 'hardenRealm.js'))});
      const out = {};
      hardenRealm();
      const tryIt = (f) => { try { return 'ran: ' + String(f()); } catch (e) { return e.name + ': ' + e.message; } };
      out.fnCtor = tryIt(() => (function () {}).constructor('return 1')());
      out.asyncCtor = tryIt(() => (async function () {}).constructor('return 1'));
      out.globalFunction = tryIt(() => Function('return 1')());
      out.patchArray = tryIt(() => { 'use strict'; Array.prototype.every = () => true; });
      out.patchMath = tryIt(() => { 'use strict'; Math.abs = () => 0; });
      out.stackApi = tryIt(() => { 'use strict'; Error.prepareStackTrace = () => 'x'; });
      class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }
      out.ownName = new MyError('m').name;
      const o = {}; o.toString = () => 'own'; out.ownToString = String(o);
      out.arrays = [3, 1, 2].map((x) => x * 2).sort().join(',');
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    assert.match(out.fnCtor, /^EvalError: Code generation from strings disallowed/);
    assert.match(out.asyncCtor, /^EvalError: Code generation from strings disallowed/);
    assert.equal(out.globalFunction, 'ran: 1', 'trusted code that holds the global Function still can (learner code cannot reach it)');
    assert.match(out.patchArray, /^TypeError: Cannot assign to read only property 'every'/);
    assert.match(out.patchMath, /^TypeError: Cannot assign to read only property 'abs'/);
    assert.match(out.stackApi, /^TypeError: Cannot (add property|assign to read only property) 'prepareStackTrace'/);
    assert.equal(out.ownName, 'MyError');
    assert.equal(out.ownToString, 'own');
    assert.equal(out.arrays, '2,4,6');
  });
});
