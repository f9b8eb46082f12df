// Node's permission model for the sidecar: learner code that escapes the vm context (say,
// through `someObject.constructor.constructor`) still cannot write files or start processes.
// Reading stays allowed (the wasm binaries, the lab modules); worker threads are needed for
// the check worker. Native TensorFlow.js (tfjs-node, tfjs-node-gpu) and the webgpu route (Dawn's
// dawn.node) load an addon, which the permission model refuses, so the sandbox is used only
// when no native backend may load. The hover says when it is off (BackendInfo.permissionModel).
import type { BackendPreference } from '../protocol/sidecar';

export function sandboxFlags(nodeMajor: number, nodeMinor = 0): string[] {
  if (nodeMajor < 20) return [];
  // --permission is the stable name from Node 23.5 (and 22.13); older releases spell it experimental.
  const stable = nodeMajor > 23 || (nodeMajor === 23 && nodeMinor >= 5) || (nodeMajor === 22 && nodeMinor >= 13);
  return [stable ? '--permission' : '--experimental-permission', '--allow-fs-read=*', '--allow-worker', '--no-warnings'];
}

/**
 * Whether the sandbox fits this configuration (no native backend can be chosen). `nativeInstalled`:
 * a native route was installed on purpose (Set Up GPU Compute); under the sandbox, `auto` reports
 * the webgpu route as refused by the permission model instead of loading it.
 */
export function canSandbox(backend: BackendPreference, nativeInstalled: boolean): boolean {
  return backend === 'wasm' || backend === 'cpu' || (backend === 'auto' && !nativeInstalled);
}

export function parseNodeVersion(version: string): { major: number; minor: number } {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : { major: 0, minor: 0 };
}
