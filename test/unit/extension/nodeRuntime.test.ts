import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { forgetNodeVersions, resolveNodeRuntime } from '../../../src/compute/nodeRuntime';

describe('resolveNodeRuntime', () => {
  beforeEach(() => forgetNodeVersions());

  it('uses the configured runtime and reports its version', async () => {
    const r = await resolveNodeRuntime(process.execPath);
    assert.equal(r.path, process.execPath);
    assert.match(r.description, new RegExp(`Node ${process.versions.node.split('.')[0]}, from settings`));
    assert.equal(r.version, process.version);
    assert.equal(r.env.ELECTRON_RUN_AS_NODE, undefined);
    assert.equal(r.electron, false);
  });

  it('rejects a configured path that is not Node, naming the setting', async () => {
    const bogus = join(tmpdir(), 'no-such-node-runtime');
    await assert.rejects(resolveNodeRuntime(bogus), /transformerLabs\.compute\.nodePath is ".*no-such-node-runtime", which does not run as Node\.js/);
  });

  it('without a setting, takes node from PATH when it is version 20 or newer', async () => {
    const r = await resolveNodeRuntime('');
    // This machine has Node 20 on PATH; VS Code's own runtime is the fallback elsewhere.
    assert.equal(r.path, 'node');
    assert.match(r.description, /node on PATH \(Node \d+\)/);
    assert.equal(r.electron, false);
  });

  it('falls back to the host runtime in Node mode when PATH has no node', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tmpdir();
    try {
      const r = await resolveNodeRuntime('');
      assert.equal(r.path, process.execPath);
      assert.equal(r.env.ELECTRON_RUN_AS_NODE, '1');
      assert.equal(r.description, `VS Code's built-in runtime (Node ${process.versions.node})`);
      assert.equal(r.version, `v${process.versions.node}`);
      assert.equal(r.electron, false, 'plain Node runs this test: no Electron');
    } finally {
      process.env.PATH = saved;
    }
  });

  describe('what counts as a Node runtime (fake runtimes as shell scripts)', () => {
    let dir: string;
    const runtime = (name: string, body: string) => {
      const file = join(dir, name);
      writeFileSync(file, `#!/bin/sh\n${body}\n`);
      chmodSync(file, 0o755);
      return file;
    };
    before(function () {
      if (process.platform === 'win32') this.skip();
    });
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tl-runtime-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('asks in Node mode, as an Electron binary (VS Code, Cursor) needs to answer --version', async () => {
      // Without ELECTRON_RUN_AS_NODE an Electron binary starts its app instead of printing Node's version.
      const electron = runtime('code', '[ "$ELECTRON_RUN_AS_NODE" = 1 ] && echo v22.21.1 || { echo "window opened" >&2; exit 1; }');
      const r = await resolveNodeRuntime(electron);
      assert.equal(r.version, 'v22.21.1');
      assert.equal(r.description, `${electron} (Node 22, from settings)`);
    });

    it('refuses a runtime that fails, even when it printed a version, and one whose answer only contains one', async () => {
      await assert.rejects(resolveNodeRuntime(runtime('failing', 'echo v22.1.0; exit 3')), /does not run as Node\.js/);
      await assert.rejects(resolveNodeRuntime(runtime('chatty', 'echo Electron v22.1.0')), /does not run as Node\.js/);
    });

    it('gives up on a runtime that does not answer within 5 s', async function () {
      this.timeout(30_000);
      await assert.rejects(resolveNodeRuntime(runtime('stuck', 'exec sleep 60')), /does not run as Node\.js/);
    });

    it('passes over a node on PATH older than 20 for VS Code\'s own runtime', async () => {
      runtime('node', 'echo v18.19.0');
      const saved = process.env.PATH;
      process.env.PATH = dir;
      try {
        const r = await resolveNodeRuntime('');
        assert.equal(r.path, process.execPath);
        assert.match(r.description, /^VS Code's built-in runtime/);
      } finally {
        process.env.PATH = saved;
      }
    });
  });

  it('asks a slow runtime for its version without blocking the event loop, and only once per path', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'tl-runtime-'));
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    const fake = join(dir, 'slow-node');
    // A runtime that takes 600 ms to say its version, and counts how often it was asked.
    writeFileSync(fake, `#!/bin/sh\necho x >> "${calls}"\nsleep 0.6\necho v20.11.1\n`);
    chmodSync(fake, 0o755);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    try {
      const [a, b] = await Promise.all([resolveNodeRuntime(fake), resolveNodeRuntime(fake)]);
      assert.equal(a.version, 'v20.11.1');
      assert.equal(b.version, 'v20.11.1');
      // spawnSync would have frozen the loop for the whole 600 ms, twice.
      assert.ok(ticks >= 10, `the event loop kept running (${ticks} ticks of 20 ms)`);
      await resolveNodeRuntime(fake);
      assert.equal(readFileSync(calls, 'utf8').trim().split('\n').length, 1, 'asked once, then cached');
      forgetNodeVersions();
      await resolveNodeRuntime(fake);
      assert.equal(readFileSync(calls, 'utf8').trim().split('\n').length, 2, 'asked again after the setting changed');
    } finally {
      clearInterval(ticker);
    }
  });
});
