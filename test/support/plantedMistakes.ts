// The planted-mistake suite every lab shares: each mistake is a small edit of the solution; the
// VISIBLE check aimed at it must fail (not error) with a message that names the mistake and
// shows expected vs actual, and no mistake may be caught by hidden checks alone.
import assert from 'node:assert/strict';
import type { LabInProcess, Outcome } from './labInProcess';

export interface Mistake {
  name: string;
  file: string;
  /** Edits of the solution's text, applied in order: [from, to]. */
  edits: [string, string][];
  /** The visible check that must fail for this mistake, and what its message must say. */
  caughtBy: string;
  message: RegExp;
  /** Further checks (visible or hidden) that must not pass either. */
  alsoCaughtBy?: string[];
}

export function plantedText(lab: LabInProcess, m: Mistake): string {
  let text = lab.source('solution', m.file);
  for (const [from, to] of m.edits) {
    assert.ok(text.includes(from), `${m.name}: the solution's ${m.file} no longer contains ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

/**
 * The standard suite of a lab's checks, in process: the solution passes every check (hidden
 * ones included), the starter makes every check "not started" (never a crash of the check),
 * and every planted mistake is caught by its visible check. `setUp` loads the backend (and
 * whatever else the lab needs); `tearDown` undoes it.
 */
export function describeLabChecks(title: string, lab: () => LabInProcess, mistakes: Mistake[], setUp: () => Promise<unknown>, tearDown?: () => void): void {
  describe(title, function () {
    this.timeout(180_000);
    before(setUp);
    if (tearDown) after(tearDown);

    it('the solution passes every check, hidden ones included', async () => {
      assert.deepEqual(await lab().failures(lab().sandboxOf({})), []);
    });

    it('the starter: every check is "not started", never a crash of the check', async () => {
      const l = lab();
      const sandbox = l.sandboxOf({}, 'starter');
      for (const c of l.lab.manifest.checks) {
        const r = await l.run(sandbox, c.id);
        assert.equal(r.status, 'error', `${c.id}: ${r.status} ${r.message}`);
        assert.match(r.message, /is not started yet/, c.id);
      }
    });

    itCatchesEach(lab, mistakes);
  });
}

/** A correct solution in another style (functions replaced in the solution's files) passes every check. */
export function describeOtherStyle(title: string, lab: () => LabInProcess, texts: () => Record<string, string>, setUp: () => Promise<unknown>, tearDown?: () => void): void {
  describe(title, function () {
    this.timeout(180_000);
    before(setUp);
    if (tearDown) after(tearDown);

    it('passes every check, hidden ones included', async () => {
      assert.deepEqual(await lab().failures(lab().sandboxOf(texts())), []);
    });
  });
}

/** Registers one mocha test per mistake (call inside a describe whose before() set up tf). */
export function itCatchesEach(lab: () => LabInProcess, mistakes: Mistake[]): void {
  for (const m of mistakes) {
    it(`catches: ${m.name} (${m.caughtBy})`, async () => {
      const l = lab();
      assert.equal(l.spec(m.caughtBy).hidden, false, `${m.caughtBy} must be a visible check`);
      const sandbox = l.sandboxOf({ [m.file]: plantedText(l, m) });
      const r: Outcome = await l.run(sandbox, m.caughtBy);
      assert.equal(r.status, 'fail', `${m.caughtBy} should fail where ${m.name}, got ${r.status}: ${r.message}`);
      assert.match(r.message, m.message, `${m.caughtBy}'s message should name the mistake`);
      assert.ok(r.expected && r.actual, `${m.caughtBy}'s failure should say expected and actual: ${r.message}`);
      for (const id of m.alsoCaughtBy ?? []) {
        const o = await l.run(sandbox, id);
        assert.notEqual(o.status, 'pass', `${id} passed a solution where ${m.name}`);
      }
    });
  }
}
