// The escape suite: every attempt in attempts.ts, as a submission graded three ways — by the CLI
// grader (`node dist/cli.js grade`, a fresh sidecar per submission), by the packaged sidecar the
// extension uses (one warm sidecar for all, as Grade Lab), and by that sidecar on VS Code's own
// runtime, where Node's permission model is off (ELECTRON_RUN_AS_NODE). For each: the attempt
// fails, nothing arrives at the listener, no file changes, the canaries never appear, the report
// says what was refused, and every other check of the submission still passes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckEngine } from '../../core/checks/engine';
import { findBuildPaths } from '../../core/compute/paths';
import type { SidecarClient } from '../../core/compute/sidecarClient';
import { gradeLab, GRADE_REPORT_FILE, GradeReport } from '../../core/grading/gradeReport';
import { findLab, loadLabs } from '../../core/labs/labLoader';
import type { Lab } from '../../core/labs/manifest';
import { MARKER_FILE } from '../../core/labs/scaffold';
import { repoRoot } from '../support/repoRoot';
import { ATTEMPTS, attemptedCheck, submission } from './attempts';
import { changedFiles, ClassFolder, routeClient, exists, judge, Listener, makeClassFolder, RouteRun, snapshot, startListener, Verdict } from './harness';

const LIMITS = { timeoutMs: 3000, memoryMb: 256 };
type Route = 'CLI' | 'sidecar' | 'VS Code runtime';
const ROUTES: Route[] = ['CLI', 'sidecar', 'VS Code runtime'];

function runCli(cli: string, dir: string): Promise<{ report: GradeReport; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'grade', dir, '--json', '--time-limit', String(LIMITS.timeoutMs), '--memory-limit', String(LIMITS.memoryMb)], {
      env: process.env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`grade exited ${code}: ${err}`));
      const file = readFileSync(join(dir, GRADE_REPORT_FILE), 'utf8');
      resolve({ report: JSON.parse(out) as GradeReport, output: `${out}\n${err}\n${file}` });
    });
  });
}

function lines(report: GradeReport, check: string): RouteRun {
  const attempted = report.checks.find((c) => c.id === check)!;
  return {
    attempted: { id: attempted.id, status: attempted.status, message: attempted.message },
    others: report.checks.filter((c) => c.id !== check).map((c) => ({ id: c.id, status: c.status, message: c.message })),
    output: JSON.stringify(report),
  };
}

