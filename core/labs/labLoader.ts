// Finds and validates every lab folder. A malformed lab is reported by file and field;
// the others still load.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Lab, LabLoadError, LabManifest, LabManifestSchema } from './manifest';

export interface LoadedLabs {
  labs: Lab[];
  errors: LabLoadError[];
}

export const MANIFEST_FILE = 'lab.json';

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let cur = data as Record<PropertyKey, unknown> | undefined;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[key] as Record<PropertyKey, unknown> | undefined;
  }
  return cur;
}

export function fieldPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

function schemaMessages(err: { issues: readonly { code: string; path: PropertyKey[]; message: string }[] }, data: unknown): string[] {
  return err.issues.map((issue) => {
    const field = fieldPath(issue.path) || '(top level)';
    const got = issue.code === 'custom' ? '' : `, got ${describeValue(valueAt(data, issue.path))}`;
    return `${field}: ${issue.message}${got}`;
  });
}

export interface LoadOptions {
  /** Folder with the compiled check modules (<id>/checks.js): the .vsix ships those, not checks.ts. */
  compiledChecksDir?: string;
}

/** Validates one lab folder; returns the lab or the reasons it cannot load. */
export function loadLab(dir: string, displayRoot = dir, opts: LoadOptions = {}): Lab | LabLoadError {
  const file = join(dir, MANIFEST_FILE);
  const shown = relative(displayRoot, file) || file;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON (${(err as Error).message})`;
    return { dir, file, message: `${shown}: ${why}` };
  }
  const parsed = LabManifestSchema.safeParse(data);
  if (!parsed.success) {
    return { dir, file, message: `${shown}: ${schemaMessages(parsed.error, data).join('; ')}` };
  }
  const manifest: LabManifest = parsed.data;
  const missing: string[] = [];
  const need = (field: string, path: string) => {
    if (!existsSync(join(dir, path))) missing.push(`${field}: "${path}" does not exist in the lab folder`);
  };
  need('instructions', manifest.instructions);
  const compiled = opts.compiledChecksDir && join(opts.compiledChecksDir, manifest.id, 'checks.js');
  if (!existsSync(join(dir, manifest.checksModule)) && !(compiled && existsSync(compiled))) {
    missing.push(`checksModule: "${manifest.checksModule}" does not exist in the lab folder${compiled ? ` and ${compiled} is not built` : ''}`);
  }
  manifest.files.forEach((f, i) => need(`files[${i}].starter`, f.starter));
  if (missing.length > 0) return { dir, file, message: `${shown}: ${missing.join('; ')}` };
  return { manifest, dir };
}

export function isLab(x: Lab | LabLoadError): x is Lab {
  return 'manifest' in x;
}

/** Whether the reference solution ships with this copy of the lab (it is left out of the .vsix). */
export function hasSolution(lab: Lab): boolean {
  return lab.manifest.files.every((f) => existsSync(join(lab.dir, f.solution)));
}

export function loadLabs(labsRoot: string, opts: LoadOptions = {}): LoadedLabs {
  const labs: Lab[] = [];
  const errors: LabLoadError[] = [];
  let entries: string[];
  try {
    entries = readdirSync(labsRoot);
  } catch (err) {
    return { labs, errors: [{ dir: labsRoot, file: labsRoot, message: `${labsRoot}: cannot read the labs folder (${(err as Error).message})` }] };
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
      errors.push({ dir: lab.dir, file: join(lab.dir, MANIFEST_FILE), message: `${relative(join(labsRoot, '..'), join(lab.dir, MANIFEST_FILE))}: id: "${lab.manifest.id}" is already used by ${other.dir}` });
    } else seen.set(lab.manifest.id, lab);
  }
  labs.sort((a, b) => a.manifest.order - b.manifest.order);
  return { labs, errors };
}

/** A lab by id ("01-attention") or by order number ("1"). */
export function findLab(labs: Lab[], key: string): Lab | undefined {
  return labs.find((l) => l.manifest.id === key) ?? labs.find((l) => String(l.manifest.order) === key.replace(/^0+/, ''));
}
