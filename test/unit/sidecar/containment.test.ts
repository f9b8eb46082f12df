// How the check process is started, decided by trying the layers on this machine: the paths the
// permission model lets it read, what happens without a working unshare, with a native backend
// installed, and on VS Code's runtime — and the flags Node gets for each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    assert.notEqual(launch.args[0], launch.command, 'the command is not repeated as its own first argument');
    assert.deepEqual(Object.keys(launch.env), [], 'an empty environment');
    assert.deepEqual(c.report.permissionModel.readPaths, readPaths(workerFile, build.labsDist));
  });

  it('without a working unshare: no network namespace, said why, and the other layers still probed and on', async () => {
    const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile, unshare: '/bin/false', setpriv: '/bin/false' });
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
    // What a native backend may need (CUDA_*, TF_*, the library and program paths) and nothing
    // that merely contains those names.
    const passed = { CUDA_VISIBLE_DEVICES: '0', TF_CPP_MIN_LOG_LEVEL: '2', LD_LIBRARY_PATH: '/cuda/lib', PATH: '/usr/bin', Path: 'C:\\bin', windir: 'C:\\Windows' };
    const kept = { TL_CANARY_SECRET: 'do-not-pass', MY_CUDA_HOME: 'x', XTF_KEY: 'x', LD_LIBRARY_PATH_EXTRA: 'x', PATHEXT: 'x', PathX: 'x', SystemRootX: 'x', windirs: 'x' };
    const saved = { ...process.env };
    Object.assign(process.env, passed, kept);
    try {
      const c = await prepareContainment({ backend: 'auto', gpuModulesDir: gpu, labsDist: build.labsDist, workerFile });
      assert.equal(c.report.permissionModel.on, false);
      assert.match(c.report.permissionModel.reason ?? '', /native backend \(tfjs-node, tfjs-node-gpu, or the WebGPU route's dawn\.node\) may load: .* outside Node's permission model/);
      const launch = c.launch(256);
      assert.ok(!launch.args.some((a) => /permission|allow-fs/.test(a)));
      for (const [k, v] of Object.entries(passed)) assert.equal(launch.env[k], v, k);
      for (const k of Object.keys(kept)) assert.equal(launch.env[k], undefined, k);
      // With wasm asked for, the native package does not matter.
      const wasm = await prepareContainment({ backend: 'wasm', gpuModulesDir: gpu, labsDist: build.labsDist, workerFile });
      assert.equal(wasm.report.permissionModel.on, true);
    } finally {
      for (const k of [...Object.keys(passed), ...Object.keys(kept)]) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it("on VS Code's runtime (ELECTRON_RUN_AS_NODE): no permission model, said why, and the variable kept so Electron runs as Node", async () => {
    process.env.ELECTRON_RUN_AS_NODE = '1';
    try {
      const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile });
      assert.equal(c.report.permissionModel.on, false);
      assert.match(c.report.permissionModel.reason ?? '', /VS Code's built-in runtime/);
      assert.deepEqual(c.report.permissionModel.readPaths, [], 'no paths when the model is off');
      const launch = c.launch(256);
      assert.deepEqual(launch.env, { ELECTRON_RUN_AS_NODE: '1' });
      assert.ok(!launch.args.some((a) => /permission|allow-fs/.test(a)));
      // The other layers were still confirmed (the probe asks nothing of a permission model that is off).
      assert.ok(launch.args.includes('--disallow-code-generation-from-strings'));
      const unshareWorks = process.platform === 'linux' && spawnSync('unshare', ['--user', '--map-root-user', '--net', 'true']).status === 0;
      assert.equal(c.report.os.networkIsolated, unshareWorks, c.report.os.how);
    } finally {
      delete process.env.ELECTRON_RUN_AS_NODE;
    }
  });

  it('on an Electron build (process.versions.electron) too: VS Code\'s runtime, no permission model', async () => {
    Object.defineProperty(process.versions, 'electron', { value: '35.0.0', configurable: true, enumerable: true });
    try {
      const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile });
      assert.equal(c.report.permissionModel.on, false);
      assert.match(c.report.permissionModel.reason ?? '', /VS Code's built-in runtime/);
    } finally {
      delete (process.versions as Record<string, string | undefined>).electron;
    }
  });

  it('on a Node before 20: no permission model, saying which Node', async () => {
    const real = Object.getOwnPropertyDescriptor(process, 'version')!;
    Object.defineProperty(process, 'version', { value: 'v18.19.0', configurable: true });
    try {
      const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile });
      assert.equal(c.report.permissionModel.on, false);
      assert.equal(c.report.permissionModel.reason, 'Node v18.19.0 has no permission model');
      assert.ok(!c.launch(256).args.some((a) => /permission|allow-fs/.test(a)));
    } finally {
      Object.defineProperty(process, 'version', real);
    }
  });

  it('auto where the probe passed a hardware WebGPU adapter: no permission model (dawn.node will load), saying why; otherwise on', async () => {
    const gpu = await prepareContainment({ backend: 'auto', labsDist: build.labsDist, workerFile, autoWebgpu: true });
    assert.equal(gpu.report.permissionModel.on, false);
    assert.match(gpu.report.permissionModel.reason!, /dawn\.node/);
    const none = await prepareContainment({ backend: 'auto', labsDist: build.labsDist, workerFile, autoWebgpu: false });
    assert.equal(none.report.permissionModel.on, true, none.report.permissionModel.reason);
    const wasm = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile, autoWebgpu: true });
    assert.equal(wasm.report.permissionModel.on, true, 'only auto takes the probe\'s answer');
  });

  it('on Linux with setpriv, the check process is started to be killed when the sidecar dies (--pdeathsig KILL); a setpriv that fails is left out', async () => {
    const setpriv = spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true']).status === 0;
    const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile, unshare: '/bin/false' });
    const launch = c.launch(256);
    if (process.platform === 'linux' && setpriv) {
      assert.match(launch.command, /setpriv$/);
      assert.deepEqual(launch.args.slice(0, 4), ['--pdeathsig', 'KILL', '--', process.execPath]);
    } else assert.equal(launch.command, process.execPath);
    const without = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile, unshare: '/bin/false', setpriv: '/bin/false' });
    assert.equal(without.launch(256).command, process.execPath);
  });

  it('on Windows the check process keeps SystemRoot (Node needs it there), and only there', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    process.env.SystemRoot = 'C:\\Windows';
    try {
      const linux = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile, unshare: '/bin/false' });
      assert.equal(linux.launch(256).env.SystemRoot, undefined);
      Object.defineProperty(process, 'platform', { value: 'win32', configurable: true });
      const win = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile, unshare: '/bin/false' });
      assert.equal(win.launch(256).env.SystemRoot, 'C:\\Windows');
    } finally {
      Object.defineProperty(process, 'platform', platform);
      delete process.env.SystemRoot;
    }
  });

  it('reads each path also by its real path, skips paths that do not exist, and keeps a sibling whose name only starts like another path', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'tl-paths-'));
    const real = join(scratch, 'labs-real');
    mkdirSync(real);
    const link = join(scratch, 'labs-link');
    symlinkSync(real, link);
    const viaLink = readPaths(workerFile, link);
    assert.ok(viaLink.includes(link) && viaLink.includes(realpathSync(real)), viaLink.join('\n'));
    const missing = readPaths(workerFile, join(scratch, 'no-such-folder'));
    assert.deepEqual(missing, readPaths(workerFile, build.labsDist), 'a missing folder adds nothing');
    // "<build>-sibling" starts with the build folder's name but is not inside it.
    const sibling = `${build.buildRoot}-sibling-${process.pid}`;
    mkdirSync(sibling);
    try {
      const paths = readPaths(workerFile, sibling);
      assert.ok(paths.includes(sibling), paths.join('\n'));
      assert.ok(paths.includes(build.buildRoot));
    } finally {
      rmSync(sibling, { recursive: true, force: true });
    }
  });

  it('a bundled build (sidecar/tfjs.js beside it) reads no node_modules', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'tl-bundle-'));
    writeFileSync(join(pkg, 'package.json'), '{}');
    for (const d of ['dist/sidecar/runner', 'dist/labs', 'media', 'node_modules']) mkdirSync(join(pkg, d), { recursive: true });
    writeFileSync(join(pkg, 'dist', 'sidecar', 'main.js'), '');
    const worker = join(pkg, 'dist', 'sidecar', 'runner', 'worker.js');
    writeFileSync(worker, '');
    const real = realpathSync(pkg);
    assert.ok(readPaths(worker, join(pkg, 'dist', 'labs')).includes(join(real, 'node_modules')), 'tsc-style: node_modules read');
    writeFileSync(join(pkg, 'dist', 'sidecar', 'tfjs.js'), '');
    const bundled = readPaths(worker, join(pkg, 'dist', 'labs'));
    assert.ok(!bundled.some((p) => p.endsWith('node_modules')), bundled.join('\n'));
    assert.ok(bundled.includes(join(real, 'dist')) && bundled.includes(join(real, 'media')));
    assert.deepEqual(readPaths(join(dirname(pkg), 'nowhere', 'worker.js'), join(dirname(pkg), 'nowhere')), [], 'no build found: nothing');
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
