// Finds and validates every lab folder. A malformed lab is reported by file and field;
// the others still load.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Lab, LabLoadError, LabManifest, LabManifestSchema } from './manifest';
import { readQuizFile } from '../quiz/quizFile';
import { schemaMessages } from './schemaMessages';
import { readJsonFile } from '../util/jsonFile';
import { t } from '../l10n';

export interface LoadedLabs {
  labs: Lab[];
  errors: LabLoadError[];
}

export const MANIFEST_FILE = 'lab.json';

export interface LoadOptions {
  /** Folder with the compiled check modules (<id>/checks.js): the .vsix ships those, not checks.ts. */
  compiledChecksDir?: string;
  /** A folder outside the build: the check module is TypeScript the sidecar transpiles at run time. */
  external?: boolean;
}

/** Validates one lab folder; returns the lab or the reasons it cannot load. */
export function loadLab(dir: string, displayRoot = dir, opts: LoadOptions = {}): Lab | LabLoadError {
  const file = join(dir, MANIFEST_FILE);
  const shown = relative(displayRoot, file) || file;
  const read = readJsonFile(file);
  if ('error' in read) return { dir, file, message: `${shown}: ${read.error}` };
  const data = read.data;
  const parsed = LabManifestSchema.safeParse(data);
  if (!parsed.success) {
    return { dir, file, message: `${shown}: ${schemaMessages(parsed.error, data).join('; ')}` };
  }
  const manifest: LabManifest = parsed.data;
  const missing: string[] = [];
  const need = (field: string, path: string) => {
    if (!existsSync(join(dir, path))) missing.push(t('{0}: "{1}" does not exist in the lab folder', field, path));
  };
  need('instructions', manifest.instructions);
  const compiled = !opts.external && opts.compiledChecksDir && join(opts.compiledChecksDir, manifest.id, 'checks.js');
  if (!existsSync(join(dir, manifest.checksModule)) && !(compiled && existsSync(compiled))) {
    missing.push(
      compiled
        ? t('checksModule: "{0}" does not exist in the lab folder and {1} is not built', manifest.checksModule, compiled)
        : t('checksModule: "{0}" does not exist in the lab folder', manifest.checksModule),
    );
  }
  manifest.files.forEach((f, i) => need(`files[${i}].starter`, f.starter));
  if (manifest.quiz) need('quiz', manifest.quiz);
  if (missing.length > 0) return { dir, file, message: `${shown}: ${missing.join('; ')}` };
  if (manifest.quiz) {
    // Validated like lab.json: a broken quiz keeps the lab from loading, with the file and field named.
    const quiz = readQuizFile(join(dir, manifest.quiz), displayRoot, manifest);
    if ('error' in quiz) return { dir, file: join(dir, manifest.quiz), message: quiz.error };
  }
  return opts.external ? { manifest, dir, checksSource: resolve(dir, manifest.checksModule) } : { manifest, dir };
}

export function isLab(x: Lab | LabLoadError): x is Lab {
  return 'manifest' in x;
}

/** Whether the reference solution ships with this copy of the lab (it is left out of the .vsix). */
export function hasSolution(lab: Lab): boolean {
  return lab.manifest.files.every((f) => existsSync(join(lab.dir, f.solution)));
}

/**
 * The built-in labs plus those of extra folders (transformerLabs.labPaths, `--labs`): each path
 * is a lab folder (it holds lab.json) or a folder of lab folders. A path that does not exist, a
 * lab that does not load, or an id already taken is an error naming the path, file and field;
 * every other lab still loads.
 */
export function withLabPaths(builtIn: LoadedLabs, labPaths: string[]): LoadedLabs {
  const labs = [...builtIn.labs];
  const errors = [...builtIn.errors];
  for (const given of labPaths) {
    const p = resolve(given);
    if (!existsSync(p) || !statSync(p).isDirectory()) {
      errors.push({ dir: p, file: p, message: existsSync(p) ? t('lab path {0}: is not a folder', given) : t('lab path {0}: does not exist', given) });
      continue;
    }
    const found = existsSync(join(p, MANIFEST_FILE)) ? [loadLab(p, p, { external: true })] : loadLabs(p, { external: true });
    const results = Array.isArray(found) ? found : [...found.labs, ...found.errors];
    if (results.length === 0) errors.push({ dir: p, file: p, message: t('lab path {0}: holds no lab (no {1} in it or in a folder inside it)', given, MANIFEST_FILE) });
    for (const r of results) {
      if (!isLab(r)) {
        errors.push({ ...r, message: t('lab path {0}: {1}', given, r.message) });
        continue;
      }
      const other = labs.find((l) => l.manifest.id === r.manifest.id);
      if (other) errors.push({ dir: r.dir, file: join(r.dir, MANIFEST_FILE), message: t('lab path {0}: {1}: id: "{2}" is already used by {3}', given, join(r.dir, MANIFEST_FILE), r.manifest.id, other.dir) });
      else labs.push(r);
    }
  }
  labs.sort((a, b) => a.manifest.order - b.manifest.order);
  return { labs, errors };
}

export function loadLabs(labsRoot: string, opts: LoadOptions = {}): LoadedLabs {
  const labs: Lab[] = [];
  const errors: LabLoadError[] = [];
  let entries: string[];
  try {
    entries = readdirSync(labsRoot);
  } catch (err) {
    return { labs, errors: [{ dir: labsRoot, file: labsRoot, message: t('{0}: cannot read the labs folder ({1})', labsRoot, (err as Error).message) }] };
  }
  for (const name of entries.sort()) {
    if (name.startsWith('.') || name.startsWith('_')) continue;
    const dir = join(labsRoot, name);
    if (!statSync(dir).isDirectory()) continue;
    const result = loadLab(dir, join(labsRoot, '..'), opts);
    if (isLab(result)) labs.push(result);
    else errors.push(result);
  }
  const seen = new Map<string, Lab>();
  for (const lab of [...labs]) {
    const other = seen.get(lab.manifest.id);
    if (other) {
      labs.splice(labs.indexOf(lab), 1);
      errors.push({ dir: lab.dir, file: join(lab.dir, MANIFEST_FILE), message: t('{0}: id: "{1}" is already used by {2}', relative(join(labsRoot, '..'), join(lab.dir, MANIFEST_FILE)), lab.manifest.id, other.dir) });
    } else seen.set(lab.manifest.id, lab);
  }
  labs.sort((a, b) => a.manifest.order - b.manifest.order);
  return { labs, errors };
}

/** A lab by id ("01-attention") or by order number ("1"). */
export function findLab(labs: Lab[], key: string): Lab | undefined {
  return labs.find((l) => l.manifest.id === key) ?? labs.find((l) => String(l.manifest.order) === key.replace(/^0+/, ''));
}
