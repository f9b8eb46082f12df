// Runs Lab 6's checks and views in process, the way the sidecar's worker does (sandbox,
// check context, one tf scope per check), on the solution or on a mutated copy of it.
import * as tf from '@tensorflow/tfjs-core';
import type { LabModule, Tf } from '../../../core/checks/checkApi';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { createCheckContext } from '../../../sidecar/runner/checkContext';
import type { Sandbox } from '../../../sidecar/runner/sandbox';
import { randomTrainedModel, useTrainedModelForTests, type TrainedModel } from '../../../sidecar/reference/decoding/trainedModel';
import { findMiniGptDir } from '../../../sidecar/reference/decoding/trainedModel';
import { mulberry32 } from '../../../sidecar/reference/random';
import { LabInProcess } from '../../support/labInProcess';
import { runViewHere } from '../../support/runView';

export { runCheck, type Outcome } from '../../support/labInProcess';

export const LAB6 = new LabInProcess('06-mini-gpt');
export const LAB_DIR = LAB6.dir;
export const FILES = ['decoding.ts', 'model.ts', 'attention.ts'] as const;
export type LabFile = (typeof FILES)[number];

export function labModule(): LabModule {
  return LAB6.module();
}

export function source(which: 'solution' | 'starter', file: LabFile): string {
  return LAB6.source(which, file);
}

/** The solution's text with `from` replaced by `to` (asserting that `from` is there). */
export function mutate(file: LabFile, from: string, to: string): string {
  return LAB6.mutate(file, from, to);
}

export function sandboxOf(texts: Partial<Record<LabFile, string>>, which: 'solution' | 'starter' = 'solution'): Sandbox {
  return LAB6.sandboxOf(texts as Record<string, string>, which);
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
