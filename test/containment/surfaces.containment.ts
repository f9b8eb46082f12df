// The other places learner code runs, contained like the checks: a lab view (Lab 1's attention
// panel, the learner file loaded in the check process) and a long-running task (Lab 5's training
// panel, on the sidecar's second pool, whose learner confusionMatrix runs during training). Each
// attempt goes through the packaged sidecar and that sidecar on VS Code's runtime. For each: the
// attempt is refused and says so, nothing arrives at the listener, no file changes, the canaries
// never appear in the result, the progress or the log, and (for the task) training still ends
// with the reference metrics in place of the learner's.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBuildPaths } from '../../core/compute/paths';
import type { SidecarClient } from '../../core/compute/sidecarClient';
import { findLab, loadLabs } from '../../core/labs/labLoader';
import type { Lab } from '../../core/labs/manifest';
import { TRAINING_TASK } from '../../src/panels/trainingData';
import { repoRoot } from '../support/repoRoot';
import { changedFiles, ClassFolder, routeClient, exists, Listener, makeClassFolder, snapshot, startListener } from './harness';

type Route = 'sidecar' | 'VS Code runtime';
const ROUTES: Route[] = ['sidecar', 'VS Code runtime'];
type Surface = 'lab view' | 'training task';

interface SurfaceAttempt {
  name: string;
  /** A function body that returns what it got (placeholders PORT, CANARY_FILE). */
  code: string;
  refusal: RegExp;
}

const ATTEMPTS: SurfaceAttempt[] = [
  { name: 'read the canary file through tf.env().global.process', code: `return (tf as any).env().global.process.getBuiltinModule('fs').readFileSync(CANARY_FILE, 'utf8');`, refusal: /reading 'process'/ },
  { name: 'read the canary file (process.getBuiltinModule)', code: `return (process as any).getBuiltinModule('fs').readFileSync(CANARY_FILE, 'utf8');`, refusal: /getBuiltinModule is not a function/ },
  { name: 'read process.env (canary variable set)', code: `const e = (process as any).env; if (Object.keys(e).length === 0) throw new Error('process.env is empty'); return JSON.stringify(e);`, refusal: /process\.env is empty/ },
  { name: 'fetch to the listener', code: `return fetch('http://127.0.0.1:PORT/surface-fetch');`, refusal: /fetch is not available in lab code/ },
  { name: 'open a socket to the listener (net)', code: `return require('net').connect(PORT, '127.0.0.1');`, refusal: /imports "net"/ },
  { name: 'the Function constructor behind a tfjs function', code: `return (tf.add as any).constructor('return process')().getBuiltinModule('fs').readFileSync(CANARY_FILE, 'utf8');`, refusal: /eval and new Function are not available in lab code/ },
];

/** The first error message anywhere in a view's payload (its learner parts' errors). */
function firstMessage(v: unknown): string {
  if (!v || typeof v !== 'object') return '';
  const m = (v as { message?: unknown }).message;
  if (typeof m === 'string') return m;
  for (const x of Object.values(v)) {
    const found = firstMessage(x);
    if (found) return found;
  }
  return '';
}

function fill(code: string, p: { PORT: number; CANARY_FILE: string }): string {
  return code.split('CANARY_FILE').join(JSON.stringify(p.CANARY_FILE)).split('PORT').join(String(p.PORT));
}

/** Lab 1's solution with the attempt at module level: it runs as the view loads the learner's file. */
function viewSubmission(solution: string, code: string): string {
  const attempt = `const evidence: unknown = ((): unknown => {\n  ${code}\n})();\nthrow new Error('ESCAPED: ' + String(evidence));\n`;
  return `${solution}\n${attempt}`;
}

/** Lab 5's metrics.ts with confusionMatrix replaced: the training task calls it at each evaluation. */
function taskSubmission(metrics: string, code: string): string {
  const signature = 'export function confusionMatrix(predicted: number[], actual: number[], numClasses: number): number[][] {';
  const start = metrics.indexOf(signature);
  const end = metrics.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('confusionMatrix not found in the Lab 5 solution');
  const body = `  void predicted; void actual; void numClasses;\n  const evidence: unknown = ((): unknown => {\n    ${code}\n  })();\n  throw new Error('ESCAPED: ' + String(evidence));`;
  return `import * as tf from '@tensorflow/tfjs-core';\n${metrics.slice(0, start)}${signature}\n${body}\n}\n${metrics.slice(end + 3)}`;
}

