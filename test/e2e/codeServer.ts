// Starts code-server (provisioned by scripts/provision-code-server.sh) on 127.0.0.1 with a
// fresh profile, the packaged .vsix installed, and its own HOME/TMPDIR so nothing leaks
// into the machine's ~/.config or /tmp.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/repoRoot';

export interface CodeServer {
  url: string;
  port: number;
  dirs: { base: string; userData: string; extensions: string; home: string };
  log: string[];
  stop(): Promise<void>;
}

export function codeServerEntry(root = repoRoot()): string {
  const entry = join(root, '.cache', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) {
    throw new Error(`code-server is not provisioned (${entry} missing): run bash scripts/provision-code-server.sh`);
  }
  return entry;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** Installed into the fresh extensions folder; omit when loading a development extension. */
  vsix?: string;
  workspace: string;
  env?: NodeJS.ProcessEnv;
  settings?: Record<string, unknown>;
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  const base = mkdtempSync(join(tmpdir(), 'tl-code-server-'));
  const dirs = {
    base,
    userData: join(base, 'user-data'),
    extensions: join(base, 'extensions'),
    home: join(base, 'home'),
  };
  for (const d of [dirs.userData, join(dirs.userData, 'User'), dirs.extensions, dirs.home, join(base, 'tmp')]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', ...opts.settings }, null, 2),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dirs.home,
    TMPDIR: join(base, 'tmp'),
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    ...opts.env,
  };
  if (opts.vsix) {
    const install = spawnSync(
      process.execPath,
      [entry, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', opts.vsix],
      { env, encoding: 'utf8' },
    );
    if (install.status !== 0) {
      throw new Error(`installing ${opts.vsix} failed:\n${install.stdout}\n${install.stderr}`);
    }
  }
  const port = await freePort();
  const log: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      opts.workspace,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in 30 s:\n${log.join('')}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log.push(chunk.toString());
      if (chunk.toString().includes('HTTP server listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => log.push(c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${log.join('')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    dirs,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
