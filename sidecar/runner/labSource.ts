// A lab from a folder outside the build (transformerLabs.labPaths, `--labs`): its check module is
// TypeScript, transpiled here at run time with the same transpiler as learner code, with every
// file it imports by a relative path inside the lab folder. The check process then evaluates the
// result (labSourceModule.ts) — it never reads the lab folder itself.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { transpile } from './transpile';
import { CHECK_API_SPECIFIER, type ExternalLabModule } from './labModuleRef';

function withoutExtension(p: string): string {
  return p.replace(/\.(ts|mts|cts)$/, '');
}

function resolveInLab(labDir: string, fromDir: string, spec: string, importer: string): string {
  const base = path.resolve(fromDir, spec);
  const rel = path.relative(labDir, base);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`${importer} imports "${spec}", which is outside the lab folder ${labDir}: a lab's checks may import only files of the lab folder and "${CHECK_API_SPECIFIER}"`);
  }
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${importer} imports "${spec}": no file ${rel}.ts in the lab folder`);
}

/**
 * Reads and transpiles `checksFile` (absolute) and the lab-folder files it imports. Syntax errors
 * are thrown with the file and line, so the run reports them instead of running half a module.
 */
export function transpileLabSource(checksFile: string): ExternalLabModule {
  const labDir = path.dirname(checksFile);
  const sources: { path: string; text: string }[] = [];
  const seen = new Set<string>();
  const visit = (file: string, importer: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`${importer}: cannot read ${file} (${(err as Error).message})`);
    }
    const rel = path.relative(labDir, file).split(path.sep).join('/');
    sources.push({ path: rel, text });
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      if (imported.fileName.startsWith('./') || imported.fileName.startsWith('../')) visit(resolveInLab(labDir, path.dirname(file), imported.fileName, rel), rel);
    }
  };
  visit(checksFile, 'the lab');
  const { files, diagnostics } = transpile(sources);
  if (diagnostics.length > 0) {
    const d = diagnostics[0];
    throw new Error(`${path.join(labDir, d.file)}:${d.line}:${d.column} does not compile: ${d.message}`);
  }
  const hash = createHash('sha1');
  for (const s of sources) hash.update(s.path).update('\0').update(s.text).update('\0');
  return {
    key: `${labDir}#${hash.digest('hex')}`,
    entry: withoutExtension(sources[0].path),
    files: files.map((f) => ({ ...f, path: withoutExtension(f.path) })),
  };
}
