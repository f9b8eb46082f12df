// Root hook of the unit suite (.mocharc.json): after the last test, what the tests left open — a
// child process, a socket, a server, a file watcher — is a failure that names it, instead of a
// suite that never ends (the --exit in .mocharc.json would hide it). Closing takes a moment (a
// sidecar disposed in an after hook exits asynchronously), so it waits up to 10 s first.
'use strict';

const STDIO = new Set([process.stdin, process.stdout, process.stderr]);

function leftOpen() {
  // process.channel: the IPC pipe of a parent that started this process (Stryker's test runner).
  return process._getActiveHandles().filter((h) => !STDIO.has(h) && h !== process.channel);
}

function describe(h) {
  const name = h.constructor ? h.constructor.name : typeof h;
  if (h.spawnfile) return `${name} pid ${h.pid}: ${[h.spawnfile, ...(h.spawnargs || []).slice(1)].join(' ').slice(0, 200)}`;
  if (typeof h.address === 'function') {
    try {
      const a = h.address();
      if (a && typeof a === 'object' && a.port !== undefined) return `${name} ${a.address}:${a.port}`;
    } catch {
      // not bound
    }
  }
  return h.constructor && h.constructor.name === 'Socket' ? 'Socket (a pipe, e.g. a child process\'s stdio)' : name;
}

exports.mochaHooks = {
  async afterAll() {
    // Under Stryker the runner process lives on across mutants, with handles of its own.
    if (globalThis.__stryker__ !== undefined) return;
    this.timeout(15_000);
    const deadline = Date.now() + 10_000;
    while (leftOpen().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const open = leftOpen();
    if (open.length > 0) throw new Error(`the tests left ${open.length} handle(s) open: ${open.map(describe).join('; ')}`);
  },
};
