import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { allowInstallScript, explainGpuInstallFailure, findNpm, gpuModulesDir, installGpuBackend, isGpuInstalled, isRouteInstalled, npmCommand, GPU_PACKAGE, WEBGPU_PACKAGE } from '../../../src/compute/gpuSetup';
import { LocalRegistry, npmEnvFor, startLocalRegistry } from '../../support/localRegistry';

// The tail of what `npm install @tensorflow/tfjs-node-gpu@4.22.0` printed on a machine
// without access to Google storage (recorded here, 2026-11-25).
const BLOCKED_DOWNLOAD = `npm error command sh -c node scripts/install.js gpu download
npm error https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz
npm error * Downloading libtensorflow
npm error Error: getaddrinfo ENOTFOUND storage.googleapis.com
npm error   code: 'ENOTFOUND',
npm error   hostname: 'storage.googleapis.com'`;

describe('GPU setup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tl-gpu-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('explainGpuInstallFailure', () => {
    it('says that libtensorflow comes from Google storage when the download is blocked', () => {
      const why = explainGpuInstallFailure(BLOCKED_DOWNLOAD, 1);
      assert.match(why, /libtensorflow/);
      assert.match(why, /Google storage/);
      assert.match(why, /cannot reach/);
    });

    it('names CUDA 11.2 and cuDNN 8.1 when the output is about CUDA', () => {
      assert.match(explainGpuInstallFailure('error: libcudart.so.11.0: cannot open shared object file (CUDA)', 1), /CUDA 11\.2 and cuDNN 8\.1/);
    });

    it('says npm is missing when it could not be started', () => {
      assert.match(explainGpuInstallFailure('npm: not found', null), /npm was not found/);
    });

    it('for webgpu, a network failure is about the npm registry, not Google storage', () => {
      const why = explainGpuInstallFailure('npm error getaddrinfo ENOTFOUND registry.npmjs.org', 1, 'webgpu');
      assert.match(why, /npm registry/);
      assert.doesNotMatch(why, /libtensorflow/);
      assert.match(explainGpuInstallFailure('npm error code ENOSPC', 1, 'webgpu'), /disk is full/);
    });

    it('says npm is missing when spawning it failed, and names the platform tfjs-node-gpu needs', () => {
      assert.match(explainGpuInstallFailure('Error: spawn ENOENT /usr/local/bin/npm', null), /^npm was not found/);
      assert.equal(explainGpuInstallFailure('npm error os win32 is not supported by @tensorflow/tfjs-node-gpu', 1), 'tfjs-node-gpu supports only Linux x64 with an NVIDIA GPU');
      assert.equal(
        explainGpuInstallFailure('npm error code EBADPLATFORM\nnpm error notsup Unsupported platform for @tensorflow/tfjs-node-gpu@4.22.0', 1),
        'tfjs-node-gpu supports only Linux x64 with an NVIDIA GPU',
      );
    });

    it('falls back to the exit code and points to the log', () => {
      assert.match(explainGpuInstallFailure('something else entirely', 7), /code 7.*compute log/);
    });
  });

  describe('isRouteInstalled', () => {
    it('tells the two routes apart; either one counts as a GPU install (no sandbox)', () => {
      assert.equal(isGpuInstalled(dir), false);
      const webgpu = join(gpuModulesDir(dir), 'node_modules', 'webgpu');
      mkdirSync(webgpu, { recursive: true });
      writeFileSync(join(webgpu, 'package.json'), '{"name":"webgpu","version":"0.6.2"}');
      assert.equal(isRouteInstalled(dir, 'webgpu'), true);
      assert.equal(isRouteInstalled(dir, 'tensorflow-gpu'), false);
      assert.equal(isGpuInstalled(dir), true);
    });

    it('finds tfjs-node-gpu under @tensorflow, and a folder without its package.json is no install', () => {
      assert.equal(gpuModulesDir(dir), join(dir, 'gpu'));
      const gpu = join(dir, 'gpu', 'node_modules', '@tensorflow', 'tfjs-node-gpu');
      mkdirSync(gpu, { recursive: true });
      assert.equal(isRouteInstalled(dir, 'tensorflow-gpu'), false, 'npm left an empty folder behind');
      writeFileSync(join(gpu, 'package.json'), '{}');
      assert.equal(isRouteInstalled(dir, 'tensorflow-gpu'), true);
      assert.equal(isRouteInstalled(dir, 'webgpu'), false);
    });
  });

  describe('findNpm', () => {
    it('prefers the npm beside the Node runtime over the one on PATH', () => {
      const runtimeDir = join(dir, 'runtime');
      const pathDir = join(dir, 'path');
      for (const d of [runtimeDir, pathDir]) {
        mkdirSync(d);
        writeFileSync(join(d, 'npm'), '#!/bin/sh\n');
        chmodSync(join(d, 'npm'), 0o755);
      }
      assert.equal(findNpm(join(runtimeDir, 'node'), pathDir, 'linux'), join(runtimeDir, 'npm'));
      rmSync(join(runtimeDir, 'npm'));
      assert.equal(findNpm(join(runtimeDir, 'node'), `${join(dir, 'nothing')}:${pathDir}`, 'linux'), join(pathDir, 'npm'));
    });

    it('on Windows, finds npm.cmd or npm.exe along a PATH split at semicolons', () => {
      const cmdDir = join(dir, 'cmd');
      const exeDir = join(dir, 'exe');
      mkdirSync(cmdDir);
      mkdirSync(exeDir);
      writeFileSync(join(cmdDir, 'npm.cmd'), '');
      writeFileSync(join(exeDir, 'npm.exe'), '');
      writeFileSync(join(exeDir, 'npm'), '');
      assert.equal(findNpm(join(dir, 'Code.exe'), `${join(dir, 'none')};${cmdDir}`, 'win32'), join(cmdDir, 'npm.cmd'));
      assert.equal(findNpm(join(dir, 'Code.exe'), `${join(dir, 'none')};${exeDir}`, 'win32'), join(exeDir, 'npm.exe'), 'npm.exe, not the shell script npm');
      assert.equal(findNpm(join(dir, 'Code.exe'), `${cmdDir}:${exeDir}`, 'win32'), undefined, 'a colon is part of a Windows path, not a separator');
    });

    it('skips empty and "." PATH entries: npm in the current folder is not the one to run', () => {
      writeFileSync(join(dir, 'npm'), '#!/bin/sh\n');
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        assert.equal(findNpm('node', `.${delimiter}${delimiter}${join(dir, 'none')}`, 'linux'), undefined);
        assert.equal(findNpm('node', `.;;${join(dir, 'none')}`, 'win32'), undefined);
      } finally {
        process.chdir(cwd);
      }
    });

    it('returns undefined when there is no npm anywhere', () => {
      assert.equal(findNpm(join(dir, 'code'), dir, 'linux'), undefined);
    });

    it('finds the npm of this machine for a bare `node` runtime', () => {
      const npm = findNpm('node');
      assert.ok(npm, 'npm is on PATH here');
      assert.match(npm, /npm$/);
    });
  });

  describe('npmCommand', () => {
    it('runs npm directly, without a shell, off Windows', () => {
      assert.deepEqual(npmCommand('/usr/bin/npm', ['install', '--prefix', '/a b']), { command: '/usr/bin/npm', args: ['install', '--prefix', '/a b'], shell: false });
    });

    // Windows starts npm.cmd only through the shell, which splits at spaces. cmd.exe cannot run
    // here, but /bin/sh splits and unquotes double-quoted words the same way for spaces, so the
    // Windows command line is run through it against an npm in a folder with a space.
    it('quotes an npm path and a prefix with spaces on Windows, so the shell keeps each whole', function () {
      if (process.platform === 'win32') this.skip();
      const npmDir = join(dir, 'Program Files', 'nodejs');
      mkdirSync(npmDir, { recursive: true });
      const npm = join(npmDir, 'npm');
      writeFileSync(npm, `#!${process.execPath}\nconsole.log(JSON.stringify(process.argv.slice(2)));\n`);
      chmodSync(npm, 0o755);
      const args = ['install', '--prefix', join(dir, 'Jane Doe', 'gpu'), '@tensorflow/tfjs-node-gpu@4.22.0'];
      const run = npmCommand(npm, args, 'win32');
      assert.equal(run.shell, true);
      const r = spawnSync(run.command, run.args, { shell: true, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), args);
    });

    it('doubles a double quote inside a quoted word on Windows', () => {
      assert.deepEqual(npmCommand('C:\\nodejs\\npm.cmd', ['say "hi"'], 'win32').args, ['"say ""hi"""']);
    });

    it('leaves plain words unquoted on Windows', () => {
      assert.deepEqual(npmCommand('C:\\nodejs\\npm.cmd', ['install', '--no-audit'], 'win32').args, ['install', '--no-audit']);
      assert.equal(npmCommand('C:\\Program Files\\nodejs\\npm.cmd', [], 'win32').command, '"C:\\Program Files\\nodejs\\npm.cmd"');
    });
  });

  describe('allowInstallScript (the setup folder\'s package.json)', () => {
    const file = () => join(dir, 'package.json');
    const read = () => JSON.parse(readFileSync(file(), 'utf8'));

    it('writes a private package.json that allows the one package, pinned to its version', () => {
      allowInstallScript(dir, 'webgpu@0.6.2');
      assert.deepEqual(read(), { name: 'transformer-labs-gpu', private: true, allowScripts: { 'webgpu@0.6.2': true } });
    });

    it('keeps what a package.json there already holds, and adds the second route beside the first', () => {
      writeFileSync(file(), JSON.stringify({ name: 'kept', dependencies: { webgpu: '0.6.2' }, allowScripts: { 'webgpu@0.6.2': true, other: false } }));
      allowInstallScript(dir, GPU_PACKAGE);
      assert.deepEqual(read(), { name: 'kept', dependencies: { webgpu: '0.6.2' }, allowScripts: { 'webgpu@0.6.2': true, other: false, [GPU_PACKAGE]: true } });
    });

    it('leaves the file as it is when the package is already allowed', () => {
      const text = '{"name":"kept","allowScripts":{"webgpu@0.6.2":true}}';
      writeFileSync(file(), text);
      allowInstallScript(dir, 'webgpu@0.6.2');
      assert.equal(readFileSync(file(), 'utf8'), text);
    });

    it('turns a denial (false) for the package into an approval', () => {
      writeFileSync(file(), JSON.stringify({ name: 'kept', allowScripts: { 'webgpu@0.6.2': false } }));
      allowInstallScript(dir, 'webgpu@0.6.2');
      assert.deepEqual(read().allowScripts, { 'webgpu@0.6.2': true });
    });

    for (const [what, text] of [['not JSON', '{ "name": '], ['an array', '[1]'], ['null', 'null'], ['a string', '"x"']]) {
      it(`writes a package.json that is ${what} anew`, () => {
        writeFileSync(file(), text);
        allowInstallScript(dir, 'webgpu@0.6.2');
        assert.deepEqual(read(), { name: 'transformer-labs-gpu', private: true, allowScripts: { 'webgpu@0.6.2': true } });
      });
    }

    for (const [what, value] of [['a string', 'yes'], ['null', null], ['true', true]] as const) {
      it(`replaces allowScripts that is ${what}`, () => {
        writeFileSync(file(), JSON.stringify({ name: 'kept', allowScripts: value }));
        allowInstallScript(dir, 'webgpu@0.6.2');
        assert.deepEqual(read(), { name: 'kept', allowScripts: { 'webgpu@0.6.2': true } });
      });
    }
  });

  // The real npm against a registry on 127.0.0.1 that serves a stand-in `webgpu` package made
  // with `npm pack`: the same command, folder layout, output streaming, cancellation and
  // failure wording as a learner's Set Up GPU Compute, without the 21 MB download.
  describe('installGpuBackend with the real npm and a local registry', function () {
    this.timeout(120_000);
    const npm = findNpm(process.execPath)!;
    let registry: LocalRegistry;
    let cache: string;
    const saved: Record<string, string | undefined> = {};
    const useEnv = (env: Record<string, string>) => {
      for (const [k, v] of Object.entries(env)) {
        if (!(k in saved)) saved[k] = process.env[k];
        process.env[k] = v;
      }
    };
    before(async () => {
      // With funding, as webgpu has none but many packages do: the install must not print npm's appeal.
      registry = await startLocalRegistry(npm, [{ name: 'webgpu', version: WEBGPU_PACKAGE.split('@')[1], files: { 'index.js': 'module.exports = { standIn: true };\n' }, funding: 'https://example.org/fund' }]);
    });
    after(() => registry.close());
    beforeEach(() => {
      cache = mkdtempSync(join(tmpdir(), 'tl-npm-cache-'));
      registry.requests.length = 0;
      useEnv(npmEnvFor(registry.url, cache));
    });
    afterEach(() => {
      registry.release();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
        delete saved[k];
      }
      rmSync(cache, { recursive: true, force: true });
    });

    it('installs the route into <storage>/gpu, saves the exact version, and streams npm output', async () => {
      const lines: string[] = [];
      const r = await installGpuBackend(dir, npm, (l) => lines.push(l), new AbortController().signal, 'webgpu');
      assert.deepEqual(r, { ok: true, modulesDir: gpuModulesDir(dir) });
      assert.equal(isRouteInstalled(dir, 'webgpu'), true);
      assert.equal(isRouteInstalled(dir, 'tensorflow-gpu'), false);
      assert.equal(isGpuInstalled(dir), true);
      const manifest = JSON.parse(readFileSync(join(gpuModulesDir(dir), 'package.json'), 'utf8'));
      assert.equal(manifest.name, 'transformer-labs-gpu');
      assert.equal(manifest.private, true);
      assert.deepEqual(manifest.dependencies, { webgpu: WEBGPU_PACKAGE.split('@')[1] }, 'saved exact, not ^');
      const installed = join(gpuModulesDir(dir), 'node_modules', 'webgpu');
      assert.equal(readFileSync(join(installed, 'index.js'), 'utf8'), 'module.exports = { standIn: true };\n');
      assert.equal(lstatSync(installed).isSymbolicLink(), false, 'a real copy, not a link');
      assert.ok(registry.requests.includes('/webgpu'), `npm asked the registry: ${registry.requests.join(', ')}`);
      assert.ok(lines.some((l) => /added 1 package/.test(l)), `npm output reached the log: ${lines.join(' | ')}`);
      assert.ok(lines.every((l) => l.trim() !== '' && !/\n/.test(l)), 'one log call per non-empty line');
      // --no-audit and --no-fund: no request to the audit endpoint, no funding appeal in the log.
      assert.ok(!registry.requests.some((u) => /audit|security/.test(u)), `no audit request: ${registry.requests.join(', ')}`);
      assert.ok(!lines.some((l) => /funding/.test(l)), lines.join(' | '));
    });

    it('keeps a package.json that is already there and installs beside what it holds', async () => {
      mkdirSync(gpuModulesDir(dir), { recursive: true });
      const kept = { name: 'kept', private: true, dependencies: {} };
      writeFileSync(join(gpuModulesDir(dir), 'package.json'), JSON.stringify(kept));
      const r = await installGpuBackend(dir, npm, () => undefined, new AbortController().signal, 'webgpu');
      assert.equal(r.ok, true);
      assert.equal(JSON.parse(readFileSync(join(gpuModulesDir(dir), 'package.json'), 'utf8')).name, 'kept');
    });

    it('says the registry cannot be reached when nothing listens there', async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((r) => closed.close(r));
      useEnv(npmEnvFor(`http://127.0.0.1:${port}`, cache));
      const lines: string[] = [];
      const r = await installGpuBackend(dir, npm, (l) => lines.push(l), new AbortController().signal, 'webgpu');
      assert.equal(r.ok, false);
      assert.equal(r.reason, 'npm could not reach the npm registry (no network, a proxy or a firewall blocks it)');
      assert.ok(lines.some((l) => /ECONNREFUSED/.test(l)), lines.join(' | '));
      assert.equal(isGpuInstalled(dir), false);
    });

    it('gives npm\'s exit code when the registry does not have the package', async () => {
      const r = await installGpuBackend(dir, npm, () => undefined, new AbortController().signal, 'tensorflow-gpu');
      assert.equal(r.ok, false);
      assert.equal(r.reason, 'npm exited with code 1; the last lines of its output are in the compute log');
      assert.ok(registry.requests.includes('/@tensorflow%2ftfjs-node-gpu') || registry.requests.includes('/@tensorflow%2Ftfjs-node-gpu'), registry.requests.join(', '));
    });

    it('runs the package\'s install script (npm 11.19+ skips it unless allowed) and fails when it fails', async () => {
      // tfjs-node-gpu's install script downloads libtensorflow. Skipped, npm would report success
      // and leave a package that cannot load.
      const failing = await startLocalRegistry(npm, [
        {
          name: '@tensorflow/tfjs-node-gpu',
          version: GPU_PACKAGE.split('@')[2],
          files: { 'index.js': '', 'install.js': "console.error('error: libcudart.so.11.0: cannot open shared object file (CUDA)'); process.exit(1);\n" },
          scripts: { install: 'node install.js' },
        },
      ]);
      try {
        useEnv(npmEnvFor(failing.url, cache));
        const r = await installGpuBackend(dir, npm, () => undefined, new AbortController().signal, 'tensorflow-gpu');
        assert.equal(r.ok, false);
        assert.equal(r.reason, 'CUDA 11.2 and cuDNN 8.1 are needed; newer CUDA versions make it fall back to the CPU');
        assert.equal(isGpuInstalled(dir), false, 'npm took the package out again');
        assert.deepEqual(JSON.parse(readFileSync(join(gpuModulesDir(dir), 'package.json'), 'utf8')).allowScripts, { [GPU_PACKAGE]: true });
      } finally {
        await failing.close();
      }
    });

    it('stops npm and reports "cancelled" when aborted mid-download', async () => {
      registry.hold();
      const ac = new AbortController();
      const t0 = Date.now();
      const pending = installGpuBackend(dir, npm, () => undefined, ac.signal, 'webgpu');
      while (registry.requests.length === 0) await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      const r = await pending;
      assert.deepEqual([r.ok, r.reason], [false, 'cancelled']);
      assert.ok(Date.now() - t0 < 20_000, 'did not wait for npm\'s fetch time-out');
      registry.release();
      assert.equal(isRouteInstalled(dir, 'webgpu'), false);
    });

    it('says npm was not found when the npm path does not exist', async () => {
      const r = await installGpuBackend(dir, join(dir, 'no-such-npm'), () => undefined, new AbortController().signal, 'webgpu');
      assert.equal(r.ok, false);
      assert.match(r.reason!, /^npm was not found/);
    });

    it('trusts neither npm\'s exit code alone nor the folder alone', async function () {
      if (process.platform === 'win32') this.skip();
      // A stand-in npm that unpacks the package (as npm does before running its install script) and then fails.
      const fakeNpm = join(dir, 'npm');
      writeFileSync(fakeNpm, `#!/bin/sh\nmkdir -p "${gpuModulesDir(dir)}/node_modules/webgpu" && echo '{}' > "${gpuModulesDir(dir)}/node_modules/webgpu/package.json"\necho "npm error install script failed" >&2\nexit 1\n`);
      chmodSync(fakeNpm, 0o755);
      const failed = await installGpuBackend(dir, fakeNpm, () => undefined, new AbortController().signal, 'webgpu');
      assert.deepEqual([failed.ok, failed.reason], [false, 'npm exited with code 1; the last lines of its output are in the compute log']);
      // And one that says it succeeded but installed nothing (as npm 11.19 did when it skipped a script that would have fetched the package).
      writeFileSync(fakeNpm, '#!/bin/sh\nexit 0\n');
      rmSync(join(gpuModulesDir(dir), 'node_modules'), { recursive: true });
      const empty = await installGpuBackend(dir, fakeNpm, () => undefined, new AbortController().signal, 'webgpu');
      assert.equal(empty.ok, false);
    });

    it('installs the NVIDIA route when no route is named', async () => {
      const r = await installGpuBackend(dir, join(dir, 'no-such-npm'), () => undefined, new AbortController().signal);
      assert.match(r.reason!, /^npm was not found/);
      assert.deepEqual(JSON.parse(readFileSync(join(gpuModulesDir(dir), 'package.json'), 'utf8')).allowScripts, { [GPU_PACKAGE]: true });
    });
  });

  // The real install: about 20 s and a registry download, so it runs only when asked
  // (TL_SLOW_TESTS=1) and only where Google storage is unreachable — elsewhere it would
  // download several hundred MB of libtensorflow.
  describe('installGpuBackend with the real npm', function () {
    this.timeout(300_000);
    before(async function () {
      if (process.env.TL_SLOW_TESTS !== '1') this.skip();
      const reachable = await lookup('storage.googleapis.com').then(() => true, () => false);
      if (reachable) this.skip();
    });

    it('fails with the explanation, streams npm output, and leaves nothing half-installed', async () => {
      const lines: string[] = [];
      const r = await installGpuBackend(dir, findNpm(process.execPath)!, (l) => lines.push(l), new AbortController().signal);
      assert.equal(r.ok, false);
      assert.match(r.reason!, /Google storage/);
      assert.ok(lines.some((l) => /libtensorflow/.test(l)), 'npm output reached the log');
      assert.equal(isGpuInstalled(dir), false);
    });

    it('reports "cancelled" when aborted', async () => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 500);
      const r = await installGpuBackend(dir, findNpm(process.execPath)!, () => undefined, ac.signal);
      assert.deepEqual([r.ok, r.reason], [false, 'cancelled']);
    });
  });
});
