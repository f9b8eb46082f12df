// Where the training panel's runs come from: the current lab's fine-tuning task in the sidecar,
// on the learner's code as it is in the editor when Start is pressed.
import * as vscode from 'vscode';
import type { CheckController } from '../checks/checkController';
import type { ComputeService } from '../compute/computeService';
import { readSettings } from '../config';
import type { LabRegistry } from '../labs/labRegistry';
import { TRAINING_TASK, TRAINING_TIME_LIMIT_MS, TRAINING_VIEW } from './trainingData';
import type { TrainingPanelSource } from './trainingPanel';

export function trainingTaskSource(registry: LabRegistry, checks: CheckController, compute: ComputeService, revealFunction: (name: string) => void): TrainingPanelSource {
  return {
    run: async (input, onProgress, signal) => {
      const a = registry.current;
      if (!a) return { unavailable: vscode.l10n.t('Open a lab folder first (Transformer Labs: Open Lab…).') };
      if (!vscode.workspace.isTrusted) return { unavailable: vscode.l10n.t('Fine-tuning runs your code, so it works only in a trusted workspace.') };
      if (!a.lab.manifest.visualizations.some((v) => v.id === TRAINING_VIEW)) return { unavailable: vscode.l10n.t('{0} has no fine-tuning: open Lab 5.', a.lab.manifest.title) };
      const { files } = checks.currentFiles(a);
      // The task's own time limit (minutes); the heap limit is the learner's setting, as for checks.
      const limits = { timeoutMs: TRAINING_TIME_LIMIT_MS, memoryMb: readSettings().limits.memoryMb };
      return (await compute.client()).runTask({ labId: a.lab.manifest.id, labChecks: a.lab.checksSource, files, task: TRAINING_TASK, input, limits }, onProgress, signal);
    },
    labTitle: () => registry.current?.lab.manifest.title,
    revealFunction,
  };
}
