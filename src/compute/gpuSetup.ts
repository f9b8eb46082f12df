// "Set Up GPU Compute": installs a GPU route into the extension's global storage with npm —
// `webgpu` (Dawn's prebuilt dawn.node, from the npm registry alone) or
// @tensorflow/tfjs-node-gpu (downloads libtensorflow, needs CUDA 11.2) — and explains a
// failure in words. The current backend keeps working.
// Why on demand rather than in the .vsix: the webgpu package carries dawn.node for five
// platforms (132 MB unpacked, ~21 MB for linux-x64 alone) and the .vsix is ~12 MB; most
// learners never need it, and a .vsix per platform would be needed to ship only one binary.
// tfjs-backend-webgpu itself is plain JavaScript and is bundled.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { t } from '../l10n';

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu@4.22.0';
/** Matches the devDependency in package.json (what CI tests). */
export const WEBGPU_PACKAGE = 'webgpu@0.6.2';

export type GpuRoute = 'webgpu' | 'tensorflow-gpu';
const ROUTE_PACKAGE: Record<GpuRoute, { spec: string; dir: string[] }> = {
  webgpu: { spec: WEBGPU_PACKAGE, dir: ['webgpu'] },
  'tensorflow-gpu': { spec: GPU_PACKAGE, dir: ['@tensorflow', 'tfjs-node-gpu'] },
};

/** Why an npm install of tfjs-node-gpu failed, from its output. */
// Stryker disable next-line StringLiteral: only route === 'webgpu' is asked, so any other default reads the same
export function explainGpuInstallFailure(output: string, exitCode: number | null, route: GpuRoute = 'tensorflow-gpu'): string {
  if (/ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|getaddrinfo|network/i.test(output)) {
    return route === 'webgpu'
      ? t('npm could not reach the npm registry (no network, a proxy or a firewall blocks it)')
      : t('the install downloads the TensorFlow C library (libtensorflow) from Google storage, and this machine cannot reach it (no network, a proxy or a firewall blocks it)');
  }
  if (/ENOSPC/.test(output)) return t('the disk is full (the webgpu package needs about 140 MB)');
  if (/ENOENT.*npm|npm: not found|command not found/i.test(output)) {
    return t('npm was not found; install Node.js with npm, or set transformerLabs.compute.nodePath');
  }
  if (/unsupported platform|EBADPLATFORM|darwin|win32.*gpu/i.test(output)) {
    return t('tfjs-node-gpu supports only Linux x64 with an NVIDIA GPU');
  }
  if (/cuda|cudnn/i.test(output)) {
    return t('CUDA 11.2 and cuDNN 8.1 are needed; newer CUDA versions make it fall back to the CPU');
  }
  return t('npm exited with code {0}; the last lines of its output are in the compute log', String(exitCode));
}

export interface InstallResult {
  ok: boolean;
  modulesDir: string;
  reason?: string;
}

export function gpuModulesDir(globalStorage: string): string {
  return join(globalStorage, 'gpu');
}

export function isRouteInstalled(globalStorage: string, route: GpuRoute): boolean {
  return existsSync(join(gpuModulesDir(globalStorage), 'node_modules', ...ROUTE_PACKAGE[route].dir, 'package.json'));
}

/** Either GPU route installed: a native addon may load, so the sandbox cannot be used. */
export function isGpuInstalled(globalStorage: string): boolean {
  return isRouteInstalled(globalStorage, 'webgpu') || isRouteInstalled(globalStorage, 'tensorflow-gpu');
}

/**
 * The npm to install with: the one beside the Node runtime that runs the sidecar (so the
 * native module matches it), else the first on PATH. VS Code's own runtime has none beside it.
 */
// Stryker disable next-line StringLiteral: with PATH unset, any word in its place names no folder with an npm
export function findNpm(nodeRuntimePath: string, pathEnv = process.env.PATH ?? '', platform = process.platform): string | undefined {
  const names = platform === 'win32' ? ['npm.cmd', 'npm.exe'] : ['npm'];
  const dirs = [dirname(nodeRuntimePath), ...pathEnv.split(platform === 'win32' ? ';' : delimiter)].filter((d) => d && d !== '.');
  for (const d of dirs) {
    for (const n of names) {
      if (existsSync(join(d, n))) return join(d, n);
    }
  }
  return undefined;
}

