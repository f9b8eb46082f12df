// `transformer-labs export-lab`: the learner copy of a lab outside the build holds none of its
// hidden checks (ids, titles, hints, code) and no solution, still loads and grades through the
// real sidecar, gives the visible checks the results the original gives, and the instructor's
// grading with the original adds exactly what the copy says it adds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';

const CLI = join(repoRoot(), 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, cwd: tmpdir() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Check {
  id: string;
  title: string;
  hint: string;
  hidden?: boolean;
  points: number;
}
interface Report {
  score: number;
  maxScore: number;
  instructorChecks?: { count: number; points: number };
  checks: { id: string; status: string; earned: number }[];
}

function allText(dir: string): string {
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, 'utf8')))
    .join('\n');
}

describe('export-lab: the learner copy of a lab outside the build (dist/cli.js)', function () {
  this.timeout(300_000);
  let root: string;
  let lab: string;
  let copy: string;
  let hidden: Check[];
  let visible: Check[];

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'tl-export-'));
    lab = join(root, 'softmax-lab');
    assert.equal(cli('new-lab', lab).code, 0);
    const checks = (JSON.parse(readFileSync(join(lab, 'lab.json'), 'utf8')) as { checks: Check[] }).checks;
    hidden = checks.filter((c) => c.hidden);
    visible = checks.filter((c) => !c.hidden);
    assert.ok(hidden.length > 0, 'the template has a hidden check');
    copy = join(root, 'for-learners');
    const r = cli('export-lab', lab, copy);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`${hidden.length} hidden check\\(s\\) left out`));
    assert.match(r.out, /grade-all <submissions> --labs /);
  });

  it('leaves out every hidden id, title, hint and its code, and the solution; keeps the rest', () => {
    const text = allText(copy);
    for (const c of hidden) {
      for (const secret of [`'${c.id}'`, `"${c.id}"`, c.title, c.hint]) assert.ok(!text.includes(secret), `the copy holds ${secret}`);
    }
    for (const c of visible) assert.ok(text.includes(`'${c.id}'`) || text.includes(`"${c.id}"`), `the copy lost visible check ${c.id}`);
    assert.equal(existsSync(join(copy, 'solution')), false);
    for (const f of ['INSTRUCTIONS.md', 'starter/softmax.ts', 'checks.ts']) assert.ok(existsSync(join(copy, f)), f);
    assert.equal(readFileSync(join(copy, 'starter', 'softmax.ts'), 'utf8'), readFileSync(join(lab, 'starter', 'softmax.ts'), 'utf8'));
    const m = JSON.parse(readFileSync(join(copy, 'lab.json'), 'utf8')) as { checks: Check[]; instructorChecks: { count: number; points: number } };
    assert.deepEqual(m.checks.map((c) => c.id), visible.map((c) => c.id));
    assert.deepEqual(m.instructorChecks, { count: hidden.length, points: hidden.reduce((s, c) => s + c.points, 0) });
  });

  it('grades like the original on the visible checks; the original adds what the copy announces', () => {
    const work = join(root, 'alice');
    assert.equal(cli('new', 'softmax-lab', work, '--solution', '--labs', lab).code, 0);
    // A softmax that overflows: the large-score checks fail, the others pass.
    writeFileSync(join(work, 'softmax.ts'), 'export function softmax(xs: number[]): number[] {\n  const e = xs.map(Math.exp);\n  const s = e.reduce((a, b) => a + b, 0);\n  return e.map((v) => v / s);\n}\n');
    const learner = cli('grade', work, '--json', '--labs', copy);
    assert.equal(learner.code, 0, learner.err);
    const fromCopy = JSON.parse(learner.out) as Report;
    const instructor = cli('grade', work, '--json', '--labs', lab);
    assert.equal(instructor.code, 0, instructor.err);
    const fromOriginal = JSON.parse(instructor.out) as Report;
    assert.deepEqual(fromCopy.checks.map((c) => c.id), visible.map((c) => c.id));
    const same = (r: Report) => r.checks.filter((c) => visible.some((v) => v.id === c.id)).map((c) => `${c.id} ${c.status} ${c.earned}`);
    assert.deepEqual(same(fromCopy), same(fromOriginal));
    assert.ok(fromCopy.checks.some((c) => c.status !== 'pass') && fromCopy.checks.some((c) => c.status === 'pass'), 'a mix of results');
    assert.equal(fromCopy.maxScore + fromCopy.instructorChecks!.points, fromOriginal.maxScore);
  });

  it('refuses a folder that is not empty, a hidden check it cannot find, and a hidden id left in the instructions; writes nothing', () => {
    const taken = join(root, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'mine.txt'), 'keep');
    let r = cli('export-lab', lab, taken);
    assert.equal(r.code, 1);
    assert.match(r.err, /taken exists and is not an empty folder/);
    assert.deepEqual(readdirSync(taken), ['mine.txt']);

    const h = hidden[0];
    const other = join(root, 'assigned-lab');
    assert.equal(cli('new-lab', other, '--id', 'assigned-lab').code, 0);
    const checksFile = join(other, 'checks.ts');
    const source = readFileSync(checksFile, 'utf8');
    // The hidden check assigned after the object literal instead of written in it.
    const start = source.indexOf(`'${h.id}':`);
    assert.ok(start > 0, 'the template writes the hidden check as a property');
    writeFileSync(checksFile, source.replace(`'${h.id}':`, `'${h.id}-moved':`) + `\n(checks as Record<string, unknown>)['${h.id}'] = (checks as Record<string, unknown>)['${h.id}-moved'];\n`);
    r = cli('export-lab', other, join(root, 'out-1'));
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, new RegExp(`hidden check\\(s\\) ${h.id} are not written as a property`));
    assert.equal(existsSync(join(root, 'out-1')), false);

    const told = join(root, 'told-lab');
    assert.equal(cli('new-lab', told, '--id', 'told-lab').code, 0);
    writeFileSync(join(told, 'INSTRUCTIONS.md'), readFileSync(join(told, 'INSTRUCTIONS.md'), 'utf8') + `\nThe check ${h.id} is hidden.\n`);
    r = cli('export-lab', told, join(root, 'out-2'));
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, new RegExp(`INSTRUCTIONS\\.md holds hidden check id "${h.id}"`));
    assert.equal(existsSync(join(root, 'out-2')), false);
  });
});
