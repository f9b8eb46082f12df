// The Testing view (issue 18): one run profile that also runs continuously; typing creates no
// TestRun; a run from the view runs what it asks for and honours cancellation; a continuous run
// collects every check run in one TestRun; item ranges follow the checked text. TestingView runs
// against the fake `vscode` module with Lab 1's real manifest.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { CheckOutcome } from '../../../core/checks/engine';
import { repoRoot } from '../../support/repoRoot';
import { cancellation, installFakeVscode, TestRunRequest } from '../../support/fakeVscode';

const fake = installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TestingView } = require('../../../src/checks/testingView') as typeof import('../../../src/checks/testingView');

const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;
const visible = lab.manifest.checks.filter((c) => !c.hidden);
const FILE = lab.manifest.files[0].path;
const settle = () => new Promise((r) => setImmediate(r));

function outcomes(status: CheckOutcome['status'] = 'pass', only?: string[]): CheckOutcome[] {
  return visible.filter((c) => !only || only.includes(c.function)).map((spec) => ({ id: spec.id, spec, status, message: status === 'pass' ? '' : 'wrong', durationMs: 1 }));
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-testing-'));
  writeFileSync(join(dir, FILE), 'export function softmax() {}\n');
  const active = { lab, dir };
  const engineCalls: { functions?: string[]; includeHidden: boolean; signal?: AbortSignal }[] = [];
  let release: (() => void) | undefined;
  const checks = {
    last: undefined as unknown,
    currentFiles: () => ({ files: [{ path: FILE, text: '' }] }),
    engine: {
      run: async (_l: unknown, _f: unknown, opts: { functions?: string[]; includeHidden: boolean; signal?: AbortSignal }) => {
        engineCalls.push(opts);
        if (release === null) await new Promise<void>((r) => (release = r));
        return { outcomes: outcomes('fail', opts.functions) };
      },
    },
  };
  const view = new TestingView({ current: active } as never, checks as never);
  view.reset();
  const controller = fake.testControllers.at(-1)!;
  const item = (id: string) => {
    const [, fn, check] = id.split('/');
    const fnItem = controller.items.get(lab.manifest.id)!.children.get(`${lab.manifest.id}/${fn}`)!;
    return check ? fnItem.children.get(id)! : fnItem;
  };
  const publish = (text: string, status: CheckOutcome['status'] = 'pass') =>
    view.onPublish({ active, texts: new Map([[FILE, text]]), run: { outcomes: outcomes(status) } } as never);
  return { dir, view, controller, item, engineCalls, publish, hold: () => (release = null as never), release: () => release?.(), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('Testing view', () => {
  beforeEach(() => fake.reset());

  it('has one run profile, the default, which also runs continuously', () => {
    const s = setup();
    try {
      assert.equal(s.controller.profiles.length, 1);
      assert.deepEqual([s.controller.profiles[0].isDefault, s.controller.profiles[0].supportsContinuousRun], [true, true]);
    } finally {
      s.cleanup();
    }
  });

  it('typing (a publish) creates no TestRun, but moves the items to where the functions now are', () => {
    const s = setup();
    try {
      const softmax = s.item(`${lab.manifest.id}/softmax`);
      assert.equal(softmax.range!.start.line, 0);
      s.publish('// a comment\n\n\nexport function softmax() {}\n');
      assert.equal(fake.testRuns.length, 0);
      assert.equal(softmax.range!.start.line, 3);
      softmax.children.forEach((c) => assert.equal(c.range!.start.line, 3));
    } finally {
      s.cleanup();
    }
  });

  it('a run from the view runs only the functions it includes and reports only the checks it asked for', async () => {
    const s = setup();
    try {
      const one = visible.find((c) => c.function === 'softmax')!;
      await s.controller.profiles[0].run(new TestRunRequest([s.item(`${lab.manifest.id}/softmax/${one.id}`)]), cancellation().token);
      assert.deepEqual(s.engineCalls.map((c) => [c.functions, c.includeHidden]), [[['softmax'], false]]);
      const run = fake.testRuns[0];
      assert.equal(run.ended, true);
      assert.deepEqual(run.results.map((r) => [r.state, r.item.id]), [['started', `${lab.manifest.id}/softmax/${one.id}`], ['failed', `${lab.manifest.id}/softmax/${one.id}`]]);
      // exclude wins over include
      await s.controller.profiles[0].run(new TestRunRequest([s.item(`${lab.manifest.id}/softmax`)], [s.item(`${lab.manifest.id}/softmax/${one.id}`)]), cancellation().token);
      assert.ok(fake.testRuns[1].results.every((r) => !r.item.id.endsWith(one.id)));
    } finally {
      s.cleanup();
    }
  });

  it('cancelling a run aborts the engine and reports nothing', async () => {
    const s = setup();
    try {
      s.hold();
      const c = cancellation();
      const running = s.controller.profiles[0].run(new TestRunRequest(), c.token);
      await settle();
      c.cancel();
      assert.equal(s.engineCalls[0].signal?.aborted, true);
      s.release();
      await running;
      const run = fake.testRuns[0];
      assert.equal(run.ended, true);
      assert.ok(run.results.every((r) => r.state === 'started'), 'no pass or fail after cancel');
    } finally {
      s.cleanup();
    }
  });

  it('a continuous run reports every publish into one TestRun, which ends when it is stopped', async () => {
    const s = setup();
    try {
      const c = cancellation();
      const running = s.controller.profiles[0].run(new TestRunRequest([s.item(`${lab.manifest.id}/softmax`)], undefined, undefined, true), c.token);
      await settle();
      s.publish('export function softmax() {}\n', 'fail');
      s.publish('export function softmax() {}\n', 'pass');
      assert.equal(fake.testRuns.length, 1, 'one TestRun for the whole session');
      const run = fake.testRuns[0];
      assert.equal(run.persist, false);
      const softmaxChecks = visible.filter((v) => v.function === 'softmax').length;
      assert.equal(run.results.length, 2 * softmaxChecks, 'only the included function, twice');
      assert.deepEqual([...new Set(run.results.map((r) => r.state))], ['failed', 'passed']);
      c.cancel();
      await running;
      assert.equal(run.ended, true);
      s.publish('export function softmax() {}\n');
      assert.equal(run.results.length, 2 * softmaxChecks, 'nothing after it stopped');
    } finally {
      s.cleanup();
    }
  });
});
