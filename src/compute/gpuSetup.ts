// "Set Up GPU Compute": installs @tensorflow/tfjs-node-gpu into the extension's global
// storage with npm, and explains a failure in words. The current backend keeps working.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu@4.22.0';

/** Why an npm install of tfjs-node-gpu failed, from its output. */
export function explainGpuInstallFailure(output: string, exitCode: number | null): string {
  if (/ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|getaddrinfo|network/i.test(output)) {
    return 'the install downloads the TensorFlow C library (libtensorflow) from Google storage, and this machine cannot reach it (no network, a proxy or a firewall blocks it)';
  }
  if (/ENOENT.*npm|npm: not found|command not found/i.test(output)) {
    return 'npm was not found; install Node.js with npm, or set transformerLabs.compute.nodePath';
  }
  if (/unsupported platform|EBADPLATFORM|darwin|win32.*gpu/i.test(output)) {
    return 'tfjs-node-gpu supports only Linux x64 with an NVIDIA GPU';
  }
  if (/cuda|cudnn/i.test(output)) {
    return 'CUDA 11.2 and cuDNN 8.1 are needed; newer CUDA versions make it fall back to the CPU';
  }
  return `npm exited with code ${exitCode}; the last lines of its output are in the compute log`;
}

export interface InstallResult {
  ok: boolean;
  modulesDir: string;
  reason?: string;
}

export function gpuModulesDir(globalStorage: string): string {
  return join(globalStorage, 'gpu');
}

export function isGpuInstalled(globalStorage: string): boolean {
  return existsSync(join(gpuModulesDir(globalStorage), 'node_modules', '@tensorflow', 'tfjs-node-gpu', 'package.json'));
}

/**
 * The npm to install with: the one beside the Node runtime that runs the sidecar (so the
 * native module matches it), else the first on PATH. VS Code's own runtime has none beside it.
 */
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

export function installGpuBackend(
  globalStorage: string,
  npm: string,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<InstallResult> {
  const dir = gpuModulesDir(globalStorage);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'transformer-labs-gpu', private: true }, null, 2));
  }
  return new Promise((resolve) => {
    let output = '';
    const run = npmCommand(npm, ['install', '--no-audit', '--no-fund', '--prefix', dir, GPU_PACKAGE]);
    const child = spawn(run.command, run.args, { cwd: dir, env: process.env, shell: run.shell });
    const onData = (d: Buffer) => {
      const text = d.toString();
      output += text;
      for (const line of text.split(/\r?\n/)) if (line.trim()) log(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const onAbort = () => child.kill();
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => resolve({ ok: false, modulesDir: dir, reason: explainGpuInstallFailure(`ENOENT npm: ${err.message}`, null) }));
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return resolve({ ok: false, modulesDir: dir, reason: 'cancelled' });
      if (code === 0 && isGpuInstalled(globalStorage)) return resolve({ ok: true, modulesDir: dir });
      resolve({ ok: false, modulesDir: dir, reason: explainGpuInstallFailure(output, code) });
    });
  });
}