describe('containment: lab views and training tasks', function () {
  this.timeout(600_000);
  const dist = findBuildPaths(join(repoRoot(), 'dist'));
  let lab1: Lab;
  let lab5: Lab;
  let listener: Listener;
  let cls: ClassFolder;
  const logs: Record<Route, string[]> = { sidecar: [], 'VS Code runtime': [] };
  const clients: Partial<Record<Route, SidecarClient>> = {};
  const rows: { surface: Surface; name: string; verdicts: Record<Route, { refused: boolean; leaks: string[]; said: string }> }[] = [];

  before(async () => {
    const labs = loadLabs(dist.labsRoot, { compiledChecksDir: dist.labsDist }).labs;
    lab1 = findLab(labs, '01-attention')!;
    lab5 = findLab(labs, '05-bert-fine-tuning')!;
    listener = await startListener();
    cls = makeClassFolder();
    process.env.TL_CANARY_SECRET = cls.envCanary;
    for (const route of ROUTES) {
      clients[route] = routeClient(dist, route === 'VS Code runtime', (m) => logs[route].push(m));
      await clients[route]!.start();
    }
  });

  after(async () => {
    delete process.env.TL_CANARY_SECRET;
    await Promise.all(Object.values(clients).map((c) => c?.dispose()));
    await listener?.close();
    if (rows.length === 0) return;
    const cell = (v: { refused: boolean; leaks: string[] }) => (v.leaks.length > 0 ? 'LEAKED' : v.refused ? 'refused' : 'NOT REFUSED');
    const width = Math.max(...rows.map((r) => r.name.length));
    const all = rows.flatMap((r) => ROUTES.map((route) => r.verdicts[route]));
    console.log(
      [
        '',
        `| surface       | attempt${' '.repeat(width - 7)} | sidecar | VS Code runtime | said (sidecar) |`,
        `|---------------|${'-'.repeat(width + 2)}|---------|-----------------|----------------|`,
        ...rows.map((r) => `| ${r.surface.padEnd(13)} | ${r.name.padEnd(width)} | ${cell(r.verdicts.sidecar).padEnd(7)} | ${cell(r.verdicts['VS Code runtime']).padEnd(15)} | ${r.verdicts.sidecar.said.replace(/\s+/g, ' ').slice(0, 80)} |`),
        '',
        `surface attempts: ${rows.length} attempts × ${ROUTES.length} routes = ${all.length} runs, refused ${all.filter((v) => v.refused).length}, leaked ${all.filter((v) => v.leaks.length > 0).length}`,
      ].join('\n'),
    );
  });

  async function attempt(surface: Surface, a: SurfaceAttempt, route: Route): Promise<{ refused: boolean; leaks: string[]; said: string; problems: string[] }> {
    const client = clients[route]!;
    const code = fill(a.code, { PORT: listener.port, CANARY_FILE: cls.canaryFile });
    const dir = join(cls.root, `surface-${rows.length}-${route.replace(/\W+/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    const hitsBefore = listener.hits.length;
    logs[route].length = 0;
    let said = '';
    let output = '';
    const problems: string[] = [];
    // Taken once the submission is written: from then on no file may change.
    let before = new Map<string, string>();
    if (surface === 'lab view') {
      const solution = readFileSync(join(lab1.dir, lab1.manifest.files[0].solution), 'utf8');
      const files = [{ path: lab1.manifest.files[0].path, text: viewSubmission(solution, code) }];
      writeFileSync(join(dir, files[0].path), files[0].text);
      before = snapshot(cls.root);
      const r = await client.visualize({ labId: lab1.manifest.id, files, view: 'attention', input: {}, limits: { timeoutMs: 30_000, memoryMb: 512 } });
      output = JSON.stringify(r);
      said = r.ok ? firstMessage(r.data) : r.error.message;
    } else {
      const files = lab5.manifest.files.map((f) => {
        const text = readFileSync(join(lab5.dir, f.solution), 'utf8');
        return { path: f.path, text: f.path === 'metrics.ts' ? taskSubmission(text, code) : text };
      });
      for (const f of files) writeFileSync(join(dir, f.path), f.text);
      before = snapshot(cls.root);
      const progress: unknown[] = [];
      const input = { subset: 32, seqLen: 16, epochs: 1, lr: 1e-2, freezeEncoder: true, seed: 3, init: 'pretrained', pooling: 'cls', validationSize: 32 };
      const t = await client.runTask({ labId: lab5.manifest.id, files, task: TRAINING_TASK, input, limits: { timeoutMs: 180_000, memoryMb: 1024 } }, (p) => progress.push(p));
      output = JSON.stringify(t) + JSON.stringify(progress);
      if (t.status === 'done') {
        const parts = (t.result as { partErrors: { fn: string; error: { message: string } }[] }).partErrors;
        said = parts.find((p) => p.fn === 'confusionMatrix')?.error.message ?? '';
        if (!said) problems.push('training ended without a part error for confusionMatrix');
      } else if (t.status === 'error') {
        said = t.error.message;
      } else problems.push(`the task ended ${t.status}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    output += `\n${logs[route].join('\n')}`;
    const leaks: string[] = [];
    if (listener.hits.length > hitsBefore) leaks.push(`${listener.hits.length - hitsBefore} arrival(s) at the listener`);
    leaks.push(...changedFiles(before, snapshot(cls.root), () => false));
    if (exists(cls.outside)) leaks.push('created a file outside the class folder');
    for (const c of [cls.fileCanary, cls.envCanary]) if (output.includes(c)) leaks.push(`the canary ${c.split('-')[0]} appeared in the output`);
    if (/ESCAPED/.test(said)) leaks.push(`the attempt got through: ${said.slice(0, 120)}`);
    if (!a.refusal.test(said)) problems.push(`the answer does not say what was refused (${a.refusal}): ${said || output.slice(0, 300)}`);
    return { refused: leaks.length === 0 && problems.length === 0, leaks, said, problems };
  }

  for (const surface of ['lab view', 'training task'] as const) {
    for (const a of ATTEMPTS) {
      it(`${surface}: ${a.name}`, async () => {
        const verdicts = {} as Record<Route, { refused: boolean; leaks: string[]; said: string }>;
        const problems: string[] = [];
        for (const route of ROUTES) {
          const v = await attempt(surface, a, route);
          verdicts[route] = v;
          problems.push(...v.problems.map((p) => `${route}: ${p}`));
        }
        rows.push({ surface, name: a.name, verdicts });
        for (const route of ROUTES) assert.deepEqual(verdicts[route].leaks, [], `${route}: leaked`);
        assert.deepEqual(problems, []);
      });
    }
  }
});
