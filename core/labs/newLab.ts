// `transformer-labs new-lab <dir>`: a minimal lab that validates and grades as it is — one
// exercise (a numerically stable softmax), visible checks that reach the overflow and the empty
// input, a hidden variant, progressive hints, a view — to be rewritten into the author's own.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NEW_LAB_FILES } from './newLabFiles';

/** A lab id from a folder name: lowercase letters, digits and "-" (the manifest's rule). */
export function labIdFrom(dir: string): string {
  const id = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '');
  return id || 'my-lab';
}

/** Writes the template into `dir` (created if missing); refuses a folder that holds anything. */
export function writeNewLab(dir: string, id = labIdFrom(dir)): { dir: string; id: string; files: string[] } {
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
  return { dir: target, id, files: Object.keys(files) };
}
