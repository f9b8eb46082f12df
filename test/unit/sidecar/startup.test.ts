// The sidecar's start-up has a time limit: a backend that hangs while loading is killed and a
// portable backend tried next, the log says so, and a caller can cancel while it starts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SidecarClient, type SidecarState } from '../../../core/compute/sidecarClient';

const HANGS = join(__dirname, '..', '..', 'fixtures', 'sidecars', 'hangsOnStart.js');

function client(answer: string, backend: 'gpu' | 'wasm' | 'cpu', log: string[] = []) {
  return new SidecarClient({
    nodePath: process.execPath,
    sidecarScript: HANGS,
    labsDist: __dirname,
    backend,
    env: { ANSWER_BACKENDS: answer },
    startTimeoutMs: 700,
    log: (level, message) => log.push(`${level}: ${message}`),
  });
}

describe('sidecar start-up', function () {
  this.timeout(30_000);
  // A write to the killed process's stdin once surfaced here (and tfjs-backend-wasm, loaded by
  // other tests in this process, turns unhandled rejections into crashes).
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));
  afterEach(async () => {
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(unhandled.splice(0).map(String), [], 'no unhandled rejection after a start-up timeout and dispose');
  });

  it('a backend that hangs while loading is killed after the limit and the portable one tried', async () => {
    const log: string[] = [];
    const states: SidecarState['kind'][] = [];
    const c = client('wasm', 'gpu', log);
    c.onStateChange((s) => states.push(s.kind));
    try {
      const t0 = Date.now();
      const init = await c.start();
      assert.equal(init.backend.name, 'wasm');
      assert.ok(Date.now() - t0 >= 600, 'it waited for the limit first');
      assert.ok(log.some((l) => /did not start within 0\.7 s \(backend "gpu"\); trying the wasm backend/.test(l)), log.join('\n'));
      assert.deepEqual(states, ['starting', 'crashed', 'starting', 'ready']);
    } finally {
      await c.dispose();
    }
  });

  it('with nothing left to try, start-up fails with a message that names the limit, and the state says so', async () => {
    const c = client('', 'cpu');
    try {
      await assert.rejects(c.start(), /the compute sidecar did not start within 0\.7 s \(backend "cpu"\)/);
      assert.equal(c.state.kind, 'crashed');
      assert.match((c.state as { message: string }).message, /did not start within/);
    } finally {
      await c.dispose();
    }
  });

  it('a run cancelled while the sidecar is still starting rejects at once', async () => {
    const c = client('', 'cpu');
    try {
      const ac = new AbortController();
      const t0 = Date.now();
      const pending = c.runChecks({ labId: 'x', files: [], checkIds: [], limits: { timeoutMs: 1000, memoryMb: 64 } }, ac.signal);
      setTimeout(() => ac.abort(), 100);
      await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
      assert.ok(Date.now() - t0 < 600, `cancelled before the start-up limit (${Date.now() - t0} ms)`);
    } finally {
      await c.dispose();
    }
  });
});
