// The sidecar main thread ↔ check worker messages (internal to the sidecar).
import type { BackendInfo, BackendPreference, CheckResult, VisualizeResult } from '../../core/protocol/sidecar';
import type { TranspiledFile } from './transpile';

export type ToWorker =
  | { type: 'init'; backend: BackendPreference; gpuModulesDir?: string }
  | { type: 'checks'; jobId: number; labModule: string; files: TranspiledFile[]; checkIds: string[] }
  | { type: 'visualize'; jobId: number; labModule: string; files: TranspiledFile[]; view: string; input: unknown }
  | { type: 'stats'; jobId: number };

export type FromWorker =
  | { type: 'ready'; info: BackendInfo }
  | { type: 'initError'; message: string }
  | { type: 'checkStart'; jobId: number; id: string }
  | { type: 'checkDone'; jobId: number; result: CheckResult }
  | { type: 'jobDone'; jobId: number }
  | { type: 'visualized'; jobId: number; result: VisualizeResult }
  | { type: 'stats'; jobId: number; numTensors: number; numBytes: number; rssBytes: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
