// How the check process (learner code and the lab's checks) is started: which layers contain
// it on this machine, decided once per sidecar by trying them, and reported to the status bar.
//
//   OS layer      Linux: new network (and PID) namespace via unshare, where allowed (osIsolation.ts)
//   process       Node's permission model: read only the extension's own files; no writes, no
//                 programs, no threads — off where a native backend or VS Code's runtime needs it
//   environment   empty: no variables, credentials or tokens of the editor or the shell
//   JavaScript    learner code in its own realm with no Node.js, no network APIs and no code
//                 generation from strings; the checks' realm frozen (learnerRealm.ts, hardenRealm.ts)
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { findBuildPaths } from '../../core/compute/paths';
import { canSandbox, parseNodeVersion, sandboxFlags } from '../../core/compute/sandboxFlags';
import type { BackendPreference, ContainmentReport } from '../../core/protocol/sidecar';
import type { CheckProcessLaunch } from './checkProcess';
import { osIsolation, parentDeathWrapper, runs } from './osIsolation';

export interface ContainmentOptions {
  backend: BackendPreference;
  gpuModulesDir?: string;
  labsDist: string;
  /** The check runner script (worker.js). */
  workerFile: string;
  /** The unshare program; found on the system when absent (tests give one that fails). */
  unshare?: string;
  /** The setpriv program (parentDeathWrapper); found on the system when absent. */
  setpriv?: string;
  /** `auto` takes WebGPU here (a hardware adapter passed the probe): dawn.node will load. */
  autoWebgpu?: boolean;
}

export interface Containment {
  report: ContainmentReport;
  launch(memoryMb: number): CheckProcessLaunch;
}


const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
/** Variables a native backend may need to find CUDA or its DLLs; nothing else is passed on. */
const NATIVE_ENV = /^(CUDA_|TF_|LD_LIBRARY_PATH$|PATH$|Path$|SystemRoot$|windir$)/;

