// The operating-system layer around the check process. On Linux, where unprivileged user
// namespaces are allowed (Debian and Fedora by default; not in Docker's default seccomp profile,
// nor on Ubuntu 24.04 with its AppArmor restriction), util-linux's `unshare` (on every Debian
// system) starts it in a new network namespace — no interface but a loopback that is down, so
// no connection to anything, even 127.0.0.1 — and, where possible, a new PID namespace with its
// own /proc, so it sees no other process and every process it could start dies with it.
// Elsewhere (macOS, Windows, restricted Linux) there is no such layer and the report says why.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export interface OsIsolation {
  /** Put before the Node command line: the wrapper and its arguments, or nothing. */
  prefix: string[];
  networkIsolated: boolean;
  /** A PID namespace with its own /proc: no other process can be seen or signalled. */
  processesIsolated: boolean;
  /** In words for the status bar hover and the log. */
  how: string;
}

const CANDIDATES: { args: string[]; processes: boolean; how: string }[] = [
  {
    args: ['--user', '--map-root-user', '--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc'],
    processes: true,
    how: 'new network and PID namespaces (unshare): no network, no other process visible',
  },
  { args: ['--user', '--map-root-user', '--net'], processes: false, how: 'new network namespace (unshare): no network' },
];

/** Exits 0 only where the process really has no network interface with an address. */
const PROBE = "process.exit(Object.keys(require('os').networkInterfaces()).length === 0 ? 0 : 3)";

function findUnshare(): string | undefined {
  const dirs = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', ...(process.env.PATH ?? '').split(path.delimiter)];
  return dirs.map((d) => path.join(d, 'unshare')).find((f) => path.isAbsolute(f) && existsSync(f));
}

function runs(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; why: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 5000, windowsHide: true }, (err, _out, stderr) => {
      if (!err) resolve({ ok: true, why: '' });
      else resolve({ ok: false, why: (String(stderr).trim().split('\n').pop() || err.message).slice(0, 200) });
    });
  });
}

let cached: Promise<OsIsolation> | undefined;

/**
 * The strongest wrapper that works here, tried once per sidecar: each candidate must start
 * Node and leave it without a network interface.
 */
export function osIsolation(nodePath: string, env: NodeJS.ProcessEnv): Promise<OsIsolation> {
  if (!cached) cached = probe(nodePath, env);
  return cached;
}

async function probe(nodePath: string, env: NodeJS.ProcessEnv): Promise<OsIsolation> {
  if (process.platform !== 'linux') {
    const os = process.platform === 'darwin' ? 'macOS' : process.platform === 'win32' ? 'Windows' : process.platform;
    return { prefix: [], networkIsolated: false, processesIsolated: false, how: `no OS network layer on ${os}: only the JavaScript layer refuses the network` };
  }
  const unshare = findUnshare();
  if (!unshare) return { prefix: [], networkIsolated: false, processesIsolated: false, how: 'unshare (util-linux) is not installed: only the JavaScript layer refuses the network' };
  let why = '';
  for (const c of CANDIDATES) {
    const r = await runs(unshare, [...c.args, '--', nodePath, '-e', PROBE], env);
    if (r.ok) return { prefix: [unshare, ...c.args, '--'], networkIsolated: true, processesIsolated: c.processes, how: c.how };
    why ||= r.why;
  }
  return {
    prefix: [],
    networkIsolated: false,
    processesIsolated: false,
    how: `no network namespace (unshare refused: ${why || 'unknown reason'}; unprivileged user namespaces may be disabled): only the JavaScript layer refuses the network`,
  };
}
