import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { explainGpuInstallFailure, findNpm, gpuModulesDir, installGpuBackend, isGpuInstalled, isRouteInstalled, npmCommand } from '../../../src/compute/gpuSetup';

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

    it('leaves plain words unquoted on Windows', () => {
      assert.deepEqual(npmCommand('C:\\nodejs\\npm.cmd', ['install', '--no-audit'], 'win32').args, ['install', '--no-audit']);
      assert.equal(npmCommand('C:\\Program Files\\nodejs\\npm.cmd', [], 'win32').command, '"C:\\Program Files\\nodejs\\npm.cmd"');
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
