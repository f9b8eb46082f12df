import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CheckOutcome } from '../../../core/checks/engine';
import { isLab, loadLab } from '../../../core/labs/labLoader';
import type { Lab } from '../../../core/labs/manifest';
import type { CheckStatus } from '../../../core/protocol/sidecar';
import { diagnosticMessage, lensTitle, notStartedFunctions, statusText, summarizeByFunction } from '../../../src/checks/summary';
import { repoRoot } from '../../support/repoRoot';

function lab1(): Lab {
  const lab = loadLab(join(repoRoot(__dirname), 'labs', '01-attention'));
  if (!isLab(lab)) throw new Error(lab.message);
  return lab;
}

/** Outcomes for Lab 1's visible softmax checks with the given statuses, in manifest order. */
function softmaxOutcomes(lab: Lab, statuses: CheckStatus[], extra: Partial<CheckOutcome> = {}): CheckOutcome[] {
  const specs = lab.manifest.checks.filter((c) => c.function === 'softmax' && !c.hidden);
  assert.ok(specs.length >= statuses.length, 'Lab 1 has enough softmax checks for this test');
  return statuses.map((status, i) => ({
    id: specs[i].id,
    status,
    message: status === 'pass' ? 'ok' : `softmax check ${i} failed: row 0 sums to 1.3, expected 1`,
    durationMs: 1,
    spec: specs[i],
    ...(status === 'pass' ? {} : extra),
  }));
}

