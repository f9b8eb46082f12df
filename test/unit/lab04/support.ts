// Lab 4 in process, the way the sidecar's worker runs it (test/support/labInProcess.ts), plus its
// token view through JSON as over the sidecar's wire.
import * as tf from '@tensorflow/tfjs-core';
import type { LabModule, Tf } from '../../../core/checks/checkApi';
import { loadBackend } from '../../../sidecar/backend/loadBackend';
import { createCheckContext } from '../../../sidecar/runner/checkContext';
import type { Sandbox } from '../../../sidecar/runner/sandbox';
import { LabInProcess } from '../../support/labInProcess';
import { runViewHere } from '../../support/runView';

export { runCheck, type Outcome } from '../../support/labInProcess';

export const LAB_ID = '04-tokenizer';
export const LAB4 = new LabInProcess(LAB_ID);
export const LAB_DIR = LAB4.dir;
export const FILES = ['bpe.ts', 'gpt2.ts', 'trainer.ts'] as const;
export type LabFile = (typeof FILES)[number];

export function labModule(): LabModule {
  return LAB4.module();
}

export function source(which: 'solution' | 'starter', file: LabFile): string {
  return LAB4.source(which, file);
}

export function sandboxOf(texts: Partial<Record<LabFile, string>>, which: 'solution' | 'starter' = 'solution'): Sandbox {
  return LAB4.sandboxOf(texts as Record<string, string>, which);
}

export async function runView(mod: LabModule, sandbox: Sandbox, input: unknown): Promise<any> {
  const ctx = createCheckContext(tf as unknown as Tf, sandbox);
  tf.engine().startScope();
  try {
    // Through JSON, as over the sidecar's wire.
    return JSON.parse(JSON.stringify(await runViewHere(mod.visualize!.tokens, ctx, input)));
  } finally {
    tf.engine().endScope();
  }
}

export async function setUp(): Promise<void> {
  await loadBackend('wasm');
}
