// Which Node runtime runs the sidecar: the setting, else `node` on PATH (20+), else VS Code's
// own runtime in Node mode. Native TensorFlow.js never loads into the extension host itself.
// Asking a runtime for its version starts a process: that happens off the extension host's event
// loop (execFile, not spawnSync) and once per path per session.
import { execFile } from 'node:child_process';
import { t } from '../l10n';

export interface NodeRuntime {
  path: string;
  env: NodeJS.ProcessEnv;
  description: string;
  /** e.g. "v20.20.2"; decides the permission-model flags. */
  version: string;
  /** VS Code's own Electron runtime, where Node's permission flags are not available. */
  electron: boolean;
}

const versions = new Map<string, Promise<string | undefined>>();

/** `path --version`, asked once per path (a runtime that does not answer within 5 s has none). */
function nodeVersion(path: string): Promise<string | undefined> {
  let v = versions.get(path);
  if (!v) {
    v = new Promise((resolve) => {
      execFile(path, ['--version'], { encoding: 'utf8', timeout: 5000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, (err, stdout) => {
        // Stryker disable next-line StringLiteral: with an encoding, execFile always hands over a string; the ?? guards a typing only
        const out = (stdout ?? '').trim();
        resolve(!err && /^v\d+\./.test(out) ? out : undefined);
      });
    });
    versions.set(path, v);
  }
  return v;
}

/** Forget the versions asked so far (after the learner changed the runtime setting). */
export function forgetNodeVersions(): void {
  versions.clear();
}

// Stryker disable next-line Regex: only versions that start with v reach it (nodeVersion's test)
const major = (v: string) => Number(/^v(\d+)/.exec(v)![1]);

export async function resolveNodeRuntime(setting: string): Promise<NodeRuntime> {
  if (setting) {
    const version = await nodeVersion(setting);
    if (version === undefined) {
      throw new Error(t('transformerLabs.compute.nodePath is "{0}", which does not run as Node.js (`{0} --version` failed)', setting));
    }
    return { path: setting, env: {}, description: t('{0} (Node {1}, from settings)', setting, major(version)), version, electron: false };
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral: only Windows can tell 'node.exe' from 'node'
  const onPath = process.platform === 'win32' ? 'node.exe' : 'node';
  const version = await nodeVersion(onPath);
  if (version !== undefined && major(version) >= 20) {
    return { path: onPath, env: {}, description: t('node on PATH (Node {0})', major(version)), version, electron: false };
  }
  return {
    path: process.execPath,
    env: { ELECTRON_RUN_AS_NODE: '1' },
    description: t('VS Code\'s built-in runtime (Node {0})', process.versions.node),
    version: `v${process.versions.node}`,
    electron: !!process.versions.electron,
  };
}
