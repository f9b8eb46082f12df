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
import type { CheckResult, CompileDiagnostic, RunLimits } from '../../../core/protocol/sidecar';
import { limitsAfterTimeout } from '../../../core/checks/timeLimits';
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
  return scriptedWith(1000, ...answers);
}

function scriptedWith(full: number, ...answers: Answer[]) {
  const asked: string[][] = [];
  const limits: RunLimits[] = [];
  const client = {
    runChecks: async (p: RunChecksParams) => {
      asked.push(p.checkIds ?? []);
      limits.push(p.limits);
      const a = answers[Math.min(asked.length - 1, answers.length - 1)];
      return { runId: 'r', compileErrors: a.compileErrors ?? [], backend: 'wasm' as const, durationMs: a.durationMs ?? 10, results: a.results(p.checkIds ?? []) };
    },
  };
  return { e: new CheckEngine(client as never, () => ({ timeoutMs: full, memoryMb: 64 })), asked, limits };
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

  it('after a check hits the time limit, each check of the re-runs gets a limit of its own: a fifth of the full one, never under 1 s', async () => {
    const { e, limits } = scriptedWith(5000, timeoutAtThird, { results: (ids) => ids.map((id, i) => (i === 0 ? { id, status: 'timeout', message: 'slow', durationMs: 1000 } : stopped(id))) }, { results: (ids) => ids.map(pass) });
    await e.run(lab, [], { includeHidden: true });
    assert.deepEqual(limits, [{ timeoutMs: 5000, memoryMb: 64 }, { timeoutMs: 5000, memoryMb: 64, perCheckMs: 1000 }, { timeoutMs: 5000, memoryMb: 64, perCheckMs: 1000 }]);
    for (const [full, each] of [[700, 700], [1000, 1000], [5000, 1000], [10_000, 2000], [60_000, 12_000]]) {
      assert.equal(limitsAfterTimeout({ timeoutMs: full, memoryMb: 64 }).perCheckMs, each, `after a time-out at ${full} ms`);
    }
  });

  it('a run stopped by the memory limit leaves the limits of the re-run as they were', async () => {
    const memoryAtFirst: Answer = { results: (ids) => ids.map((id, i) => (i === 0 ? { id, status: 'memory', message: 'used more than 64 MB', durationMs: 5 } : stopped(id))) };
    const { e, limits } = scripted(memoryAtFirst, { results: (ids) => ids.map(pass) });
    await e.run(lab, [], { includeHidden: true });
    assert.deepEqual(limits, [{ timeoutMs: 1000, memoryMb: 64 }, { timeoutMs: 1000, memoryMb: 64 }]);
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
