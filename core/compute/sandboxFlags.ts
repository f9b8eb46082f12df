// Node's permission model for the check process, the one that runs learner code: it may read
// only the paths given (the extension's own files), write nothing, start no programs and no
// threads. Native TensorFlow.js (tfjs-node, tfjs-node-gpu) and the webgpu route (Dawn's dawn.node)
// load an addon, which native code runs outside any permission model, so the model is used only
// when no native backend may load (`auto` loads webgpu only where its probe passed a hardware adapter: sidecar/backend/autoGpu.ts).
import type { BackendPreference } from '../protocol/sidecar';

export function sandboxFlags(nodeMajor: number, nodeMinor: number, readPaths: string[]): string[] {
  if (nodeMajor < 20) return [];
  // --permission is the stable name from Node 23.5 (and 22.13); older releases spell it experimental.
  const stable = nodeMajor > 23 || (nodeMajor === 23 && nodeMinor >= 5) || (nodeMajor === 22 && nodeMinor >= 13);
  // One flag per path: a comma inside one flag is part of a single path on current releases.
  return [stable ? '--permission' : '--experimental-permission', ...readPaths.map((p) => `--allow-fs-read=${p}`), '--no-warnings'];
}

/** Whether the permission model fits this configuration (no native backend can be chosen). */
export function canSandbox(backend: BackendPreference, nativeInstalled: boolean): boolean {
  return backend === 'wasm' || backend === 'cpu' || (backend === 'auto' && !nativeInstalled);
}

export function parseNodeVersion(version: string): { major: number; minor: number } {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : { major: 0, minor: 0 };
}
