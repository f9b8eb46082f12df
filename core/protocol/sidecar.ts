// The extension↔sidecar protocol: JSON-RPC (vscode-jsonrpc) over the sidecar's stdio.
// Both sides import this file; one namespace per message, as in vscode-eslint.
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';

/**
 * What the user asked for in `transformerLabs.computeBackend`. `gpu` is either GPU route on a
 * hardware adapter; `webgpu` is WebGPU on whatever adapter Dawn offers, software ones included
 * (that is how tests and CI select llvmpipe).
 */
export type BackendPreference = 'auto' | 'gpu' | 'webgpu' | 'node' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'gpu', 'webgpu', 'node', 'wasm', 'cpu'];
/** What actually runs. */
export type BackendName = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

/** The WebGPU adapter Dawn gave, as GPUAdapterInfo names it. */
export interface GpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (llvmpipe/lavapipe, SwiftShader, WARP): slower than wasm. */
  software: boolean;
}

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Why it was not used, in words for the learner (e.g. "@tensorflow/tfjs-node-gpu is not installed"). */
  reason?: string;
}

export interface BackendInfo {
  name: BackendName;
  /** Every backend tried, in order, so the status bar hover can explain the choice. */
  attempts: BackendAttempt[];
  tfjsVersion: string;
  nodeVersion: string;
  /** The adapter, when the webgpu route was probed (in use, or refused for being software). */
  adapter?: GpuAdapter;
  /**
   * Whether Node's permission model confines the process that loaded the backend (the sidecar's
   * own; learner code runs in the check process that `containment` describes).
   */
  permissionModel?: boolean;
  /** The preference's whole order, so the hover can say which backends were never tried. */
  order?: BackendName[];
  /** What contains the learner-code process, for the status bar hover (sidecar/runner/containment.ts). */
  containment?: ContainmentReport;
}

/** The layers around learner code, each on or off with the reason. */
export interface ContainmentReport {
  /** Node's permission model: reads only `readPaths`, no writes, no programs, no threads. */
  permissionModel: { on: boolean; readPaths: string[]; reason?: string };
  /**
   * The OS layer (Linux: unshare): a network namespace (no network at all) and a PID namespace
   * with its own /proc (no other process visible or signalable). Off: the other layers only.
   */
  os: { networkIsolated: boolean; processesIsolated: boolean; how: string };
}

/** The text of one learner file, as it is in the editor (saved or not). */
export interface SourceFile {
  /** Path inside the lab workspace, as in the manifest's `files[].path`. */
  path: string;
  text: string;
}

export interface RunLimits {
  /** The budget of one run, all its checks together. */
  timeoutMs: number;
  memoryMb: number;
  /**
   * A limit for each check of the run on its own (checks only; views and tasks ignore it). The
   * check engine sets it for the runs after a check hit `timeoutMs` (core/checks/timeLimits.ts).
   */
  perCheckMs?: number;
}

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** A compile (syntax) error in a learner file. */
export interface CompileDiagnostic extends SourceLocation {
  endLine: number;
  endColumn: number;
  message: string;
}

/**
 * `not-started`: the learner has not begun a function the check needs (it still throws the
 * starter's TODO). Worth no points, but not a mistake: shown neutrally, not as an error.
 */
export type CheckStatus = 'pass' | 'fail' | 'error' | 'timeout' | 'memory' | 'not-run' | 'not-started';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  /**
   * One clear sentence: what went wrong ("row 2 sums to 1.3, expected 1"), or for
   * error/timeout/memory the specific cause ("timed out after 2000 ms",
   * "used more than 256 MB", "process.exit is not available in lab code").
   */
  message: string;
  expected?: string;
  actual?: string;
  /** Where in the learner's code it failed, when known (a throw, a compile error). */
  location?: SourceLocation;
  /** With `not-started`: the exercise function that still throws its TODO (maybe another than the check's). */
  todo?: string;
  durationMs: number;
}

export interface RunChecksResult {
  runId: string;
  /** Non-empty means nothing ran: every result is `not-run`. */
  compileErrors: CompileDiagnostic[];
  results: CheckResult[];
  backend: BackendName;
  durationMs: number;
  /**
   * When the sidecar got the request, and its worker started and finished the checks: epoch
   * milliseconds (performance.timeOrigin + performance.now()), for the compute log's trace.
   */
  timing?: { received: number; workerStarted?: number; workerDone?: number };
}

export interface LearnerError {
  message: string;
  location?: SourceLocation;
}

export type VisualizeResult =
  | { ok: true; data: unknown }
  | { ok: false; error: LearnerError; compileErrors: CompileDiagnostic[] };

export namespace Initialize {
  export interface Params {
    backend: BackendPreference;
    /** Absolute folder holding the compiled lab modules: <labsDist>/<labId>/checks.js. */
    labsDist: string;
    /** Extra folder where Set Up GPU Compute installed @tensorflow/tfjs-node-gpu or webgpu (node_modules parent). */
    gpuModulesDir?: string;
  }
  export interface Result {
    backend: BackendInfo;
    sidecarVersion: string;
    pid: number;
  }
  export const type = new RequestType<Params, Result, void>('initialize');
}

export namespace RunChecks {
  export interface Params {
    /** Chosen by the caller; CancelRun names it. */
    runId: string;
    labId: string;
    /**
     * An external lab's check module (absolute path of its TypeScript, e.g. <lab>/checks.ts), which
     * the sidecar transpiles at run time; absent for the labs built into <labsDist>.
     */
    labChecks?: string;
    files: SourceFile[];
    /** The checks to run, in order. */
    checkIds: string[];
    limits: RunLimits;
  }
  export const type = new RequestType<Params, RunChecksResult, void>('runChecks');
}

