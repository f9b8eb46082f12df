// Creates, finds and resets a learner's lab workspace: the exercise files, the instructions,
// a tsconfig and type declarations (so the editor resolves TensorFlow.js and the helpers),
// and a marker file that says which lab this folder holds.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import '../zod';
import type { Lab } from './manifest';
import { backupFiles, ReusedFile, reusedText } from './reuse';
import type { ReuseDecision } from './reusePlan';
import { readMarkerFile } from '../util/jsonFile';
import { t } from '../l10n';

export const MARKER_DIR = '.transformer-labs';
export const MARKER_FILE = join(MARKER_DIR, 'lab.json');
export const INSTRUCTIONS_FILE = 'INSTRUCTIONS.md';

const MarkerSchema = z.object({
  labId: z.string().check(z.minLength(1)),
  labVersion: z.string().check(z.minLength(1)),
  createdAt: z.string().check(z.minLength(1)),
  files: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});
export type LabMarker = z.infer<typeof MarkerSchema>;

export interface ScaffoldOptions {
  withSolution?: boolean;
  /** The built learner type declarations (dist/types or out/types). */
  typesDir: string;
  /** Replace existing exercise files (otherwise they are kept and reported). */
  overwrite?: boolean;
  /**
   * For files with `reuseFrom`: which start as the learner's own earlier code (reusePlan.ts decides,
   * after running the earlier lab's checks). A file without a decision "own" starts as the starter,
   * the course's reference. Ignored with withSolution.
   */
  reuse?: ReuseDecision[];
}

export interface ScaffoldResult {
  dir: string;
  marker: LabMarker;
  written: string[];
  /** Exercise files that already existed and were left as they were. */
  kept: string[];
  /** Files copied from the learner's earlier lab instead of the starter. */
  reused: ReusedFile[];
  instructions: string;
  exerciseFiles: string[];
}

export class LabWorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabWorkspaceError';
  }
}

/**
 * A lab folder's tsconfig.json: the options a learner's and an author's folder share, with
 * `paths` to the declarations installed beside it (under .transformer-labs/node_modules).
 */
export function labTsconfig(paths: Record<string, string[]>, include: string[], exclude?: string[]): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      lib: ['ES2022', 'DOM'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      baseUrl: '.',
      typeRoots: [],
      types: [],
      paths,
    },
    include,
    ...(exclude ? { exclude } : {}),
  };
}

function learnerTsconfig(): object {
  const types = `./${MARKER_DIR}/node_modules`;
  return labTsconfig(
    {
      '@tensorflow/tfjs-core': [`${types}/@tensorflow/tfjs-core`],
      '@tensorflow/tfjs': [`${types}/@tensorflow/tfjs-core`],
      '@transformer-labs/helpers': [`${types}/@transformer-labs/helpers`],
    },
    ['*.ts'],
  );
}

function installTypes(typesDir: string, dir: string): void {
  const need = ['tfjs-core', 'webgpu-types', 'helpers'];
  for (const n of need) {
    if (!existsSync(join(typesDir, n, 'package.json'))) {
      throw new LabWorkspaceError(t('the learner type declarations are missing ({0}): rebuild the extension', join(typesDir, n)));
    }
  }
  const nm = join(dir, MARKER_DIR, 'node_modules');
  cpSync(join(typesDir, 'tfjs-core'), join(nm, '@tensorflow', 'tfjs-core'), { recursive: true });
  cpSync(join(typesDir, 'webgpu-types'), join(nm, '@webgpu', 'types'), { recursive: true });
  cpSync(join(typesDir, 'helpers'), join(nm, '@transformer-labs', 'helpers'), { recursive: true });
}

export function scaffoldLab(lab: Lab, dir: string, opts: ScaffoldOptions): ScaffoldResult {
  const m = lab.manifest;
  if (opts.withSolution) {
    const missing = m.files.filter((f) => !existsSync(join(lab.dir, f.solution)));
    if (missing.length > 0) {
      throw new LabWorkspaceError(
        t(
          'the reference solution of "{0}" is not here ({1}): reference solutions are not shipped in the .vsix; run from a source checkout',
          m.id,
          missing.map((f) => f.solution).join(', '),
        ),
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  const existing = findLabWorkspace(dir, { quiet: true });
  if (existing && existing.labId !== m.id) {
    throw new LabWorkspaceError(t('{0} already holds lab "{1}"; choose an empty folder for "{2}"', dir, existing.labId, m.id));
  }
  const written: string[] = [];
  const kept: string[] = [];
  const reused: ReusedFile[] = [];
  for (const f of m.files) {
    const target = join(dir, f.path);
    if (existsSync(target) && !opts.overwrite) {
      kept.push(f.path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const own = f.reuseFrom && !opts.withSolution ? opts.reuse?.find((d) => d.path === f.path && d.use === 'own') : undefined;
    const text = own?.from && f.reuseFrom ? reusedText(own.from, f.reuseFrom.lab) : undefined;
    if (text !== undefined && own && f.reuseFrom) {
      writeFileSync(target, text);
      reused.push({ path: f.path, from: own.from!, fromLab: f.reuseFrom.lab });
    } else {
      cpSync(join(lab.dir, opts.withSolution ? f.solution : f.starter), target);
    }
    written.push(f.path);
  }
  cpSync(join(lab.dir, m.instructions), join(dir, INSTRUCTIONS_FILE));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(learnerTsconfig(), null, 2) + '\n');
  installTypes(opts.typesDir, dir);
  const marker: LabMarker = {
    labId: m.id,
    labVersion: m.version,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
    files: m.files.map((f) => f.path),
  };
  writeFileSync(join(dir, MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
  return {
    dir,
    marker,
    written: [...written, INSTRUCTIONS_FILE, 'tsconfig.json', MARKER_FILE],
    kept,
    reused,
    instructions: join(dir, INSTRUCTIONS_FILE),
    exerciseFiles: m.files.map((f) => join(dir, f.path)),
  };
}

/**
 * The lab marker of a workspace folder; undefined when the folder is not a lab workspace.
 * A marker that exists but cannot be read throws a LabWorkspaceError naming the file.
 */
export function findLabWorkspace(dir: string, opts: { quiet?: boolean } = {}): LabMarker | undefined {
  return readMarkerFile(join(dir, MARKER_FILE), MarkerSchema, t('open the lab again to repair it'), (m) => new LabWorkspaceError(m), opts.quiet);
}

export interface ResetResult {
  backupDir: string;
  restored: string[];
}

/** Copies the learner's exercise files to .transformer-labs/backups/<time>/, then restores the starters. */
export function resetLab(lab: Lab, dir: string, now = new Date()): ResetResult {
  const backupDir = join(dir, MARKER_DIR, 'backups', now.toISOString().replace(/[:.]/g, '-'));
  backupFiles(dir, lab.manifest.files.map((f) => f.path), now);
  const restored: string[] = [];
  for (const f of lab.manifest.files) {
    cpSync(join(lab.dir, f.starter), join(dir, f.path));
    restored.push(f.path);
  }
  return { backupDir, restored };
}
