// How the check process finds a lab's check module (shared by the sidecar and the check process,
// so the check process's bundle never pulls in the transpiler).
import type { TranspiledFile } from './transpile';

/** The module specifier a lab's checks import the check API from. */
export const CHECK_API_SPECIFIER = 'transformer-labs/checks';

/** A transpiled external check module, ready to send to the check process. */
export interface ExternalLabModule {
  /** Changes whenever a file of the module changes: the check process caches by it. */
  key: string;
  /** The check module's path relative to the lab folder, without extension (e.g. "checks"). */
  entry: string;
  /** Every file reachable by relative imports, keyed by `path` (relative, posix, no extension). */
  files: TranspiledFile[];
}

/** Where the check process finds a lab's module: a built file (dist/labs/<id>/checks.js) or transpiled source. */
export type LabModuleRef = string | ExternalLabModule;
