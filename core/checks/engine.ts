// The one check engine: the extension's inline checks, Grade Lab and the CLI all run here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarClient } from '../compute/sidecarClient';
import type { CheckSpec, Lab } from '../labs/manifest';
import type { BackendName, CheckResult, CompileDiagnostic, RunChecksResult, RunLimits, SourceFile } from '../protocol/sidecar';
import { hitTimeLimit, limitsAfterTimeout } from './timeLimits';

export interface CheckOutcome extends CheckResult {
  spec: CheckSpec;
}

export interface CheckRun {
  labId: string;
  compileErrors: CompileDiagnostic[];
  outcomes: CheckOutcome[];
  backend: BackendName;
  durationMs: number;
  /** The sidecar's timestamps (core/protocol/sidecar.ts RunChecksResult.timing). */
  timing?: RunChecksResult['timing'];
}

export interface RunOptions {
  includeHidden: boolean;
  signal?: AbortSignal;
  /** Only these functions' checks (e.g. the one a CodeLens was clicked on). */
  functions?: string[];
}

/** The sidecar's message for checks a limit kept from running (sidecar/runner/workerPool.ts). */
const STOPPED_BY_EARLIER = /^not run: an earlier check stopped the run/;

export class CheckEngine {
  constructor(
    private readonly client: Pick<SidecarClient, 'runChecks'>,
    private readonly limits: () => RunLimits,
  ) {}

  specsFor(lab: Lab, opts: Pick<RunOptions, 'includeHidden' | 'functions'>): CheckSpec[] {
    return lab.manifest.checks.filter(
      (c) => (opts.includeHidden || !c.hidden) && (!opts.functions || opts.functions.includes(c.function)),
    );
  }

  async run(lab: Lab, files: SourceFile[], opts: RunOptions): Promise<CheckRun> {
    const specs = this.specsFor(lab, opts);
    let limits = this.limits();
    const request = (checkIds: string[]) =>
      this.client.runChecks({ labId: lab.manifest.id, labChecks: lab.checksSource, files, checkIds, limits }, opts.signal);
    const result = await request(specs.map((s) => s.id));
    const byId = new Map(result.results.map((r) => [r.id, r]));
    let durationMs = result.durationMs;
    // Grading goes on past a check that hit the time or memory limit: the sidecar stops that
    // run, and the checks after it are run again in a fresh one, so one endless loop costs
    // only the checks that reach it, each after the first on a shorter limit (timeLimits.ts).
    // (Checks while typing keep the quick answer instead.)
    while (opts.includeHidden && result.compileErrors.length === 0 && !opts.signal?.aborted) {
      if (limits.perCheckMs === undefined && hitTimeLimit([...byId.values()])) limits = limitsAfterTimeout(limits);
      // Stryker disable next-line StringLiteral: any stand-in for a missing message that does not start with "not run:" gives the same answer
      const rest = specs.filter((s) => STOPPED_BY_EARLIER.test(byId.get(s.id)?.message ?? '')).map((s) => s.id);
      if (rest.length === 0) break;
      const again = await request(rest);
      durationMs += again.durationMs;
      const progressed = again.results.some((r) => !STOPPED_BY_EARLIER.test(r.message));
      for (const r of again.results) byId.set(r.id, r);
      if (!progressed || again.compileErrors.length > 0) break;
    }
    return {
      labId: lab.manifest.id,
      compileErrors: result.compileErrors,
      outcomes: specs.map((spec) => ({
        ...(byId.get(spec.id) ?? { id: spec.id, status: 'not-run' as const, message: 'the sidecar returned no result', durationMs: 0 }),
        spec,
      })),
      backend: result.backend,
      durationMs,
      timing: result.timing,
    };
  }
}

/** Reads the learner's exercise files from a lab workspace. */
export function readLabFiles(lab: Lab, workspaceDir: string): SourceFile[] {
  return lab.manifest.files.map((f) => {
    const file = join(workspaceDir, f.path);
    try {
      return { path: f.path, text: readFileSync(file, 'utf8') };
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(err as Error).message})`;
      throw new Error(`${file} ${why}: it is one of the files of lab "${lab.manifest.id}" (Reset Lab restores it)`);
    }
  });
}
