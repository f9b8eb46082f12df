// Errors offer "Show Log" (issue 18): a command that throws is reported with a button that opens
// the compute log, and the log holds the stack. Against the fake `vscode` module.
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../support/fakeVscode';

const fake = installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerCommands } = require('../../../src/commands') as typeof import('../../../src/commands');

function fakeOutput() {
  const log = { errors: [] as string[], shown: 0 };
  const output = { error: (m: string) => log.errors.push(m), show: () => log.shown++ };
  return { log, output: output as unknown as Parameters<typeof registerCommands>[1] };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('errors offer Show Log', () => {
  beforeEach(() => fake.reset());

  it('a command that throws shows its message with Show Log, which opens the log holding the stack', async () => {
    const { log, output } = fakeOutput();
    const table = { 'transformerLabs.gradeLab': () => { throw new Error('the disk is full'); } } as unknown as Parameters<typeof registerCommands>[0];
    registerCommands(table, output);
    fake.buttonAnswers.push('Show Log');
    assert.equal(await fake.registered.get('transformerLabs.gradeLab')!(), undefined);
    await settle();
    assert.equal(fake.shown.length, 1);
    assert.equal(fake.shown[0].kind, 'error');
    assert.equal(fake.shown[0].message, 'Transformer Labs: the disk is full');
    assert.deepEqual(fake.shown[0].items, ['Show Log']);
    assert.equal(log.shown, 1, 'the button opened the log');
    assert.match(log.errors[0], /the disk is full\n\s*Error: the disk is full\n\s+at /, 'the log has the stack');
  });

  it('dismissing the message leaves the log closed', async () => {
    const { log, output } = fakeOutput();
    registerCommands({ 'transformerLabs.runChecks': async () => Promise.reject(new Error('x')) } as unknown as Parameters<typeof registerCommands>[0], output);
    fake.buttonAnswers.push(undefined);
    await fake.registered.get('transformerLabs.runChecks')!();
    await settle();
    assert.equal(log.shown, 0);
  });
});
