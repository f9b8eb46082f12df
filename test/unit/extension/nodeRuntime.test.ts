import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { resolveNodeRuntime } from '../../../src/compute/nodeRuntime';

describe('resolveNodeRuntime', () => {
  it('uses the configured runtime and reports its version', () => {
    const r = resolveNodeRuntime(process.execPath);
    assert.equal(r.path, process.execPath);
    assert.match(r.description, new RegExp(`Node ${process.versions.node.split('.')[0]}, from settings`));
    assert.equal(r.env.ELECTRON_RUN_AS_NODE, undefined);
  });

  it('rejects a configured path that is not Node, naming the setting', () => {
    const bogus = join(tmpdir(), 'no-such-node-runtime');
    assert.throws(() => resolveNodeRuntime(bogus), /transformerLabs\.compute\.nodePath is ".*no-such-node-runtime", which does not run as Node\.js/);
  });

  it('without a setting, takes node from PATH when it is version 20 or newer', () => {
    const r = resolveNodeRuntime('');
    // This machine has Node 20 on PATH; VS Code's own runtime is the fallback elsewhere.
    assert.equal(r.path, 'node');
    assert.match(r.description, /node on PATH \(Node \d+\)/);
  });

  it('falls back to the host runtime in Node mode when PATH has no node', () => {
    const saved = process.env.PATH;
    process.env.PATH = tmpdir();
    try {
      const r = resolveNodeRuntime('');
      assert.equal(r.path, process.execPath);
      assert.equal(r.env.ELECTRON_RUN_AS_NODE, '1');
    } finally {
      process.env.PATH = saved;
    }
  });
});
