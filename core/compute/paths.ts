// Where the compiled sidecar and lab checks are, for the extension, the CLI and the tests.
// tsc's out/ and esbuild's dist/ share one relative layout, so one walk up finds both.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BuildPaths {
  /** The out/ or dist/ folder. */
  buildRoot: string;
  /** The package root (holds package.json and labs/). */
  packageRoot: string;
  sidecarScript: string;
  labsDist: string;
  /** Lab content: manifests, instructions, starter files. */
  labsRoot: string;
}

export function findBuildPaths(from: string = __dirname): BuildPaths {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'sidecar', 'main.js')) && existsSync(join(dir, 'labs'))) break;
    const up = dirname(dir);
    if (up === dir) throw new Error(`the compiled sidecar (sidecar/main.js) was not found above ${from}`);
    dir = up;
  }
  let pkg = dirname(dir);
  while (!existsSync(join(pkg, 'package.json'))) {
    const up = dirname(pkg);
    if (up === pkg) throw new Error(`no package.json above ${dir}`);
    pkg = up;
  }
  return {
    buildRoot: dir,
    packageRoot: pkg,
    sidecarScript: join(dir, 'sidecar', 'main.js'),
    labsDist: join(dir, 'labs'),
    labsRoot: join(pkg, 'labs'),
  };
}
