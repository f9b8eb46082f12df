// The extension's settings, read in one place.
import * as vscode from 'vscode';
import type { BackendPreference, RunLimits } from '../core/protocol/sidecar';
import { DEFAULT_LIMITS } from '../core/checks/timeLimits';

export const SECTION = 'transformerLabs';

export interface Settings {
  debounceMs: number;
  limits: RunLimits;
  backend: BackendPreference;
  nodePath: string;
  /** Trace lines at info level instead of debug (transformerLabs.trace.timing). */
  traceTiming: boolean;
  /** Extra lab folders (transformerLabs.labPaths), as written; only strings are kept. */
  labPaths: string[];
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    debounceMs: Math.max(0, c.get<number>('checkOnType.debounceMs', 400)),
    limits: {
      timeoutMs: Math.max(200, c.get<number>('checks.timeLimitMs', DEFAULT_LIMITS.timeoutMs)),
      memoryMb: Math.max(64, c.get<number>('checks.memoryLimitMb', DEFAULT_LIMITS.memoryMb)),
    },
    backend: c.get<BackendPreference>('compute.backend', 'auto'),
    nodePath: c.get<string>('compute.nodePath', '').trim(),
    traceTiming: c.get<boolean>('trace.timing', false) === true,
    labPaths: (c.get<unknown[]>('labPaths', []) ?? []).filter((p): p is string => typeof p === 'string' && p.trim() !== ''),
  };
}
