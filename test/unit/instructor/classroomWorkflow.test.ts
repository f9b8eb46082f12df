// The GitHub Classroom template (templates/github-classroom): its workflow's shell steps run here
// as Actions would run them — the CLI installed from the packaged .vsix (served on 127.0.0.1, as
// the release download would be), then `grade . --classroom` in a lab folder made by `new` — and
// the points the grading reporter would post are decoded from $GITHUB_OUTPUT exactly as it reads
// them (the `<RUNNER>_RESULTS` base64 JSON; the sum of the tests' `score` over `max_score`).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const ROOT = repoRoot();
const WORKFLOW = join(ROOT, 'templates', 'github-classroom', '.github', 'workflows', 'classroom.yml');
const VSIX = join(ROOT, 'transformer-labs.vsix');

interface Step {
  name?: string;
  id?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  on: string[];
  jobs: Record<string, { name?: string; env: Record<string, string>; steps: Step[] }>;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('bash', ['-e', '-c', script], { cwd, env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** What the reporter computes from one runner's output: Points total/max. */
function reporterPoints(githubOutput: string, runner: string, reporterEnv: Record<string, string>): { total: number; max: number; status: string } {
  const expression = reporterEnv[`${runner.toUpperCase()}_RESULTS`];
  const step = /^\$\{\{ steps\.([\w-]+)\.outputs\.(\w+) \}\}$/.exec(expression)!;
  const line = readFileSync(githubOutput, 'utf8').split('\n').find((l) => l.startsWith(`${step[2]}=`));
  assert.ok(line, `no ${step[2]}= line in $GITHUB_OUTPUT`);
  const results = JSON.parse(Buffer.from(line.slice(step[2].length + 1), 'base64').toString('utf8')) as { status: string; max_score: number; tests: { score: number }[] };
  return { total: results.tests.reduce((s, t) => s + t.score, 0), max: results.max_score, status: results.status };
}

describe('GitHub Classroom template: the workflow grades a lab folder from the packaged .vsix', function () {
  this.timeout(300_000);
  let server: Server;
  let url: string;
  let workflow: Workflow;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: npm run package first`);
    workflow = yaml.load(readFileSync(WORKFLOW, 'utf8')) as Workflow;
    server = createServer((_req, res) => createReadStream(VSIX).pipe(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/transformer-labs.vsix`;
  });
  after(() => server.close());

  it('is the shape Classroom runs: named check run, reporter fed by the grading step', () => {
    assert.equal(workflow.name, 'Autograding Tests');
    assert.ok(workflow.on.includes('push'));
    const job = Object.values(workflow.jobs)[0];
    assert.equal(job.name, 'Autograding Tests');
    const reporter = job.steps.find((s) => s.uses?.startsWith('classroom-resources/autograding-grading-reporter@'))!;
    const runners = String(reporter.with!.runners).split(',');
    assert.deepEqual(runners, ['grade']);
    assert.equal(reporter.env!.GRADE_RESULTS, '${{ steps.grade.outputs.result }}');
    assert.match(job.steps.find((s) => s.id === 'grade')!.run!, /grade \. --classroom/);
  });

  for (const which of ['starter', 'solution'] as const) {
    it(`runs its steps on a ${which} folder and the reporter reads the same points as grade-report.json`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'tl-classroom-'));
      const repo = join(root, 'assignment');
      const made = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'new', '01-attention', repo, ...(which === 'solution' ? ['--solution'] : [])], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      const githubOutput = join(root, 'github_output');
      writeFileSync(githubOutput, '');
      const job = Object.values(workflow.jobs)[0];
      assert.deepEqual(Object.keys(job.env).sort(), ['TRANSFORMER_LABS_TOKEN', 'TRANSFORMER_LABS_VSIX_URL']);
      // What Actions gives a step; the job's `${{ vars… }}` and `${{ secrets… }}` filled in.
      const env = { PATH: process.env.PATH, HOME: root, RUNNER_TEMP: join(root, 'runner-temp'), GITHUB_OUTPUT: githubOutput, TRANSFORMER_LABS_VSIX_URL: url, TRANSFORMER_LABS_TOKEN: '' };
      spawnSync('mkdir', ['-p', env.RUNNER_TEMP]);
      for (const step of job.steps.filter((s) => s.run)) {
        const r = await bash(step.run!, repo, env);
        assert.equal(r.code, 0, `step "${step.name}" failed: ${r.err}`);
      }
      const report = JSON.parse(readFileSync(join(repo, 'grade-report.json'), 'utf8')) as { score: number; maxScore: number; instructorChecks?: { count: number } };
      const reporter = job.steps.find((s) => s.uses?.startsWith('classroom-resources/autograding-grading-reporter@'))!;
      const points = reporterPoints(githubOutput, 'grade', reporter.env!);
      assert.deepEqual([points.total, points.max], [report.score, report.maxScore]);
      // The learner .vsix grades the visible checks; the hidden ones are the instructor build's.
      assert.ok(report.instructorChecks && report.instructorChecks.count > 0);
      if (which === 'solution') {
        assert.ok(points.max > 0);
        assert.equal(points.total, points.max);
        assert.equal(points.status, 'pass');
      } else {
        assert.equal(points.total, 0);
        assert.equal(points.status, 'fail');
      }
    });
  }

  it('without TRANSFORMER_LABS_VSIX_URL the install step stops with an error that says what to set', async () => {
    const step = Object.values(workflow.jobs)[0].steps.find((s) => s.run?.includes('curl'))!;
    const root = mkdtempSync(join(tmpdir(), 'tl-classroom-'));
    const r = await bash(step.run!, root, { PATH: process.env.PATH, RUNNER_TEMP: root, TRANSFORMER_LABS_VSIX_URL: '' });
    assert.equal(r.code, 1);
    assert.match(r.out, /::error::Set the variable TRANSFORMER_LABS_VSIX_URL/);
  });
});
