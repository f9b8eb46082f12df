// Not a test: the program the process-layer suite starts exactly as the check process is
// started (same wrapper, flags and environment), standing in for learner code that has broken
// every JavaScript layer and runs as the check process itself. It tries each route with plain
// Node.js and prints, as JSON, what happened.
import { execFileSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as dns from 'node:dns';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Worker } from 'node:worker_threads';

interface Params {
  port: number;
  udpPort: number;
  canaryFile: string;
  classDir: string;
  outside: string;
  graderPid: number;
}

type Result = { route: string; got?: string; refused?: string };

const p = JSON.parse(process.argv[process.argv.length - 1]) as Params;

function trySync(route: string, f: () => unknown): Result {
  try {
    return { route, got: String(f()).slice(0, 200) };
  } catch (err) {
    return { route, refused: `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`.trim().slice(0, 200) };
  }
}

function tryAsync(route: string, f: (done: (got?: string, refused?: string) => void) => void): Promise<Result> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ route, refused: 'no answer within 3 s' }), 3000);
    try {
      f((got, refused) => {
        clearTimeout(timer);
        resolve(got !== undefined ? { route, got } : { route, refused });
      });
    } catch (err) {
      clearTimeout(timer);
      resolve({ route, refused: `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`.trim() });
    }
  });
}

async function main(): Promise<void> {
  const results: Result[] = [
    trySync('read /etc/passwd', () => fs.readFileSync('/etc/passwd', 'utf8')),
    trySync('read the canary beside the lab folder', () => fs.readFileSync(p.canaryFile, 'utf8')),
    trySync('list the class folder', () => fs.readdirSync(p.classDir).join(',')),
    trySync("read the grader's environment (/proc/<pid>/environ)", () => fs.readFileSync(`/proc/${p.graderPid}/environ`, 'utf8')),
    trySync('write a file', () => {
      fs.writeFileSync(p.outside, 'escaped');
      return 'written';
    }),
    trySync('start a program', () => execFileSync('/bin/sh', ['-c', `echo x > ${p.outside}`]).toString() || 'started'),
    trySync('start a worker thread with execArgv []', () => new Worker(`require('fs').writeFileSync(${JSON.stringify(p.outside)}, 'x')`, { eval: true, execArgv: [] }) && 'started'),
    trySync('environment variables', () => {
      // What the runtime itself needs (the IPC channel, Electron in Node mode) is not a secret.
      const keys = Object.keys(process.env).filter((k) => !/^(NODE_CHANNEL_.*|NODE_UNIQUE_ID|ELECTRON_RUN_AS_NODE)$/.test(k));
      if (keys.length === 0) throw new Error('the environment is empty');
      return keys.join(',');
    }),
    trySync('signal the grader process', () => {
      process.kill(p.graderPid, 0);
      return 'the grader process is reachable';
    }),
    await tryAsync('TCP to the listener', (done) => {
      const s = net.connect(p.port, '127.0.0.1', () => done('connected'));
      s.on('error', (e) => done(undefined, `${(e as NodeJS.ErrnoException).code} ${e.message}`));
    }),
    await tryAsync('fetch to the listener', (done) => {
      fetch(`http://127.0.0.1:${p.port}/escaped`).then(
        (r) => done(`HTTP ${r.status}`),
        (e: Error) => done(undefined, `${(e.cause as Error | undefined)?.message ?? e.message}`),
      );
    }),
    await tryAsync('UDP to the listener', (done) => {
      const s = dgram.createSocket('udp4');
      s.send('escaped', p.udpPort, '127.0.0.1', (e) => (e ? done(undefined, `${(e as NodeJS.ErrnoException).code} ${e.message}`) : done('sent')));
    }),
    await tryAsync('DNS lookup of example.com', (done) => {
      dns.lookup('example.com', (e, address) => (e ? done(undefined, `${e.code} ${e.message}`) : done(address)));
    }),
  ];
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
}

void main();