describe('containment: escape attempts', function () {
  this.timeout(600_000);
  const dist = findBuildPaths(join(repoRoot(), 'dist'));
  const cli = join(dist.buildRoot, 'cli.js');
  const solution = readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8');
  let lab: Lab;
  let listener: Listener;
  let cls: ClassFolder;
  const logs: Record<Exclude<Route, 'CLI'>, string[]> = { sidecar: [], 'VS Code runtime': [] };
  const clients: Partial<Record<Exclude<Route, 'CLI'>, SidecarClient>> = {};
  const rows: { n: number; name: string; kind: string; verdicts: Record<Route, Verdict> }[] = [];

  before(async () => {
    lab = findLab(loadLabs(dist.labsRoot, { compiledChecksDir: dist.labsDist }).labs, '01-attention')!;
    listener = await startListener();
    cls = makeClassFolder();
    // Set where the grader runs: the CLI inherits it, the sidecar client must not pass it on.
    process.env.TL_CANARY_SECRET = cls.envCanary;
    for (const route of ['sidecar', 'VS Code runtime'] as const) {
      clients[route] = routeClient(dist, route === 'VS Code runtime', (m) => logs[route].push(m));
    }
    const vscode = await clients['VS Code runtime']!.start();
    assert.equal(vscode.backend.containment?.permissionModel.on, false, 'the VS Code runtime route runs without the permission model');
    const plain = await clients.sidecar!.start();
    assert.equal(plain.backend.containment?.permissionModel.on, true);
  });

  after(async () => {
    delete process.env.TL_CANARY_SECRET;
    await Promise.all(Object.values(clients).map((c) => c?.dispose()));
    await listener?.close();
    printTable();
  });

  function printTable(): void {
    if (rows.length === 0) return;
    const cell = (v: Verdict) => (v.leaks.length > 0 ? 'LEAKED' : v.refused ? 'refused' : 'NOT REFUSED');
    const width = Math.max(...rows.map((r) => r.name.length));
    const out = [
      '',
      `| # | attempt${' '.repeat(width - 7)} | kind  | CLI     | sidecar | VS Code runtime | the report says (CLI) |`,
      `|---|${'-'.repeat(width + 2)}|-------|---------|---------|-----------------|-----------------------|`,
      ...rows.map(
        (r) =>
          `|${String(r.n).padStart(2)} | ${r.name.padEnd(width)} | ${r.kind.padEnd(5)} | ${cell(r.verdicts.CLI).padEnd(7)} | ${cell(r.verdicts.sidecar).padEnd(7)} | ${cell(r.verdicts['VS Code runtime']).padEnd(15)} | ${r.verdicts.CLI.said.replace(/\s+/g, ' ').slice(0, 90)} |`,
      ),
    ];
    const all = rows.flatMap((r) => ROUTES.map((route) => r.verdicts[route]));
    out.push(
      '',
      `escape attempts: ${rows.length} attempts × ${ROUTES.length} routes = ${all.length} runs, refused ${all.filter((v) => v.refused).length}, leaked ${all.filter((v) => v.leaks.length > 0).length}`,
    );
    console.log(out.join('\n'));
  }

  for (const [i, attempt] of ATTEMPTS.entries()) {
    it(`${i + 1}. ${attempt.name}`, async () => {
      const verdicts = {} as Record<Route, Verdict>;
      for (const route of ROUTES) {
        const dir = join(cls.root, `attempt-${i + 1}-${route.replace(/\W+/g, '-')}`);
        // A lab folder as Open Lab makes it, without the editor's type declarations.
        mkdirSync(join(dir, '.transformer-labs'), { recursive: true });
        const marker = { labId: lab.manifest.id, labVersion: lab.manifest.version, createdAt: new Date().toISOString(), files: ['attention.ts'] };
        writeFileSync(join(dir, MARKER_FILE), JSON.stringify(marker));
        const text = submission(solution, attempt, {
          PORT: listener.port,
          UDP_PORT: listener.udpPort,
          LAB: dir,
          CANARY_FILE: cls.canaryFile,
          CLASS: cls.root,
          OUTSIDE: cls.outside,
        });
        writeFileSync(join(dir, 'attention.ts'), text);
        const before = snapshot(cls.root);
        const hitsBefore = listener.hits.length;
        let run: RouteRun;
        if (route === 'CLI') {
          const { report, output } = await runCli(cli, dir);
          run = { ...lines(report, attemptedCheck(attempt)), output };
        } else {
          logs[route].length = 0;
          const engine = new CheckEngine(clients[route]!, () => LIMITS);
          const report = await gradeLab(engine, lab, dir, { extensionVersion: 'test' });
          run = lines(report, attemptedCheck(attempt));
          run.output += `\n${logs[route].join('\n')}`;
        }
        // Let anything sent asynchronously arrive before looking.
        await new Promise((r) => setTimeout(r, 200));
        const ownReport = join(`attempt-${i + 1}-${route.replace(/\W+/g, '-')}`, GRADE_REPORT_FILE);
        verdicts[route] = judge(attempt, run, {
          hitsBefore,
          hitsAfter: listener.hits.length,
          changed: changedFiles(before, snapshot(cls.root), (p) => route === 'CLI' && p === ownReport),
          outsideExists: exists(cls.outside),
          canaries: [cls.fileCanary, cls.envCanary],
        });
      }
      rows.push({ n: i + 1, name: attempt.name, kind: attempt.kind, verdicts });
      for (const route of ROUTES) {
        const v = verdicts[route];
        assert.deepEqual(v.leaks, [], `${route}: leaked`);
        assert.deepEqual(v.problems, [], `${route}`);
        assert.ok(v.refused, `${route}: not refused`);
      }
    });
  }
});
