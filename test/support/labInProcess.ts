// Runs a lab's checks in process, the way the sidecar's worker does (transpile, sandbox, check
// context, one tf scope per check), on the lab's solution, its starter, or a changed copy of
// either: the planted-mistake and other-style tests of every lab use it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LabModule, Tf } from '../../core/checks/checkApi';
import { findBuildPaths } from '../../core/compute/paths';
import { findLab, loadLabs } from '../../core/labs/labLoader';
import type { CheckSpec, Lab } from '../../core/labs/manifest';
import * as helpers from '../../sidecar/learner/helpers';
import { createCheckContext } from '../../sidecar/runner/checkContext';
import { forgetAssertions, settleAssertions } from '../../core/checks/expect';
import { Sandbox } from '../../sidecar/runner/sandbox';
import { transpile } from '../../sidecar/runner/transpile';
import { replaceFunctions } from '../e2e/splice';
import { repoRoot } from './repoRoot';

export interface Outcome {
  status: 'pass' | 'fail' | 'error';
  message: string;
  expected?: string;
  actual?: string;
}

export type Which = 'solution' | 'starter';

export class LabInProcess {
  readonly lab: Lab;
  readonly dir: string;
  /** The exercise files' paths, as the learner's workspace names them. */
  readonly files: string[];
  private mod?: LabModule;

  constructor(readonly id: string) {
    const found = findLab(loadLabs(join(repoRoot(), 'labs')).labs, id);
    assert.ok(found, `lab ${id} does not load`);
    this.lab = found;
    this.dir = found.dir;
    this.files = found.manifest.files.map((f) => f.path);
  }

  module(): LabModule {
    this.mod ??= require(join(findBuildPaths(__dirname).labsDist, this.id, 'checks.js')) as LabModule;
    return this.mod;
  }

  spec(id: string): CheckSpec {
    const s = this.lab.manifest.checks.find((c) => c.id === id);
    assert.ok(s, `${this.id} has no check "${id}"`);
    return s;
  }

  source(which: Which, file: string): string {
    const f = this.lab.manifest.files.find((x) => x.path === file);
    assert.ok(f, `${this.id} has no exercise file ${file}`);
    return readFileSync(join(this.dir, which === 'solution' ? f.solution : f.starter), 'utf8');
  }

  /** The solution's text of `file` with `from` replaced by `to` (asserting that `from` is there). */
  mutate(file: string, from: string, to: string): string {
    const text = this.source('solution', file);
    assert.ok(text.includes(from), `the solution's ${file} no longer contains ${JSON.stringify(from)}`);
    return text.replace(from, to);
  }

  /** The solution's text of `file` with the named functions replaced by the given texts. */
  withFunctions(file: string, functions: Record<string, string>): string {
    return replaceFunctions(this.source('solution', file), functions);
  }

  /** A sandbox with the given texts, and the solution's (or starter's) text for every other file. */
  sandboxOf(texts: Record<string, string>, which: Which = 'solution'): Sandbox {
    const files = this.files.map((path) => ({ path, text: texts[path] ?? this.source(which, path) }));
    const { files: js, diagnostics } = transpile(files);
    assert.deepEqual(diagnostics, []);
    return new Sandbox(js, { tf, helpers, log: () => undefined });
  }

  async run(sandbox: Sandbox, id: string): Promise<Outcome> {
    return runCheck(this.module(), sandbox, id);
  }

  /** Each of `ids` run on `sandbox`, by id. */
  async runEach(sandbox: Sandbox, ids: readonly string[]): Promise<Record<string, Outcome>> {
    const out: Record<string, Outcome> = {};
    for (const id of ids) out[id] = await this.run(sandbox, id);
    return out;
  }

  /** Every check of the lab that does not pass on `sandbox`, as "id: message" lines. */
  async failures(sandbox: Sandbox): Promise<string[]> {
    const failed: string[] = [];
    for (const c of this.lab.manifest.checks) {
      const r = await this.run(sandbox, c.id);
      if (r.status !== 'pass') failed.push(`${c.id}: ${r.status} ${r.message}`);
    }
    return failed;
  }
}

export async function runCheck(mod: LabModule, sandbox: Sandbox, id: string): Promise<Outcome> {
  const ctx = createCheckContext(tf as unknown as Tf, sandbox);
  tf.engine().startScope();
  forgetAssertions();
  try {
    await mod.checks[id](ctx);
    await settleAssertions(); // as the sidecar's worker does
    return { status: 'pass', message: 'passed' };
  } catch (err) {
    const e = err as { name?: string; message?: string; expected?: string; actual?: string };
    return { status: e.name === 'CheckFailure' ? 'fail' : 'error', message: e.message ?? String(err), expected: e.expected, actual: e.actual };
  } finally {
    tf.engine().endScope();
  }
}
