// Which Node runtime runs the sidecar: the setting, else `node` on PATH (20+), else VS Code's
// own runtime in Node mode. Native TensorFlow.js never loads into the extension host itself.
import { spawnSync } from 'node:child_process';

export interface NodeRuntime {
  path: string;
  env: NodeJS.ProcessEnv;
  description: string;
  /** e.g. "v20.20.2"; decides the permission-model flags. */
  version: string;
  /** VS Code's own Electron runtime, where Node's permission flags are not available. */
  electron: boolean;
}

function nodeVersion(path: string): string | undefined {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 5000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  const v = (r.stdout ?? '').trim();
  return r.status === 0 && /^v\d+\./.test(v) ? v : undefined;
}

function nodeMajor(path: string): number | undefined {
  const v = nodeVersion(path);
  return v ? Number(/^v(\d+)/.exec(v)![1]) : undefined;
}

export function resolveNodeRuntime(setting: string): NodeRuntime {
  if (setting) {
    const major = nodeMajor(setting);
    if (major === undefined) {
      throw new Error(`transformerLabs.compute.nodePath is "${setting}", which does not run as Node.js (\`${setting} --version\` failed)`);
    }
    return { path: setting, env: {}, description: `${setting} (Node ${major}, from settings)`, version: nodeVersion(setting)!, electron: false };
  }
  const onPath = process.platform === 'win32' ? 'node.exe' : 'node';
  const major = nodeMajor(onPath);
  if (major !== undefined && major >= 20) {
    return { path: onPath, env: {}, description: `node on PATH (Node ${major})`, version: nodeVersion(onPath)!, electron: false };
  }
  return {
    path: process.execPath,
    env: { ELECTRON_RUN_AS_NODE: '1' },
    description: `VS Code's built-in runtime (Node ${process.versions.node})`,
    version: `v${process.versions.node}`,
    electron: !!process.versions.electron,
  };
}
