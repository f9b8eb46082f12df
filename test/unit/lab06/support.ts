// Runs Lab 6's checks and views in process, the way the sidecar's worker does (sandbox,
// check context, one tf scope per check), on the solution or on a mutated copy of it.
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
import { randomTrainedModel, useTrainedModelForTests, type TrainedModel } from '../../../sidecar/reference/decoding/trainedModel';
import { findMiniGptDir } from '../../../sidecar/reference/decoding/trainedModel';
import { mulberry32 } from '../../../sidecar/reference/random';
import { repoRoot } from '../../support/repoRoot';
import { runViewHere } from '../../support/runView';

export const LAB_DIR = join(repoRoot(), 'labs', '06-mini-gpt');
export const FILES = ['decoding.ts', 'model.ts', 'attention.ts'] as const;
export type LabFile = (typeof FILES)[number];

export function labModule(): LabModule {
  return require(join(findBuildPaths(__dirname).labsDist, '06-mini-gpt', 'checks.js')) as LabModule;
}

export function source(which: 'solution' | 'starter', file: LabFile): string {
  return readFileSync(join(LAB_DIR, which, file), 'utf8');
}

/** The solution's text with `from` replaced by `to` (asserting that `from` is there). */
export function mutate(file: LabFile, from: string, to: string): string {
  const text = source('solution', file);
  assert.ok(text.includes(from), `the solution's ${file} no longer contains ${JSON.stringify(from)}`);
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

export async function runView(mod: LabModule, sandbox: Sandbox, view: string, input: unknown): Promise<any> {
  const ctx = createCheckContext(tf as unknown as Tf, sandbox);
  tf.engine().startScope();
  try {
    // Through JSON, as over the sidecar's wire (and so the sandbox's arrays compare equal).
    return JSON.parse(JSON.stringify(await runViewHere(mod.visualize![view], ctx, input)));
  } finally {
    tf.engine().endScope();
  }
}

/** A random model with the real configuration, used when the trained one is not on disk. */
export function testModel(): TrainedModel {
  const vocab = [...new Set(Array.from("\n !\"'(),-.:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))];
  return randomTrainedModel({ vocabSize: vocab.length, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128 }, vocab, mulberry32(606));
}

export function trainedModelOnDisk(): boolean {
  try {
    findMiniGptDir(__dirname);
    return true;
  } catch {
    return false;
  }
}

/** Sets up tf (wasm) and, if the trained model is missing, a random stand-in. */
export async function setUp(): Promise<{ usingRandomModel: boolean }> {
  await loadBackend('wasm');
  const usingRandomModel = !trainedModelOnDisk();
  useTrainedModelForTests(usingRandomModel ? testModel() : undefined);
  return { usingRandomModel };
}

export function tearDown(): void {
  useTrainedModelForTests(undefined);
}
