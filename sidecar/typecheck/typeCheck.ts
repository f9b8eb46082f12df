// Type errors in the learner's files, as `tsc` in their lab folder would report them. Checks
// run transpiled code (types erased), so a file can pass every check and still have type errors:
// grading reports them as warnings that cost no points. The learner's own files come from the
// request (the editor's text); TensorFlow.js, the helpers and TypeScript's lib files come from the
// extension's learner type declarations (dist/types), so no lab folder needs to be on disk.
import * as path from 'node:path';
import * as ts from 'typescript';
import type { CompileDiagnostic, SourceFile } from '../../core/protocol/sidecar';

/** The learner files live in this virtual folder; nothing is read from it on disk. */
const LAB_ROOT = path.resolve('/transformer-labs-lab');

/** What the scaffolded tsconfig.json of a lab folder says (core/labs/scaffold.ts), with paths into typesDir. */
export function learnerCompilerOptions(typesDir: string): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: [],
    typeRoots: [],
    baseUrl: LAB_ROOT,
    // The wildcards matter: tfjs-core's own declarations import '@tensorflow/tfjs-core/dist/…',
    // which would otherwise resolve to a second copy in some node_modules above typesDir.
    paths: {
      '@tensorflow/tfjs-core': [path.join(typesDir, 'tfjs-core')],
      '@tensorflow/tfjs-core/*': [path.join(typesDir, 'tfjs-core', '*')],
      '@webgpu/types/*': [path.join(typesDir, 'webgpu-types', '*')],
      '@tensorflow/tfjs': [path.join(typesDir, 'tfjs-core')],
      '@transformer-labs/helpers': [path.join(typesDir, 'helpers')],
      '@webgpu/types': [path.join(typesDir, 'webgpu-types')],
    },
  };
}

export class LearnerTypeChecker {
  private old?: ts.Program;
  /** Declaration files parsed once per sidecar: tfjs-core's tree and lib.dom.d.ts take seconds. */
  private readonly libCache = new Map<string, ts.SourceFile>();
  private readonly options: ts.CompilerOptions;

  constructor(private readonly typesDir: string) {
    this.options = learnerCompilerOptions(typesDir);
  }

  check(files: SourceFile[]): CompileDiagnostic[] {
    const virtual = new Map(files.map((f) => [path.join(LAB_ROOT, f.path), f]));
    const host = ts.createCompilerHost(this.options);
    const libDir = path.join(this.typesDir, 'typescript-lib');
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const directoryExists = host.directoryExists?.bind(host);
    host.getDefaultLibLocation = () => libDir;
    host.getDefaultLibFileName = (o) => path.join(libDir, ts.getDefaultLibFileName(o));
    host.fileExists = (f) => virtual.has(path.resolve(f)) || (!isInLab(f) && fileExists(f));
    // The lab folder is virtual: without this, module resolution never looks inside it, and a
    // lab's own relative imports ('./attention') would not resolve.
    host.directoryExists = (d) => isInLab(d) || (directoryExists ? directoryExists(d) : true);
    host.readFile = (f) => virtual.get(path.resolve(f))?.text ?? (isInLab(f) ? undefined : readFile(f));
    host.getSourceFile = (f, languageVersion) => {
      const own = virtual.get(path.resolve(f));
      if (own) return ts.createSourceFile(f, own.text, languageVersion, true);
      const cached = this.libCache.get(f);
      if (cached) return cached;
      const text = isInLab(f) ? undefined : readFile(f);
      if (text === undefined) return undefined;
      const sf = ts.createSourceFile(f, text, languageVersion, true);
      this.libCache.set(f, sf);
      return sf;
    };
    const program = ts.createProgram([...virtual.keys()], this.options, host, this.old);
    this.old = program;
    const out: CompileDiagnostic[] = [];
    for (const [abs, f] of virtual) {
      const sf = program.getSourceFile(abs);
      if (!sf) continue;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        if (d.category !== ts.DiagnosticCategory.Error) continue;
        out.push(toDiagnostic(f.path, sf, d));
      }
    }
    // A missing lib or type declaration shows up only in the global diagnostics: say so, do not hide it.
    for (const d of program.getGlobalDiagnostics()) {
      out.push({ file: '(configuration)', line: 1, column: 1, endLine: 1, endColumn: 1, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
    }
    return out;
  }
}

function isInLab(f: string): boolean {
  const rel = path.relative(LAB_ROOT, path.resolve(f));
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

function toDiagnostic(file: string, sf: ts.SourceFile, d: ts.Diagnostic): CompileDiagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const start = sf.getLineAndCharacterOfPosition(d.start ?? 0);
  const end = sf.getLineAndCharacterOfPosition((d.start ?? 0) + (d.length ?? 0));
  return { file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1, message };
}
