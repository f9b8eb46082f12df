// Learner TypeScript → CommonJS JavaScript with a source map, plus syntax errors as
// diagnostics. Cached by file path and text, so a warm re-check only transpiles what changed.
import { createHash } from 'node:crypto';
import * as ts from 'typescript';
import type { CompileDiagnostic, SourceFile } from '../../core/protocol/sidecar';

export interface TranspiledFile {
  path: string;
  js: string;
  /** Source map JSON text (version 3). */
  map: string;
}

export interface TranspileResult {
  files: TranspiledFile[];
  diagnostics: CompileDiagnostic[];
}

const cache = new Map<string, { file: TranspiledFile; diagnostics: CompileDiagnostic[] }>();
const CACHE_LIMIT = 200;

const options: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  sourceMap: true,
  inlineSources: false,
  esModuleInterop: true,
  isolatedModules: true,
};

function toDiagnostic(file: string, d: ts.Diagnostic): CompileDiagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) {
    return { file, line: 1, column: 1, endLine: 1, endColumn: 1, message };
  }
  const start = d.file.getLineAndCharacterOfPosition(d.start);
  const end = d.file.getLineAndCharacterOfPosition(d.start + (d.length ?? 0));
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    message,
  };
}

function transpileOne(src: SourceFile): { file: TranspiledFile; diagnostics: CompileDiagnostic[] } {
  const key = createHash('sha1').update(src.path).update('\0').update(src.text).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const out = ts.transpileModule(src.text, {
    compilerOptions: options,
    fileName: src.path,
    reportDiagnostics: true,
  });
  const entry = {
    file: { path: src.path, js: out.outputText, map: out.sourceMapText ?? '' },
    diagnostics: (out.diagnostics ?? [])
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => toDiagnostic(src.path, d)),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, entry);
  return entry;
}

export function transpile(files: SourceFile[]): TranspileResult {
  const results = files.map(transpileOne);
  return { files: results.map((r) => r.file), diagnostics: results.flatMap((r) => r.diagnostics) };
}
