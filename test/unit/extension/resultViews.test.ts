// Result views (issue 18): a failing check's details open in the Testing peek, with expected
// against actual as a diff at the failing line, instead of a modal dialog; the status bar names the
// macOS keys on macOS. ResultViews and TestingView run against the fake `vscode` module with Lab 1's
// real manifest.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { CheckOutcome } from '../../../core/checks/engine';
import { repoRoot } from '../../support/repoRoot';
import { EventEmitter, installFakeVscode, TestMessage } from '../../support/fakeVscode';

const fake = installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ResultViews } = require('../../../src/checks/resultViews') as typeof import('../../../src/checks/resultViews');

const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;
const SOFTMAX = 'export function softmax(x: number[][]): number[][] {\n  return x;\n}\n';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-results-'));
  const active = { lab, dir, marker: {}, folder: {} };
  const registry = {
    current: active,
    onDidChangeActive: () => ({ dispose: () => undefined }),
    exerciseFileOf: () => undefined,
  };
  const published = new EventEmitter<unknown>();
  const checks = { onDidPublish: published.event, onDidFail: () => ({ dispose: () => undefined }), busy: false, last: undefined as unknown };
  const ctx = { push: <T>(d: T) => d, output: { debug: () => undefined, info: () => undefined }, settings: { traceTiming: false } };
  const views = new ResultViews(ctx as never, registry as never, checks as never);
  const spec = lab.manifest.checks.find((c) => c.id === 'softmax-sums-to-one')!;
  const failing: CheckOutcome = {
    id: spec.id, spec, status: 'fail', durationMs: 3,
    message: 'softmax([[1, 2]]): row 0 sums to 3, expected 1',
    expected: '[[0.2689, 0.7311]]', actual: '[[1, 2]]',
    location: { file: spec.file, line: 2, column: 3 },
  };
  const publish = (outcomes: CheckOutcome[]) => {
    const p = {
      active, texts: new Map([[spec.file, SOFTMAX]]), trace: { mark: () => undefined, format: () => '' },
      run: { labId: lab.manifest.id, compileErrors: [], outcomes, backend: 'wasm', durationMs: 5 },
    };
    checks.last = p;
    published.fire(p);
  };
  return { dir, views, failing, publish, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('result views', () => {
  beforeEach(() => fake.reset());

  it('Show Check Details opens the Testing peek on the failure, with a diff, and no modal dialog', async () => {
    const s = setup();
    try {
      s.publish([s.failing]);
      await s.views.showDetails(s.failing.id);
      assert.equal(fake.shown.length, 0, 'no message box');
      const run = fake.testRuns.at(-1)!;
      assert.equal(run.persist, false);
      assert.equal(run.ended, true);
      assert.equal(run.results.length, 1);
      assert.deepEqual(run.request.include?.map((i) => i.id), [run.results[0].item.id], 'the run asks for exactly that check');
      const r = run.results[0];
      assert.equal(r.state, 'failed');
      assert.ok(r.item.id.endsWith(s.failing.id));
      const msg = r.message as TestMessage;
      assert.equal(msg.expectedOutput, s.failing.expected);
      assert.equal(msg.actualOutput, s.failing.actual);
      assert.match(msg.message, /row 0 sums to 3[\s\S]*Hint: /);
      assert.equal(msg.location!.range.start.line, 1, 'at the failing line (0-based)');
      // The editor is put just above the failure and the peek asked for.
      assert.equal(fake.openedEditors.at(-1)!.uri.fsPath, join(s.dir, s.failing.spec.file));
      assert.equal(fake.openedEditors.at(-1)!.selection!.start.line, 0);
      assert.equal(fake.commands.at(-1)!.id, 'testing.goToNextMessage');
    } finally {
      s.cleanup();
    }
  });

  it('a hidden check (no Testing item) is still shown, as a plain message', async () => {
    const s = setup();
    try {
      const hidden = lab.manifest.checks.find((c) => c.hidden)!;
      const o = { ...s.failing, id: hidden.id, spec: hidden };
      s.publish([o]);
      await s.views.showDetails(hidden.id);
      assert.equal(fake.shown.length, 1);
      assert.match(fake.shown[0].message, /row 0 sums to 3/);
      assert.equal(fake.commands.some((c) => c.id === 'testing.goToNextMessage'), false);
    } finally {
      s.cleanup();
    }
  });

  it('the status bar tooltip names the macOS keys on macOS and Ctrl elsewhere', () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    try {
      for (const [os, keys] of [['darwin', '⌥⌘↩'], ['linux', 'Ctrl+Alt+Enter'], ['win32', 'Ctrl+Alt+Enter']] as const) {
        Object.defineProperty(process, 'platform', { value: os });
        fake.reset();
        const s = setup();
        s.cleanup();
        const status = fake.statusBar[0];
        assert.ok(status.tooltip?.includes(keys), `${os}: ${status.tooltip}`);
        if (os === 'darwin') assert.doesNotMatch(status.tooltip!, /Ctrl/);
      }
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});
