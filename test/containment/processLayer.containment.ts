// The layers under the JavaScript one, on their own: a program started exactly as the check
// process is (escapedProcess.ts: same OS wrapper, Node flags and environment) tries every route
// with plain Node.js, as learner code would after breaking out of its realm. What it manages
// must be exactly what the containment report (the status bar hover) says is left open —
// nothing, with Node's permission model; the files, on VS Code's own runtime without it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findBuildPaths } from '../../core/compute/paths';
import type { ContainmentReport } from '../../core/protocol/sidecar';
import { prepareContainment } from '../../sidecar/runner/containment';
import { makeClassFolder, startListener } from './harness';

type Result = { route: string; got?: string; refused?: string };

/** What closes each route of escapedProcess.ts. */
const CLOSED_BY: Record<string, 'permission' | 'permission or PID namespace' | 'PID namespace' | 'empty environment' | 'network namespace'> = {
  'read /etc/passwd': 'permission',
  'read the canary beside the lab folder': 'permission',
  'list the class folder': 'permission',
  "read the grader's environment (/proc/<pid>/environ)": 'permission or PID namespace',
  'write a file': 'permission',
  'start a program': 'permission',
  'start a worker thread with execArgv []': 'permission',
  'environment variables': 'empty environment',
  'signal the grader process': 'PID namespace',
  'TCP to the listener': 'network namespace',
  'fetch to the listener': 'network namespace',
  'UDP to the listener': 'network namespace',
  'DNS lookup of example.com': 'network namespace',
};

/** Whether the report says the route stays open. */
function expectedOpen(route: string, r: ContainmentReport): boolean {
  switch (CLOSED_BY[route]) {
    case 'permission':
      return !r.permissionModel.on;
    case 'permission or PID namespace':
      return !r.permissionModel.on && !r.os.processesIsolated;
    case 'PID namespace':
      return !r.os.processesIsolated;
    case 'empty environment':
      return false;
    case 'network namespace':
      return !r.os.networkIsolated;
    default:
      throw new Error(`no rule for the route "${route}"`);
  }
}

describe('containment: the check process itself, as if every JavaScript layer were broken', function () {
  this.timeout(120_000);
  const build = findBuildPaths(__dirname);
  const table: string[][] = [];
  /** What each mode's containment report said: which layer is off here, and why. */
  const layers: string[] = [];

  after(() => {
    if (table.length === 0) return;
    const w = Math.max(...table.map((r) => r[0].length));
    console.log(
      ['', `| route${' '.repeat(w - 5)} | Node (permission model) | VS Code's runtime (none) |`, `|${'-'.repeat(w + 2)}|-------------------------|--------------------------|`]
        .concat(table.map((r) => `| ${r[0].padEnd(w)} | ${r[1].padEnd(23)} | ${r[2].padEnd(24)} |`))
        .concat(layers)
        .join('\n'),
    );
  });

  const modes = [
    { name: 'Node (permission model)', vscode: false },
    { name: "VS Code's runtime (no permission model)", vscode: true },
  ];
  for (const [m, mode] of modes.entries()) {
    it(`${mode.name}: each route is open exactly where the containment report says`, async () => {
      const listener = await startListener();
      const cls = makeClassFolder();
      if (mode.vscode) process.env.ELECTRON_RUN_AS_NODE = '1';
      // In the grader's environment from the start, as a token would be.
      process.env.TL_CANARY_SECRET = cls.envCanary;
      try {
        const c = await prepareContainment({ backend: 'wasm', labsDist: build.labsDist, workerFile: join(__dirname, 'escapedProcess.js') });
        assert.equal(c.report.permissionModel.on, !mode.vscode, c.report.permissionModel.reason);
        if (mode.vscode) assert.match(c.report.permissionModel.reason ?? '', /VS Code's built-in runtime/);
        layers.push(
          `${mode.name}: permission model ${c.report.permissionModel.on ? 'on' : `off (${c.report.permissionModel.reason})`}; OS layer: ${c.report.os.how}`,
        );
        const launch = c.launch(256);
        const params = { port: listener.port, udpPort: listener.udpPort, canaryFile: cls.canaryFile, classDir: cls.root, outside: cls.outside, graderPid: process.pid };
        const out = await new Promise<string>((resolve, reject) => {
          const child = spawn(launch.command, [...launch.args, JSON.stringify(params)], { env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] });
          let text = '';
          let err = '';
          child.stdout.on('data', (d) => (text += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`exited ${code}: ${err}`))));
        });
        await new Promise((r) => setTimeout(r, 300));
        const results = JSON.parse(out) as Result[];
        assert.ok(results.length >= 13);
        const environOpen = expectedOpen("read the grader's environment (/proc/<pid>/environ)", c.report);
        assert.equal(out.includes(cls.envCanary), environOpen, 'the canary variable reaches the check process only where the report says the grader\'s /proc is readable');
        for (const r of results) {
          const open = r.got !== undefined;
          const row = table.find((t) => t[0] === r.route) ?? (table.push([r.route, '', '']), table[table.length - 1]);
          row[m + 1] = open ? `open: ${r.got!.slice(0, 16)}` : 'refused';
          assert.equal(open, expectedOpen(r.route, c.report), `${r.route}: ${r.got ?? r.refused} (report: ${JSON.stringify(c.report.os)}, permission ${c.report.permissionModel.on})`);
        }
        // The listener is the truth for the network: a datagram "sent" into a namespace without a network arrives nowhere.
        assert.equal(listener.hits.length > 0, !c.report.os.networkIsolated, listener.hits.join('; '));
        assert.equal(existsSync(cls.outside), !c.report.permissionModel.on);
      } finally {
        delete process.env.ELECTRON_RUN_AS_NODE;
        delete process.env.TL_CANARY_SECRET;
        rmSync(cls.outside, { force: true });
        await listener.close();
      }
    });
  }
});
