// The one check engine: the extension's inline checks, Grade Lab and the CLI all run here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarClient } from '../compute/sidecarClient';
import type { CheckSpec, Lab } from '../labs/manifest';
import type { BackendName, CheckResult, CompileDiagnostic, RunChecksResult, RunLimits, SourceFile } from '../protocol/sidecar';

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
    const result = await this.client.runChecks(
      { labId: lab.manifest.id, files, checkIds: specs.map((s) => s.id), limits: this.limits() },
      opts.signal,
    );
    const byId = new Map(result.results.map((r) => [r.id, r]));
    return {
      labId: lab.manifest.id,
      compileErrors: result.compileErrors,
      outcomes: specs.map((spec) => ({
        ...(byId.get(spec.id) ?? { id: spec.id, status: 'not-run' as const, message: 'the sidecar returned no result', durationMs: 0 }),
        spec,
      })),
      backend: result.backend,
      durationMs: result.durationMs,
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
