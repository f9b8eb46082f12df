// The vm context gives clear messages, but it is not a security boundary: learner code can
// reach the worker's real `process` through TensorFlow.js (tf.env().global). The sidecar runs
// under Node's permission model, so even then it cannot write files or start processes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LIMITS = { timeoutMs: 3000, memoryMb: 256 };

function escaping(body: string): string {
  return `import * as tf from '@tensorflow/tfjs-core';
export function two(): number {
  const proc = (tf as any).env().global.process;
  ${body}
  return 2;
}`;
}

describe('sidecar sandbox (Node permission model)', function () {
  this.timeout(30_000);
  let client: SidecarClient;
  before(async () => {
    client = testSidecar({ labsDist: FIXTURE_LABS });
    await client.start();
  });
  after(async () => client.dispose());

  async function run(text: string) {
    const r = await client.runChecks({ labId: 'fixture-lab', files: [{ path: 'work.ts', text }], checkIds: ['returns-two'], limits: LIMITS });
    return r.results[0];
  }

  it('refuses a file write from learner code that reached the real process object', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'tl-escape-')), 'escaped.txt');
    const c = await run(escaping(`proc.getBuiltinModule('fs').writeFileSync(${JSON.stringify(target)}, 'escaped');`));
    assert.equal(c.status, 'error');
    assert.match(c.message, /restricted|ERR_ACCESS_DENIED/);
    assert.equal(existsSync(target), false, 'no file was written');
  });

  it('refuses to start a process', async () => {
    const c = await run(escaping(`proc.getBuiltinModule('child_process').execFileSync('true');`));
    assert.equal(c.status, 'error');
    assert.match(c.message, /restricted|ERR_ACCESS_DENIED/);
  });

  it('still runs honest code after the attempts', async () => {
    const c = await run('export function two(): number { return 2; }');
    assert.equal(c.status, 'pass');
  });
});
