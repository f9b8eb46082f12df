// Runs Lab 4's checks and view in process, the way the sidecar's worker does (sandbox, check
// context, one tf scope per check), on the solution, the starter, another style, or a mutated
// copy of the solution.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LabModule, Tf } from '../../../core/checks/checkApi';
import { findBuildPaths } from '../../../core/compute/paths';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import * as helpers from '../../../sidecar/learner/helpers';
import { createCheckContext } from '../../../sidecar/runner/checkContext';
import { Sandbox } from '../../../sidecar/runner/sandbox';
import { transpile } from '../../../sidecar/runner/transpile';
import { repoRoot } from '../../support/repoRoot';

export const LAB_ID = '04-tokenizer';
export const LAB_DIR = join(repoRoot(), 'labs', LAB_ID);
export const FILES = ['bpe.ts', 'gpt2.ts', 'trainer.ts'] as const;
export type LabFile = (typeof FILES)[number];

export function labModule(): LabModule {
  return require(join(findBuildPaths(__dirname).labsDist, LAB_ID, 'checks.js')) as LabModule;
}

export function source(which: 'solution' | 'starter', file: LabFile): string {
  return readFileSync(join(LAB_DIR, which, file), 'utf8');
}

/** The solution's text with `from` replaced by `to` (asserting that `from` is there, once). */
export function mutate(file: LabFile, from: string, to: string): string {
  const text = source('solution', file);
  assert.ok(text.includes(from), `the solution's ${file} no longer contains ${JSON.stringify(from)}`);
  assert.equal(text.indexOf(from), text.lastIndexOf(from), `${JSON.stringify(from)} occurs more than once in ${file}`);
  return text.replace(from, to);
}

export function sandboxOf(texts: Partial<Record<LabFile, string>>, which: 'solution' | 'starter' = 'solution'): Sandbox {
  const files = FILES.map((path) => ({ path, text: texts[path] ?? source(which, path) }));
  const { files: js, diagnostics } = transpile(files);
  assert.deepEqual(diagnostics, []);
  return new Sandbox(js, { tf, helpers, log: () => undefined });
}

export interface Outcome {
  status: 'pass' | 'fail' | 'error';
  message: string;
  expected?: string;
  actual?: string;
}

export async function runCheck(mod: LabModule, sandbox: Sandbox, id: string): Promise<Outcome> {
  const ctx = createCheckContext(tf as unknown as Tf, sandbox);
  tf.engine().startScope();
  try {
    await mod.checks[id](ctx);
    return { status: 'pass', message: 'passed' };
  } catch (err) {
    const e = err as { name?: string; message?: string; expected?: string; actual?: string };
    return { status: e.name === 'CheckFailure' ? 'fail' : 'error', message: e.message ?? String(err), expected: e.expected, actual: e.actual };
  } finally {
    tf.engine().endScope();
  }
}

export async function runView(mod: LabModule, sandbox: Sandbox, input: unknown): Promise<any> {
  const ctx = createCheckContext(tf as unknown as Tf, sandbox);
  tf.engine().startScope();
  try {
    // Through JSON, as over the sidecar's wire.
    return JSON.parse(JSON.stringify(await mod.visualize!.tokens(ctx, input)));
  } finally {
    tf.engine().endScope();
  }
}

export async function setUp(): Promise<void> {
  await loadBackend('wasm');
}