/**
 * How to start npm. On Windows npm is `npm.cmd`, which Node starts only through the shell
 * (CVE-2024-27980); the shell splits the command line at spaces, so a path like
 * `C:\Program Files\nodejs\npm.cmd` or a storage folder under a user name with a space
 * must be quoted. Elsewhere npm runs without a shell and takes its arguments as they are.
 */
export function npmCommand(npm: string, args: string[], platform: NodeJS.Platform = process.platform): { command: string; args: string[]; shell: boolean } {
  if (platform !== 'win32') return { command: npm, args, shell: false };
  const quote = (s: string) => (/[\s"&|<>^()%!]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return { command: quote(npm), args: args.map(quote), shell: true };
}

/**
 * npm 11.19 and later skip a dependency's install scripts unless the project's package.json
 * allows them (`allowScripts`, pinned to the version), and report success: tfjs-node-gpu would
 * then be unpacked without libtensorflow, and webgpu on macOS would keep dawn.node quarantined.
 * Older npm ignores the field. A package.json of this folder that is not JSON is written anew
 * (the folder holds nothing else of the learner's).
 */
export function allowInstallScript(dir: string, spec: string): void {
  const file = join(dir, 'package.json');
  let manifest: { allowScripts?: Record<string, boolean>; [k: string]: unknown } = { name: 'transformer-labs-gpu', private: true };
  try {
    const read = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (read && typeof read === 'object' && !Array.isArray(read)) manifest = read as typeof manifest;
  } catch {
    // missing or not JSON: the default above
  }
  const allowed = manifest.allowScripts && typeof manifest.allowScripts === 'object' ? manifest.allowScripts : {};
  if (allowed[spec] === true && existsSync(file)) return;
  manifest.allowScripts = { ...allowed, [spec]: true };
  writeFileSync(file, JSON.stringify(manifest, null, 2));
}

export function installGpuBackend(
  globalStorage: string,
  npm: string,
  log: (line: string) => void,
  signal: AbortSignal,
  route: GpuRoute = 'tensorflow-gpu',
): Promise<InstallResult> {
  const dir = gpuModulesDir(globalStorage);
  mkdirSync(dir, { recursive: true });
  allowInstallScript(dir, ROUTE_PACKAGE[route].spec);
  return new Promise((resolve) => {
    // Stryker disable next-line StringLiteral: a prefix before npm's first line matches none of the explanations
    let output = '';
    const args = [
      'install', '--no-audit', '--no-fund', '--save-exact', ROUTE_PACKAGE[route].spec,
      // Stryker disable next-line StringLiteral: cwd below is the same folder, so --prefix alone and cwd alone both install there
      '--prefix', dir,
    ];
    const run = npmCommand(npm, args);
    // Stryker disable next-line ObjectLiteral: off Windows these are spawn's defaults, and --prefix names dir; shell is tested through npmCommand
    const child = spawn(run.command, run.args, { cwd: dir, env: process.env, shell: run.shell });
    const onData = (d: Buffer) => {
      const text = d.toString();
      output += text;
      for (const line of text.split(/\r?\n/)) if (line.trim()) log(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const onAbort = () => child.kill();
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the listener is removed on close, and an abort fires once
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => resolve({ ok: false, modulesDir: dir, reason: explainGpuInstallFailure(`ENOENT npm: ${err.message}`, null, route) }));
    child.on('close', (code) => {
      // Stryker disable next-line StringLiteral: left registered, a later abort would kill a process that has exited (no effect); removed to free it
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return resolve({ ok: false, modulesDir: dir, reason: 'cancelled' });
      if (code === 0 && isRouteInstalled(globalStorage, route)) return resolve({ ok: true, modulesDir: dir });
      resolve({ ok: false, modulesDir: dir, reason: explainGpuInstallFailure(output, code, route) });
    });
  });
}