export namespace Visualize {
  export interface Params {
    runId: string;
    labId: string;
    /**
     * An external lab's check module (absolute path of its TypeScript, e.g. <lab>/checks.ts), which
     * the sidecar transpiles at run time; absent for the labs built into <labsDist>.
     */
    labChecks?: string;
    files: SourceFile[];
    /** A VisualizationSpec.id of the lab, e.g. "attention". */
    view: string;
    /** View-specific input, e.g. AttentionViewInput. */
    input: unknown;
    limits: RunLimits;
  }
  export const type = new RequestType<Params, VisualizeResult, void>('visualize');
}

/**
 * Type errors in the learner's files (checks run type-erased code): grading reports them as
 * warnings that cost no points.
 */
export namespace TypeCheck {
  export interface Params {
    files: SourceFile[];
  }
  export interface Result {
    typeErrors: CompileDiagnostic[];
    durationMs: number;
  }
  export const type = new RequestType<Params, Result, void>('typeCheck');
}

/**
 * How a long-running task ended. `cancelled` and `timeout` are clean stops when the task saw
 * `hooks.aborted()` in time (its result, if it returned one, is the partial run); otherwise the
 * task worker was replaced and the message says so.
 */
export type RunTaskResult =
  | { status: 'done'; result: unknown; backend: BackendName; durationMs: number }
  | { status: 'cancelled'; result?: unknown; message: string; backend: BackendName; durationMs: number }
  | {
      status: 'error' | 'timeout' | 'memory';
      error: LearnerError;
      /** Non-empty when the learner's files do not compile (nothing ran). */
      compileErrors: CompileDiagnostic[];
      backend: BackendName;
      durationMs: number;
    };

/**
 * A long-running task of the lab's check module (`tasks[task]`, e.g. Lab 5's fine-tuning), on a
 * worker of its own so checks never wait behind it. Answered when the task ends; `TaskProgress`
 * notifications with the same runId stream meanwhile; `CancelRun` stops it between steps.
 */
export namespace RunTask {
  export interface Params {
    runId: string;
    labId: string;
    /**
     * An external lab's check module (absolute path of its TypeScript, e.g. <lab>/checks.ts), which
     * the sidecar transpiles at run time; absent for the labs built into <labsDist>.
     */
    labChecks?: string;
    files: SourceFile[];
    /** A key of the lab module's `tasks`. */
    task: string;
    /** Task-specific input (plain JSON). */
    input: unknown;
    /** The task's own limits: minutes, not the checks' seconds. */
    limits: RunLimits;
  }
  export const type = new RequestType<Params, RunTaskResult, void>('runTask');
}

/** Sidecar → caller: what a running task reported (`hooks.progress(payload)`), in order. */
export namespace TaskProgress {
  export interface Params {
    runId: string;
    payload: unknown;
  }
  export const type = new NotificationType<Params>('taskProgress');
}

/** Ask the sidecar to stop a run; checks then answer `not-run`, a task `cancelled`. */
export namespace CancelRun {
  export interface Params {
    runId: string;
  }
  export const type = new NotificationType<Params>('cancelRun');
}

/** Live tensor count and memory, for leak tests and the compute log. */
export namespace Stats {
  export interface Result {
    numTensors: number;
    numBytes: number;
    /** The sidecar's and its check process's resident memory together. */
    rssBytes: number;
    workerRestarts: number;
    /** The task worker's tensors, when it exists and no task is running (a query would wait for it). */
    taskWorker?: { numTensors: number; numBytes: number; restarts: number };
  }
  export const type = new RequestType0<Result, void>('stats');
}

export namespace Shutdown {
  export const type = new RequestType0<void, void>('shutdown');
}

/** Sidecar → extension: a line for the "Transformer Labs Compute" output channel. */
export namespace Log {
  export interface Params {
    level: 'info' | 'warn' | 'error';
    message: string;
  }
  export const type = new NotificationType<Params>('log');
}

// ---- View payloads (sidecar computes them, the panel draws them) ----

export type AttentionMaskKind = 'none' | 'causal' | 'padding';

/**
 * Where the attention panel's Q, K and V come from: a seeded random embedding and seeded
 * projections ("random"), or one layer of the trained mini-GPT on the text ("model").
 */
export type AttentionQkvSource = 'random' | 'model';

export interface AttentionViewInput {
  sentence: string;
  mask: AttentionMaskKind;
  /** Number of heads for the multi-head view (1 = single-head scaled dot-product). Random source only. */
  heads: number;
  /** With mask "padding": how many trailing [PAD] tokens to append. Random source only. */
  padTokens?: number;
  /** Default "random". */
  source?: AttentionQkvSource;
  /** With source "model": the model's layer, 1-based (default 1). */
  layer?: number;
}

export interface AttentionHeadView {
  /** weights[query][key], rows sum to 1 (or are all 0 for a fully masked row). */
  learner: number[][] | null;
  reference: number[][];
}

export interface AttentionViewData {
  tokens: string[];
  mask: AttentionMaskKind;
  heads: AttentionHeadView[];
  /** Where Q/K/V come from, said on the panel (e.g. "seeded random embedding + sinusoidal positions"). */
  source: string;
  /** Which kind of source that is (older sidecars leave it out: "random"). */
  sourceKind?: AttentionQkvSource;
  /** With the model source: the layer shown (1-based), the model's size, characters left out. */
  model?: { layer: number; nLayer: number; nHead: number; dropped: string[] };
  /** Set when the learner's function threw or returned the wrong shape; the panel shows it. */
  learnerError?: LearnerError;
  /** |learner - reference| above this counts as a disagreement in the difference view. */
  tolerance: number;
}
