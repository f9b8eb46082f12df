// Grading goes on past a check that hit a limit (core/checks/engine.ts): the checks the sidecar
// reported as "not run: an earlier check stopped the run" are asked again in a fresh run, and only
// then; the loop ends when nothing progresses. The sidecar is a scripted stand-in that records each
// request (the real one is exercised by the grading and containment suites).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckEngine, readLabFiles } from '../../../core/checks/engine';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import type { CheckResult, CompileDiagnostic } from '../../../core/protocol/sidecar';
import { repoRoot } from '../../support/repoRoot';

type RunChecksParams = Parameters<SidecarClient['runChecks']>[0];

const lab = findLab(loadLabs(join(repoRoot(), 'labs')).labs, '01-attention')!;
const all = lab.manifest.checks.map((c) => c.id);
const STOPPED = 'not run: an earlier check stopped the run (timeout)';

interface Answer {
  results: (ids: string[]) => CheckResult[];
  compileErrors?: CompileDiagnostic[];
  durationMs?: number;
}

/** A sidecar that gives the scripted answers in turn and records the ids each request asked for. */
function scripted(...answers: Answer[]) {
  const asked: string[][] = [];
  const client = {
    runChecks: async (p: RunChecksParams) => {
      asked.push(p.checkIds ?? []);
      const a = answers[Math.min(asked.length - 1, answers.length - 1)];
      return { runId: 'r', compileErrors: a.compileErrors ?? [], backend: 'wasm' as const, durationMs: a.durationMs ?? 10, results: a.results(p.checkIds ?? []) };
    },
  };
  return { e: new CheckEngine(client as never, () => ({ timeoutMs: 1000, memoryMb: 64 })), asked };
}

const pass = (id: string): CheckResult => ({ id, status: 'pass', message: '', durationMs: 1 });
const stopped = (id: string): CheckResult => ({ id, status: 'not-run', message: STOPPED, durationMs: 0 });
/** The third check hits the time limit; the ones after it are not run. */
const timeoutAtThird: Answer = {
  results: (ids) => ids.map((id, i) => (i < 2 ? pass(id) : i === 2 ? { id, status: 'timeout', message: 'took longer than 1000 ms', durationMs: 1000 } : stopped(id))),
  durationMs: 1000,
};

describe('check engine: grading past a check that hit a limit', () => {
  it('asks again for exactly the checks that were not run, merges their results and adds the time', async () => {
    const { e, asked } = scripted(timeoutAtThird, { results: (ids) => ids.map(pass), durationMs: 30 });
    const r = await e.run(lab, [], { includeHidden: true });
    assert.deepEqual(asked, [all, all.slice(3)]);
    assert.deepEqual(r.outcomes.map((o) => o.status), ['pass', 'pass', 'timeout', ...all.slice(3).map(() => 'pass')]);
    assert.equal(r.durationMs, 1030);
  });

  it('keeps going run after run while each one progresses', async () => {
    // The second run times out on its first check too; the third finishes.
    const { e, asked } = scripted(timeoutAtThird, { results: (ids) => ids.map((id, i) => (i === 0 ? { id, status: 'timeout', message: 'slow', durationMs: 1000 } : stopped(id))) }, { results: (ids) => ids.map(pass) });
    const r = await e.run(lab, [], { includeHidden: true });
    assert.deepEqual(asked, [all, all.slice(3), all.slice(4)]);
    assert.equal(r.outcomes.filter((o) => o.status === 'pass').length, all.length - 2);
  });

  it('stops when a run makes no progress, keeping the "not run" results', async () => {
    const { e, asked } = scripted(timeoutAtThird, { results: (ids) => ids.map(stopped) });
    const r = await e.run(lab, [], { includeHidden: true });
    assert.equal(asked.length, 2);
    assert.ok(r.outcomes.slice(3).every((o) => o.message === STOPPED));
  });

  it('stops when the run again reports compile errors', async () => {
    const error: CompileDiagnostic = { file: 'attention.ts', line: 1, column: 1, message: 'x' } as CompileDiagnostic;
    const { e, asked } = scripted(timeoutAtThird, { results: (ids) => ids.map((id, i) => (i === 0 ? pass(id) : stopped(id))), compileErrors: [error] }, { results: (ids) => ids.map(pass) });
    await e.run(lab, [], { includeHidden: true });
    assert.equal(asked.length, 2);
  });

  it('does not ask again while typing, after compile errors, or once cancelled', async () => {
    const typing = scripted(timeoutAtThird, { results: (ids) => ids.map(pass) });
    await typing.e.run(lab, [], { includeHidden: false });
    assert.equal(typing.asked.length, 1);

    const error = { file: 'attention.ts', line: 1, column: 1, message: 'x' } as CompileDiagnostic;
    const broken = scripted({ ...timeoutAtThird, compileErrors: [error] }, { results: (ids) => ids.map(pass) });
    const r = await broken.e.run(lab, [], { includeHidden: true });
    assert.equal(broken.asked.length, 1);
    assert.deepEqual(r.compileErrors, [error]);

    const cancelled = scripted(timeoutAtThird, { results: (ids) => ids.map(pass) });
    const ac = new AbortController();
    ac.abort();
    await cancelled.e.run(lab, [], { includeHidden: true, signal: ac.signal });
    assert.equal(cancelled.asked.length, 1);
  });

  it('re-runs only checks whose message starts with the sidecar\'s "not run" wording', async () => {
    const quoting: Answer = { results: (ids) => ids.map((id, i) => (i === 0 ? { id, status: 'fail', message: `softmax printed "${STOPPED}"`, durationMs: 1 } : pass(id))) };
    const { e, asked } = scripted(quoting, { results: (ids) => ids.map(pass) });
    const r = await e.run(lab, [], { includeHidden: true });
    assert.equal(asked.length, 1);
    assert.equal(r.outcomes[0].status, 'fail');
  });

  it('re-asks for a check the sidecar left out only when it said "not run"', async () => {
    // The first check is missing from the answer: it is reported, not re-run.
    const { e, asked } = scripted({ results: (ids) => ids.slice(1).map(pass) });
    const r = await e.run(lab, [], { includeHidden: true });
    assert.equal(asked.length, 1);
    assert.equal(r.outcomes[0].status, 'not-run');
  });
});

describe('check engine: reading the learner\'s files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tl-readfiles-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each exercise file by its path in the lab', () => {
    for (const f of lab.manifest.files) writeFileSync(join(dir, f.path), `// ${f.path} ✓\n`);
    assert.deepEqual(readLabFiles(lab, dir), lab.manifest.files.map((f) => ({ path: f.path, text: `// ${f.path} ✓\n` })));
  });

  it('names a missing file and how to get it back, and says why an unreadable one failed', () => {
    const first = lab.manifest.files[0].path;
    assert.throws(() => readLabFiles(lab, dir), (err: Error) => err.message === `${join(dir, first)} is missing: it is one of the files of lab "01-attention" (Reset Lab restores it)`);
    mkdirSync(join(dir, first));
    assert.throws(() => readLabFiles(lab, dir), (err: Error) => err.message.startsWith(`${join(dir, first)} cannot be read (EISDIR`) && err.message.endsWith('it is one of the files of lab "01-attention" (Reset Lab restores it)'));
  });
});
