// A tiny npm registry on 127.0.0.1 for tests that run the real npm: it serves stand-in packages
// made with the real `npm pack`, so an install goes through npm's resolver, fetcher, integrity
// check and extraction exactly as against registry.npmjs.org — only the bytes are ours.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StandIn {
  name: string;
  version: string;
  /** File name → contents, besides package.json. */
  files: Record<string, string>;
  /** package.json scripts (an install script runs as a real package's would). */
  scripts?: Record<string, string>;
  /** package.json funding (npm install then says the package "is looking for funding"). */
  funding?: string;
}

export interface LocalRegistry {
  url: string;
  /** Every path npm asked for, in order. */
  requests: string[];
  /** Answer nothing (npm waits) until release() — for cancelling an install mid-download. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

interface Packed {
  tarball: Buffer;
  file: string;
  standIn: StandIn;
}

function pack(standIn: StandIn, npm: string): Packed {
  const dir = mkdtempSync(join(tmpdir(), 'tl-standin-'));
  try {
    const src = join(dir, 'package');
    mkdirSync(src);
    writeFileSync(join(src, 'package.json'), JSON.stringify({ name: standIn.name, version: standIn.version, main: 'index.js', scripts: standIn.scripts, funding: standIn.funding }));
    for (const [f, text] of Object.entries(standIn.files)) writeFileSync(join(src, f), text);
    const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: src, encoding: 'utf8' });
    const file = (JSON.parse(out) as Array<{ filename: string }>)[0].filename;
    return { tarball: readFileSync(join(dir, file)), file, standIn };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startLocalRegistry(npm: string, standIns: StandIn[]): Promise<LocalRegistry> {
  const packed = new Map(standIns.map((s) => [s.name, pack(s, npm)]));
  const requests: string[] = [];
  let held: Array<() => void> | undefined;
  let url = '';

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const tarballOf = [...packed.values()].find((p) => path === `/${p.standIn.name}/-/${p.file}`);
    if (tarballOf) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarballOf.tarball.length });
      return res.end(tarballOf.tarball);
    }
    const p = packed.get(path.slice(1));
    if (!p) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'Not found' }));
    }
    const { name, version } = p.standIn;
    const dist = {
      tarball: `${url}/${name}/-/${p.file}`,
      shasum: createHash('sha1').update(p.tarball).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(p.tarball).digest('base64')}`,
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    // As registry.npmjs.org: the version's scripts, and hasInstallScript, which npm reads from the
    // abbreviated metadata to decide whether to look for install scripts at all.
    const scripts = p.standIn.scripts ? { scripts: p.standIn.scripts, hasInstallScript: true } : {};
    const funding = p.standIn.funding ? { funding: p.standIn.funding } : {};
    res.end(JSON.stringify({ name, 'dist-tags': { latest: version }, versions: { [version]: { name, version, dist, ...scripts, ...funding } } }));
  };

  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (held) held.push(() => answer(req, res));
    else answer(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    hold: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const go of waiting) go();
    },
    close: () => {
      held = undefined;
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/**
 * The environment for npm to use only this registry and a cache of its own: npm reads
 * npm_config_* from the environment, which is how a learner's proxy or mirror settings reach it too.
 */
export function npmEnvFor(registryUrl: string, cache: string): Record<string, string> {
  return {
    npm_config_registry: `${registryUrl}/`,
    npm_config_cache: cache,
    npm_config_fetch_retries: '0',
    npm_config_fetch_timeout: '20000',
    npm_config_update_notifier: 'false',
    npm_config_userconfig: join(cache, 'npmrc'),
  };
}
