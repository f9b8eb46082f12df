// Runs sidecar/gpuProbe.js in a process of its own and reads its one JSON line. A probe that
// crashes (a driver fault), hangs, or is cancelled becomes a result with a reason, never a throw.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GpuProbeResult } from './gpuProbeResult';
import { t } from '../l10n';

export interface GpuProbeOptions {
  nodePath: string;
  /** Added to this process's environment (e.g. ELECTRON_RUN_AS_NODE for VS Code's runtime). */
  env?: NodeJS.ProcessEnv;
  /** The compiled sidecar/main.js; the probe sits beside it. */
  sidecarScript: string;
  /** Where Set Up GPU Compute installed webgpu (node_modules parent), if it did. */
  modulesDir?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export function gpuProbeScript(sidecarScript: string): string {
  return join(dirname(sidecarScript), 'gpuProbe.js');
}

/** Whether the sidecar finds `webgpu` without an install (a development checkout, CI). */
export function webgpuBesideSidecar(sidecarScript: string): boolean {
  try {
    createRequire(sidecarScript).resolve('webgpu');
    return true;
  } catch {
    return false;
  }
}

export function runGpuProbe(o: GpuProbeOptions): Promise<GpuProbeResult> {
  const args = [gpuProbeScript(o.sidecarScript), ...(o.modulesDir ? ['--modules', o.modulesDir] : [])];
  return new Promise((resolve) => {
    // XDG_RUNTIME_DIR: Mesa's Vulkan driver warns on stderr without one.
    const env = { XDG_RUNTIME_DIR: tmpdir(), ...process.env, ...o.env };
    const child = spawn(o.nodePath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let ended: string | undefined;
    const stop = (why: string) => {
      ended = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(t('the probe did not finish within {0} s', (o.timeoutMs ?? 60_000) / 1000)), o.timeoutMs ?? 60_000);
    const onAbort = () => stop(t('cancelled'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => stop(t('the probe could not start: {0}', e.message)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (ended) return resolve({ ok: false, reason: ended });
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as GpuProbeResult);
      } catch {
        const tail = err.trim().split('\n').slice(-3).join(' / ');
        const how = signal ?? t('exit code {0}', String(code));
        resolve({ ok: false, reason: tail ? t('the probe ended ({0}) without a result: {1}', how, tail) : t('the probe ended ({0}) without a result', how) });
      }
    });
  });
}
