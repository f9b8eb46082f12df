// `transformer-labs new-lab <dir>`: a minimal lab that validates and grades as it is — one
// exercise (a numerically stable softmax), visible checks that reach the overflow and the empty
// input, a hidden variant, progressive hints, a view — to be rewritten into the author's own.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NEW_LAB_FILES } from './newLabFiles';
import { labTsconfig } from './scaffold';

/** A lab id from a folder name: lowercase letters, digits and "-" (the manifest's rule). */
export function labIdFrom(dir: string): string {
  const id = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '');
  return id || 'my-lab';
}

/** Where the author's editor finds the declarations of a lab's imports (never copied by export-lab). */
const AUTHOR_TYPES = '.transformer-labs/node_modules';

/**
 * The lab folder's tsconfig.json: the check API ("transformer-labs/checks") and TensorFlow.js
 * resolve to declarations installed beside it, so checks.ts has types and no red squiggles in the
 * editor, as a learner's exercise files do.
 */
export function authorTsconfig(): object {
  return labTsconfig(
    {
      'transformer-labs/checks': [`./${AUTHOR_TYPES}/transformer-labs-checks`],
      '@tensorflow/tfjs-core': [`./${AUTHOR_TYPES}/@tensorflow/tfjs-core`],
      '@tensorflow/tfjs-core/*': [`./${AUTHOR_TYPES}/@tensorflow/tfjs-core/*`],
      '@webgpu/types': [`./${AUTHOR_TYPES}/@webgpu/types`],
    },
    ['**/*.ts'],
    ['.transformer-labs'],
  );
}

/** Copies the declarations authorTsconfig() points at from the extension's build (dist/types). */
function installAuthorTypes(typesDir: string, dir: string): void {
  for (const n of ['checks-api', 'tfjs-core', 'webgpu-types']) {
    if (!existsSync(join(typesDir, n, 'package.json'))) throw new Error(`the type declarations are missing (${join(typesDir, n)}): rebuild the extension`);
  }
  const nm = join(dir, AUTHOR_TYPES);
  cpSync(join(typesDir, 'checks-api'), join(nm, 'transformer-labs-checks'), { recursive: true });
  cpSync(join(typesDir, 'tfjs-core'), join(nm, '@tensorflow', 'tfjs-core'), { recursive: true });
  cpSync(join(typesDir, 'webgpu-types'), join(nm, '@webgpu', 'types'), { recursive: true });
}

/**
 * Writes the template into `dir` (created if missing); refuses a folder that holds anything.
 * With `typesDir` (the build's dist/types), also a tsconfig.json and the declarations it names.
 */
export function writeNewLab(dir: string, id = labIdFrom(dir), typesDir?: string): { dir: string; id: string; files: string[] } {
  const target = resolve(dir);
  if (existsSync(target)) {
    const present = readdirSync(target);
    if (present.length > 0) {
      throw new Error(`${target} is not empty (it holds ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): new-lab writes only into a new or empty folder, so nothing of yours is overwritten`);
    }
  }
  const files = NEW_LAB_FILES(id);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(target, path, '..'), { recursive: true });
    writeFileSync(join(target, path), text);
  }
  if (typesDir) {
    installAuthorTypes(typesDir, target);
    writeFileSync(join(target, 'tsconfig.json'), JSON.stringify(authorTsconfig(), null, 2) + '\n');
  }
  return { dir: target, id, files: [...Object.keys(files), ...(typesDir ? ['tsconfig.json'] : [])] };
}
