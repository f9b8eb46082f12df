// The check process's side of an external lab (labSource.ts): evaluates its transpiled check
// module in this process's own realm — where the built-in labs' checks run, under the same
// containment — with one import besides its own files: "transformer-labs/checks".
import * as vm from 'node:vm';
import * as path from 'node:path';
import * as checkApi from '../../core/checks/authorApi';
import type { LabModule } from '../../core/checks/checkApi';
import { CHECK_API_SPECIFIER, type ExternalLabModule } from './labModuleRef';

export function evaluateLabSource(mod: ExternalLabModule): LabModule {
  const byPath = new Map(mod.files.map((f) => [f.path, f]));
  const loaded = new Map<string, { exports: Record<string, unknown> }>();
  const load = (file: string): Record<string, unknown> => {
    const cached = loaded.get(file);
    if (cached) return cached.exports;
    const src = byPath.get(file)!;
    const module = { exports: {} as Record<string, unknown> };
    loaded.set(file, module);
    const fn = vm.compileFunction(src.js, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: `lab-checks:///${file}.ts` });
    fn.call(module.exports, module.exports, (id: string) => requireFrom(id, file), module, `${file}.ts`, '.');
    return module.exports;
  };
  const requireFrom = (id: string, from: string): unknown => {
    if (id === CHECK_API_SPECIFIER) return checkApi;
    if (id.startsWith('./') || id.startsWith('../')) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), id)).replace(/\.ts$/, '');
      for (const candidate of [base, `${base}/index`]) if (byPath.has(candidate)) return load(candidate);
    }
    throw new Error(`${from}.ts imports "${id}": a lab's checks run contained and may import only "${CHECK_API_SPECIFIER}" and files of their lab folder (the learner's functions come from ctx.fn, TensorFlow.js from ctx.tf)`);
  };
  return load(mod.entry) as unknown as LabModule;
}
