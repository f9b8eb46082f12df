import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  });

  it('falls back to the host runtime in Node mode when PATH has no node', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tmpdir();
    try {
      const r = await resolveNodeRuntime('');
      assert.equal(r.path, process.execPath);
      assert.equal(r.env.ELECTRON_RUN_AS_NODE, '1');
    } finally {
      process.env.PATH = saved;
    }
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
