// The sidecar main thread ↔ check worker messages (internal to the sidecar).
import type { AutoGpu } from '../../core/compute/gpuProbeResult';
import type { BackendInfo, BackendPreference, CheckResult, VisualizeResult } from '../../core/protocol/sidecar';
import type { TranspiledFile } from './transpile';
import type { TaskFromWorker, TaskToWorker } from './taskMessages';
import type { LabModuleRef } from './labModuleRef';

export type ToWorker =
  | { type: 'init'; backend: BackendPreference; gpuModulesDir?: string; autoGpu?: AutoGpu }
  | { type: 'checks'; jobId: number; labModule: LabModuleRef; files: TranspiledFile[]; checkIds: string[] }
  | { type: 'visualize'; jobId: number; labModule: LabModuleRef; files: TranspiledFile[]; view: string; input: unknown }
  | { type: 'stats'; jobId: number }
  | TaskToWorker;

export type FromWorker =
  | { type: 'ready'; info: BackendInfo }
  | { type: 'initError'; message: string }
  | { type: 'checkStart'; jobId: number; id: string }
  | { type: 'checkDone'; jobId: number; result: CheckResult }
  | { type: 'jobDone'; jobId: number }
  | { type: 'visualized'; jobId: number; result: VisualizeResult }
  /**
   * A two-part view (labViewRun.ts) enters a part: 'reference' (no learner code, its own time
   * limit), then 'learner' with the reference payload (the learner's limit starts now).
   */
  | { type: 'viewPart'; jobId: number; part: 'reference' }
  | { type: 'viewPart'; jobId: number; part: 'learner'; payload: unknown }
  | { type: 'stats'; jobId: number; numTensors: number; numBytes: number; rssBytes: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | TaskFromWorker;
