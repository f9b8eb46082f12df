// The routes by which learner code used to reach the check process's own realm are closed:
// TensorFlow.js hands out no global object, and the Function constructor reachable from any of
// its functions compiles nothing. (test/containment/ tries every route, through the CLI too.)
import assert from 'node:assert/strict';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { FIXTURE_LABS, testSidecar } from '../../support/sidecar';

const LIMITS = { timeoutMs: 3000, memoryMb: 256 };

describe('sidecar sandbox: the checks\' realm is out of reach', function () {
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

  it('tf.env() has no global object to hand out', async () => {
    const c = await run(`import * as tf from '@tensorflow/tfjs-core';
export function two(): number { return (tf as any).env().global === undefined ? 2 : 0; }`);
    assert.equal(c.status, 'pass', c.message);
  });

  it('the Function constructor behind a TensorFlow.js function compiles nothing', async () => {
    const c = await run(`import * as tf from '@tensorflow/tfjs-core';
export function two(): number { const F = (tf.add as any).constructor; return F('return globalThis')().process ? 0 : 2; }`);
    assert.equal(c.status, 'error');
    assert.match(c.message, /eval and new Function are not available in lab code/);
  });

  it('still runs honest code after the attempts', async () => {
    const c = await run('export function two(): number { return 2; }');
    assert.equal(c.status, 'pass');
  });
});
