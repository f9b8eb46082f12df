// Evaluates the learner's transpiled modules in a fresh realm per run (learnerRealm.ts). Learner
// code sees TensorFlow.js (the learner's view, learnerTf.ts) and the lab helpers, nothing of
// Node: no fs, no child_process, no process.exit. The check process around it is the hard
// boundary (time and memory limits, containment.ts); this realm is the clear-message layer.
import * as vm from 'node:vm';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { LAB_FILE_PREFIX, LearnerError, SourceMaps } from './learnerErrors';
import type { TranspiledFile } from './transpile';
import { ConsoleBudget, createLearnerContext } from './learnerRealm';

export const ALLOWED_IMPORTS = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@transformer-labs/helpers'];

export interface SandboxDeps {
  tf: unknown;
  helpers: unknown;
  /** Where learner console output goes (the compute log). */
  log: (line: string) => void;
}

type Exports = Record<string, unknown>;

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export class Sandbox {
  readonly maps: SourceMaps;
  /** This run's learner console output, capped. */
  readonly console: ConsoleBudget;
  private readonly context: vm.Context;
  private readonly files = new Map<string, TranspiledFile>();
  private readonly cache = new Map<string, { exports: Exports }>();

  constructor(files: TranspiledFile[], private readonly deps: SandboxDeps) {
    for (const f of files) this.files.set(normalize(f.path), f);
    this.maps = new SourceMaps(files);
    this.console = new ConsoleBudget(deps.log);
    this.context = createLearnerContext(this.console, {
      // Outer-realm typed arrays: TensorFlow.js tells data types apart with instanceof.
      Float32Array,
      Float64Array,
      Int32Array,
      Uint8Array,
      Uint8ClampedArray,
      Int8Array,
      Int16Array,
      Uint16Array,
      Uint32Array,
      // Standard text codecs (the learner's editor types include them): Lab 4 decodes UTF-8 bytes.
      // Frozen with the realm's built-ins (learnerView.ts): the checks use them too.
      TextEncoder,
      TextDecoder,
    });
  }

  /** The exports of a learner file, evaluating it (and what it imports) on first use. */
  exportsOf(file: string): Exports {
    return this.load(normalize(file));
  }

  private load(file: string): Exports {
    const cached = this.cache.get(file);
    if (cached) return cached.exports;
    const src = this.files.get(file);
    if (!src) throw new LearnerError(`the lab file "${file}" is missing`);
    const module = { exports: {} as Exports };
    this.cache.set(file, module);
    const fn = vm.compileFunction(src.js, ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename: LAB_FILE_PREFIX + file,
      parsingContext: this.context,
    });
    fn.call(module.exports, module.exports, (id: string) => this.require(id, file), module, file, '.');
    return module.exports;
  }

  private require(id: string, from: string): unknown {
    if (id === '@tensorflow/tfjs' || id === '@tensorflow/tfjs-core') return this.deps.tf;
    if (id === '@transformer-labs/helpers') return this.deps.helpers;
    if (id.startsWith('./') || id.startsWith('../')) {
      const base = normalize(path.posix.join(path.posix.dirname(from), id));
      for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
        if (this.files.has(candidate)) return this.load(candidate);
      }
      throw new LearnerError(`${from} imports "${id}", which is not one of this lab's files`);
    }
    const allowed = ALLOWED_IMPORTS.map((m) => `"${m}"`).join(', ');
    if (NODE_BUILTINS.has(id)) {
      throw new LearnerError(
        `${from} imports "${id}": lab code runs in a sandbox without Node.js modules (no files, processes or network). It can import only ${allowed}.`,
      );
    }
    throw new LearnerError(`${from} imports "${id}", which is not available: lab code can import only ${allowed}.`);
  }
}

function normalize(p: string): string {
  // posix.normalize already drops a leading './'.
  return path.posix.normalize(p.replace(/\\/g, '/'));
}
