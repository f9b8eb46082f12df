// What the escape suite needs around each attempt: a listener on 127.0.0.1 that records anything
// arriving (TCP and UDP), a class folder with a canary file beside the lab folders, a canary
// environment variable, snapshots of every file, and a verdict per route.
import { createHash, randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Attempt } from './attempts';
import { SidecarClient } from '../../core/compute/sidecarClient';
import type { BuildPaths } from '../../core/compute/paths';

export interface Listener {
  port: number;
  udpPort: number;
  /** Everything that arrived so far, one line per connection or datagram. */
  hits: string[];
  close(): Promise<void>;
}

export async function startListener(): Promise<Listener> {
  const hits: string[] = [];
  const server = net.createServer((socket) => {
    hits.push(`tcp connection from ${socket.remoteAddress}`);
    socket.on('data', (d) => hits.push(`tcp data: ${d.toString().slice(0, 80)}`));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const udp = dgram.createSocket('udp4');
  udp.on('message', (m) => hits.push(`udp: ${m.toString().slice(0, 80)}`));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    udpPort: udp.address().port,
    hits,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

export interface ClassFolder {
  root: string;
  canaryFile: string;
  fileCanary: string;
  envCanary: string;
  /** A path outside the class folder that no attempt may create. */
  outside: string;
}

export function makeClassFolder(): ClassFolder {
  const root = mkdtempSync(join(tmpdir(), 'tl-class-'));
  const fileCanary = `file-canary-${randomBytes(8).toString('hex')}`;
  const canaryFile = join(root, 'answer-key.txt');
  writeFileSync(canaryFile, fileCanary);
  return {
    root,
    canaryFile,
    fileCanary,
    envCanary: `env-canary-${randomBytes(8).toString('hex')}`,
    outside: join(tmpdir(), `tl-outside-${randomBytes(6).toString('hex')}`),
  };
}

/** Every file under `root`: relative path → sha1 of its content. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

export function changedFiles(before: Map<string, string>, after: Map<string, string>, allowed: (rel: string) => boolean): string[] {
  const changed: string[] = [];
  for (const [p, h] of after) if (before.get(p) !== h && !allowed(p)) changed.push(before.has(p) ? `changed ${p}` : `created ${p}`);
  for (const p of before.keys()) if (!after.has(p) && !allowed(p)) changed.push(`deleted ${p}`);
  return changed;
}

export interface CheckLine {
  id: string;
  status: string;
  message: string;
}

export interface RouteRun {
  /** The attempted check (padding-mask, unless the attempt aims elsewhere). */
  attempted: CheckLine;
  others: CheckLine[];
  /** Everything the route printed, logged or wrote, to look for the canaries in. */
  output: string;
}

export interface Verdict {
  refused: boolean;
  leaks: string[];
  /** Other things wrong (another check failed, the report did not say what was refused). */
  problems: string[];
  said: string;
}

export function judge(
  a: Attempt,
  run: RouteRun,
  evidence: { hitsBefore: number; hitsAfter: number; changed: string[]; outsideExists: boolean; canaries: string[] },
): Verdict {
  const leaks: string[] = [];
  if (evidence.hitsAfter > evidence.hitsBefore) leaks.push(`${evidence.hitsAfter - evidence.hitsBefore} arrival(s) at the listener`);
  leaks.push(...evidence.changed);
  if (evidence.outsideExists) leaks.push('created a file outside the class folder');
  for (const c of evidence.canaries) if (run.output.includes(c)) leaks.push(`the canary ${c.split('-')[0]} appeared in the output`);
  if (/ESCAPED/.test(run.attempted.message)) leaks.push(`the attempt got through: ${run.attempted.message.slice(0, 120)}`);
  const problems: string[] = [];
  const expectedStatus = a.kind === 'block' ? ['timeout', 'memory'] : ['error', 'fail'];
  if (!expectedStatus.includes(run.attempted.status)) problems.push(`${run.attempted.id} is ${run.attempted.status}, expected ${expectedStatus.join(' or ')}`);
  if (!a.refusal.test(run.attempted.message)) problems.push(`the report does not say what was refused (${a.refusal}): ${run.attempted.message}`);
  const broken = run.others.filter((c) => c.status !== 'pass');
  if (broken.length > 0) problems.push(`other checks did not pass: ${broken.map((c) => `${c.id} ${c.status} ${c.message.slice(0, 80)}`).join('; ')}`);
  return {
    refused: run.attempted.status !== 'pass' && leaks.length === 0 && problems.length === 0,
    leaks,
    problems,
    said: run.attempted.message,
  };
}

export function exists(p: string): boolean {
  return existsSync(p);
}

/** The packaged sidecar as the extension starts it, on Node or (vscodeRuntime) as VS Code's runtime would run it. */
export function routeClient(dist: BuildPaths, vscodeRuntime: boolean, log: (message: string) => void): SidecarClient {
  return new SidecarClient({
    nodePath: process.execPath,
    sidecarScript: dist.sidecarScript,
    labsDist: dist.labsDist,
    backend: 'wasm',
    env: vscodeRuntime ? { ELECTRON_RUN_AS_NODE: '1' } : {},
    log: (_l, m) => log(m),
  });
}
