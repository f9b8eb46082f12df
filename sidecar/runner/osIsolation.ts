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

/** Exits 3 where the process has a network interface with an address. */
const NO_NETWORK = "if (Object.keys(require('os').networkInterfaces()).length > 0) process.exit(3);";

function findProgram(name: string): string | undefined {
  const dirs = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', ...(process.env.PATH ?? '').split(path.delimiter)];
  return dirs.map((d) => path.join(d, name)).find((f) => path.isAbsolute(f) && existsSync(f));
}

/**
 * The wrapper that ends the check process when the sidecar ends, however it ends. The sidecar
 * kills it on exit, and the client kills the sidecar's process group when it sees it die; but
 * when both are killed at once (a test runner's or a shell's kill of the whole tree), nobody is
 * left to do either, and learner code in an endless loop never reads that its channel closed: it
 * spun on, for hours. `setpriv --pdeathsig KILL` has the kernel kill the wrapped program when its
 * parent dies; unshare's --kill-child then passes it on to the check process.
 */
export async function parentDeathWrapper(setpriv = findProgram('setpriv')): Promise<string[]> {
  if (process.platform !== 'linux' || !setpriv) return [];
  const wrapper = [setpriv, '--pdeathsig', 'KILL', '--'];
  return (await runs(setpriv, [...wrapper.slice(1), 'true'], {})).ok ? wrapper : [];
}

export function runs(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; why: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 10_000, windowsHide: true }, (err, _out, stderr) => {
      if (!err) resolve({ ok: true, why: '' });
      else resolve({ ok: false, why: (String(stderr).trim().split('\n').find((l) => /Error|bad option|restricted|unshare/i.test(l)) ?? err.message).slice(0, 200) });
    });
  });
}

/** Node flags and a check script that should hold inside the wrapper too (see containment.ts). */
export interface AlsoProbe {
  nodeArgs: string[];
  script: string;
}

/**
 * The strongest wrapper that works here, tried once per sidecar start: each candidate must
 * start Node and leave it without a network interface. The first try also runs `also` (the
 * check process's flags and their checks), so that where everything works one process start
 * decides everything; `alsoHeld` says whether it did.
 */
export async function osIsolation(
  nodePath: string,
  env: NodeJS.ProcessEnv,
  also?: AlsoProbe,
  unshare = findProgram('unshare'),
): Promise<OsIsolation & { alsoHeld: boolean }> {
  if (process.platform !== 'linux') {
    const os = process.platform === 'darwin' ? 'macOS' : process.platform === 'win32' ? 'Windows' : process.platform;
    return { prefix: [], networkIsolated: false, processesIsolated: false, alsoHeld: false, how: `no OS network layer on ${os}: only the JavaScript layer refuses the network` };
  }
  if (!unshare) {
    return { prefix: [], networkIsolated: false, processesIsolated: false, alsoHeld: false, how: 'unshare (util-linux) is not installed: only the JavaScript layer refuses the network' };
  }
  let why = '';
  for (const [i, c] of CANDIDATES.entries()) {
    const found = { prefix: [unshare, ...c.args, '--'], networkIsolated: true, processesIsolated: c.processes, how: c.how };
    if (i === 0 && also && (await runs(unshare, [...c.args, '--', nodePath, ...also.nodeArgs, '-e', `${NO_NETWORK} ${also.script}`], env)).ok) {
      return { ...found, alsoHeld: true };
    }
    const r = await runs(unshare, [...c.args, '--', nodePath, '-e', NO_NETWORK], env);
    if (r.ok) return { ...found, alsoHeld: false };
    why ||= r.why;
  }
  return {
    prefix: [],
    networkIsolated: false,
    processesIsolated: false,
    alsoHeld: false,
    how: `no network namespace (unshare refused: ${why || 'unknown reason'}; unprivileged user namespaces may be disabled): only the JavaScript layer refuses the network`,
  };
}