describe('check summaries', () => {
  const lab = lab1();

  it('counts passes per function and keeps the first failure', () => {
    const outcomes = softmaxOutcomes(lab, ['pass', 'fail', 'error']);
    const s = summarizeByFunction(outcomes, ['softmax', 'attention']).get('softmax')!;
    assert.equal(s.passed, 1);
    assert.equal(s.total, 3);
    assert.equal(s.firstFailure?.id, outcomes[1].id);
    const none = summarizeByFunction(outcomes, ['softmax', 'attention']).get('attention')!;
    assert.deepEqual(none, { name: 'attention', passed: 0, total: 0 });
  });

  it('titles a lens ✓ when all pass, ✗ with the first failure otherwise', () => {
    const pass = summarizeByFunction(softmaxOutcomes(lab, ['pass', 'pass', 'pass']), ['softmax']).get('softmax')!;
    assert.equal(lensTitle(pass), '✓ 3/3 checks');
    const fail = summarizeByFunction(softmaxOutcomes(lab, ['pass', 'fail', 'pass']), ['softmax']).get('softmax')!;
    assert.equal(lensTitle(fail), '✗ 2/3 — softmax check 1 failed: row 0 sums to 1.3, expected 1');
    assert.equal(lensTitle({ name: 'x', passed: 0, total: 0 }), 'no visible checks');
  });

  it('titles a lens ○ "not started" when the function still throws its TODO, and names what it waits for', () => {
    const todo = { message: 'softmax() is not started yet: it still throws its TODO', todo: 'softmax' };
    const notStarted = summarizeByFunction(softmaxOutcomes(lab, ['not-started', 'not-started', 'not-started'], todo), ['softmax']).get('softmax')!;
    assert.equal(notStarted.firstFailure, undefined);
    assert.equal(lensTitle(notStarted), '○ 3 checks — not started');
    const waiting = summarizeByFunction(softmaxOutcomes(lab, ['pass', 'not-started'], { todo: 'attendOne' }), ['softmax']).get('softmax')!;
    assert.equal(lensTitle(waiting), '○ 1/2 — waits for attendOne()');
    // A real failure wins over a check that waits.
    const mixed = summarizeByFunction(softmaxOutcomes(lab, ['not-started', 'fail'], { todo: 'softmax' }), ['softmax']).get('softmax')!;
    assert.match(lensTitle(mixed), /^✗ 0\/2 — softmax check 1 failed/);
  });

  it('counts the functions not started in the status bar, not those only waiting for one', () => {
    const outcomes = [
      ...softmaxOutcomes(lab, ['not-started', 'not-started'], { todo: 'softmax' }),
      ...softmaxOutcomes(lab, ['not-started'], { todo: 'attendOne' }),
    ];
    assert.deepEqual(notStartedFunctions(outcomes), ['softmax']);
    assert.equal(statusText(1, outcomes), '$(beaker) Lab 1: 0/3 checks · 1 not started');
  });

  it('shortens a long failure message to fit a lens', () => {
    const [o] = softmaxOutcomes(lab, ['fail']);
    o.message = 'x'.repeat(500);
    const title = lensTitle({ name: 'softmax', passed: 0, total: 1, firstFailure: o });
    assert.ok(title.length < 110, `lens title is ${title.length} characters`);
    assert.ok(title.endsWith('…'));
  });

  it('ignores outcomes of functions that have no lens', () => {
    const outcomes = softmaxOutcomes(lab, ['fail', 'pass']);
    assert.deepEqual([...summarizeByFunction(outcomes, ['attention']).values()], [{ name: 'attention', passed: 0, total: 0 }]);
  });

  it('words a single check, and a function that waits for itself after some passed', () => {
    const one = summarizeByFunction(softmaxOutcomes(lab, ['not-started'], { todo: 'softmax' }), ['softmax']).get('softmax')!;
    assert.equal(lensTitle(one), '○ 1 check — not started');
    // One passed before the TODO was reached: not "not started", and it waits for itself.
    const part = summarizeByFunction(softmaxOutcomes(lab, ['pass', 'not-started'], { todo: 'softmax' }), ['softmax']).get('softmax')!;
    assert.equal(lensTitle(part), '○ 1/2 — waits for softmax()');
    const other = summarizeByFunction(softmaxOutcomes(lab, ['not-started'], { todo: 'attendOne' }), ['softmax']).get('softmax')!;
    assert.equal(lensTitle(other), '○ 0/1 — waits for attendOne()');
  });

  it('counts a function as not started by its own TODO only, across functions', () => {
    const attention = lab.manifest.checks.find((c) => c.function !== 'softmax' && !c.hidden)!;
    const waits: CheckOutcome = { id: attention.id, status: 'not-started', message: 'waits', durationMs: 1, spec: attention, todo: 'softmax' };
    const failing: CheckOutcome = { ...waits, status: 'fail', todo: undefined };
    const own: CheckOutcome = { ...waits, todo: undefined };
    assert.deepEqual(notStartedFunctions([waits, failing]), [], `${attention.function} only waits for softmax; a failure is not "not started"`);
    assert.deepEqual(notStartedFunctions([own]), [attention.function], 'a not-started outcome without a todo is its own function');
  });

  it('cuts a failure message at the lens width exactly', () => {
    const [o] = softmaxOutcomes(lab, ['fail']);
    o.message = 'y'.repeat(90);
    assert.equal(lensTitle({ name: 'softmax', passed: 0, total: 1, firstFailure: o }), `✗ 0/1 — ${'y'.repeat(90)}`);
    o.message = 'y'.repeat(91);
    assert.equal(lensTitle({ name: 'softmax', passed: 0, total: 1, firstFailure: o }), `✗ 0/1 — ${'y'.repeat(89)}…`);
  });

  it('summarises a run for the status bar', () => {
    assert.equal(statusText(1, softmaxOutcomes(lab, ['pass', 'fail', 'pass'])), '$(beaker) Lab 1: 2/3 checks');
  });

  it('puts the check title, expected and actual, and the hint in a diagnostic', () => {
    const [o] = softmaxOutcomes(lab, ['fail'], { expected: '[0.09, 0.24, 0.67]', actual: '[NaN, NaN, NaN]' });
    const msg = diagnosticMessage(o);
    assert.match(msg, new RegExp(`^${o.spec.title.replace(/[()]/g, '\\$&')}: `));
    assert.match(msg, /expected \[0\.09, 0\.24, 0\.67\], got \[NaN, NaN, NaN\]/);
    assert.ok(msg.includes(`Hint: ${o.spec.hint}`));
    assert.equal(msg, `${o.spec.title}: ${o.message}\nexpected [0.09, 0.24, 0.67], got [NaN, NaN, NaN]\nHint: ${o.spec.hint}`);
  });

  it('leaves out the expected/actual line when neither is known, and marks the one missing', () => {
    const [bare] = softmaxOutcomes(lab, ['fail']);
    assert.equal(diagnosticMessage(bare), `${bare.spec.title}: ${bare.message}\nHint: ${bare.spec.hint}`);
    const [onlyActual] = softmaxOutcomes(lab, ['fail'], { actual: 'NaN' });
    assert.match(diagnosticMessage(onlyActual), /\nexpected —, got NaN\n/);
    const [onlyExpected] = softmaxOutcomes(lab, ['fail'], { expected: '1' });
    assert.match(diagnosticMessage(onlyExpected), /\nexpected 1, got —\n/);
  });
});
