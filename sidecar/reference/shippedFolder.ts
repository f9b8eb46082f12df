// The folders the extension ships data in (media/models/…, media/data/…) are found by walking up
// from the running code: out/ and dist/ sit at different depths, the .vsix has the same layout.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The first `<ancestor of fromDir>/<subdir>` that holds `marker`, or undefined. */
export function findShippedFolder(subdir: string, marker: string, fromDir: string): string | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, subdir);
    if (existsSync(join(candidate, marker))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