function nativeInstalled(gpuModulesDir: string | undefined): boolean {
  const requires = [createRequire(__filename)];
  if (gpuModulesDir) requires.unshift(createRequire(path.join(gpuModulesDir, 'package.json')));
  return NATIVE_PACKAGES.some((pkg) =>
    requires.some((req) => {
      try {
        req.resolve(pkg);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

/** VS Code's own runtime in Node mode (no Node ≥ 20 on PATH), where the permission model is not offered. */
export function onVsCodeRuntime(): boolean {
  return process.versions.electron !== undefined || process.env.ELECTRON_RUN_AS_NODE === '1';
}

function checkEnv(native: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (process.env.ELECTRON_RUN_AS_NODE) env.ELECTRON_RUN_AS_NODE = process.env.ELECTRON_RUN_AS_NODE;
  if (process.platform === 'win32' && process.env.SystemRoot) env.SystemRoot = process.env.SystemRoot;
  if (native) for (const [k, v] of Object.entries(process.env)) if (NATIVE_ENV.test(k)) env[k] = v;
  return env;
}

function buildOf(dir: string): string[] {
  try {
    const build = findBuildPaths(dir);
    // media/: the shipped model (Lab 6) and texts (Lab 4), the extension's own assets.
    const paths = [build.buildRoot, path.join(build.packageRoot, 'media')];
    // tsc's out/ loads TensorFlow.js from node_modules; the bundled dist/ carries its own copy.
    if (!existsSync(path.join(build.buildRoot, 'sidecar', 'tfjs.js'))) paths.push(path.join(build.packageRoot, 'node_modules'));
    return paths;
  } catch {
    return [];
  }
}

/**
 * The extension's own files the check process must read — the build the runner comes from, the
 * one the lab checks come from (the same one but in tests), the shipped media — each also as
 * its real path.
 */
export function readPaths(workerFile: string, labsDist: string): string[] {
  const paths = [...buildOf(path.dirname(workerFile)), labsDist, ...buildOf(labsDist)];
  const all = new Set<string>();
  for (const p of paths.filter((x) => existsSync(x))) {
    all.add(path.resolve(p));
    try {
      all.add(realpathSync(p));
    } catch {
      // It exists; its real path is the same.
    }
  }
  // A folder inside another is covered by it; listing both makes Node 20 refuse the outer folder itself.
  return [...all].filter((p) => ![...all].some((q) => q !== p && p.startsWith(q.endsWith(path.sep) ? q : q + path.sep)));
}

/** With the permission flags: Node starts, reads `paths`, and may not write, start programs or threads. */
const PERMISSION_HOLDS = (paths: string[]) =>
  `const fs = require('fs'); for (const p of ${JSON.stringify(paths)}) fs.accessSync(p);` +
  `const pm = process.permission; if (!pm || pm.has('fs.write') || pm.has('child') || pm.has('worker')) process.exit(4);`;
/** With --disallow-code-generation-from-strings: the Function constructor compiles nothing. */
const CODEGEN_REFUSED = `try { Function('return 1'); process.exit(5); } catch {}`;

async function tryNode(args: string[], script: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const r = await runs(process.execPath, [...args, '-e', script], env);
  return r.ok ? undefined : r.why;
}

export async function prepareContainment(o: ContainmentOptions): Promise<Containment> {
  const native = !canSandbox(o.backend, nativeInstalled(o.gpuModulesDir)) || (o.backend === 'auto' && o.autoWebgpu === true);
  const env = checkEnv(native);
  const version = parseNodeVersion(process.version);
  const paths = readPaths(o.workerFile, o.labsDist);

  let permission: string[] = [];
  let off: string | undefined;
  if (onVsCodeRuntime()) off = "VS Code's built-in runtime runs the checks (no Node.js 20 or newer on PATH); it does not offer Node's permission model";
  else if (native) off = 'a native backend (tfjs-node, tfjs-node-gpu, or the WebGPU route\'s dawn.node) may load: its addon runs outside Node\'s permission model';
  else if (version.major < 20) off = `Node ${process.version} has no permission model`;
  else permission = sandboxFlags(version.major, version.minor, paths);

  const codegen = ['--disallow-code-generation-from-strings'];
  // Where everything works, one process start (inside the OS wrapper) confirms every layer;
  // otherwise each flag is tried on its own and what fails is left out, with the reason.
  const everything = { nodeArgs: [...codegen, ...permission], script: `${permission.length > 0 ? PERMISSION_HOLDS(paths) : ''} ${CODEGEN_REFUSED}` };
  const [isolation, endsWithSidecar] = await Promise.all([osIsolation(process.execPath, env, everything, o.unshare), parentDeathWrapper(o.setpriv)]);
  const [permissionFailure, codegenFailure] = isolation.alsoHeld
    ? [undefined, undefined]
    : await Promise.all([
        permission.length > 0 ? tryNode(permission, PERMISSION_HOLDS(paths), env) : Promise.resolve(undefined),
        tryNode(codegen, CODEGEN_REFUSED, env),
      ]);
  if (permissionFailure) {
    off = `this Node runtime refused the permission flags (${permissionFailure})`;
    permission = [];
  }
  const flags = [...(codegenFailure ? [] : codegen), ...permission];
  const report: ContainmentReport = {
    permissionModel: { on: permission.length > 0, readPaths: permission.length > 0 ? paths : [], reason: off },
    os: { networkIsolated: isolation.networkIsolated, processesIsolated: isolation.processesIsolated, how: isolation.how },
  };
  return {
    report,
    launch(memoryMb) {
      const node = [process.execPath, '--expose-gc', `--max-old-space-size=${memoryMb}`, '--max-semi-space-size=8', ...flags, o.workerFile];
      const all = [...endsWithSidecar, ...isolation.prefix, ...node];
      return { command: all[0], args: all.slice(1), env };
    },
  };
}
