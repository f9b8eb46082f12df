// The learner's .vsix (`npm run package`) holds no hidden check — no id, no code, no hint — and
// grades the visible checks exactly as the instructor's build (dist/, every check) does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GradeReport } from '../../../core/grading/gradeReport';
import { readZip } from '../../../core/grading/zipReader';
import { lab1Attention, writeLab1Folder, type SubmissionKind } from '../../support/classSubmissions';
import { repoRoot } from '../../support/repoRoot';

interface SourceCheck {
  id: string;
  hidden: boolean;
  points: number;
  bonus?: boolean;
  hint: string;
}

const root = repoRoot();
const labIds = ['01-attention', '02-transformer-block', '03-positional-encodings', '04-tokenizer', '05-bert-fine-tuning', '06-mini-gpt'].filter((id) =>
  existsSync(join(root, 'labs', id, 'lab.json')),
);
const sourceChecks = (id: string) => (JSON.parse(readFileSync(join(root, 'labs', id, 'lab.json'), 'utf8')) as { checks: SourceCheck[] }).checks;
const wholeWord = (text: string) => new RegExp(`(?<![a-z0-9-])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9-])`);

function grade(cli: string, dir: string): GradeReport {
  const r = spawnSync(process.execPath, [cli, 'grade', dir, '--json'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as GradeReport;
}

describe('learner .vsix without hidden checks', function () {
  this.timeout(300_000);
  let ext: string;
  let files: { path: string; text: string }[];

  before(function () {
    const vsix = join(root, 'transformer-labs.vsix');
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" first (npm test does)`);
    const unpacked = mkdtempSync(join(tmpdir(), 'tl-learner-vsix-'));
    const entries = readZip(readFileSync(vsix), { maxEntries: 20_000, maxFileBytes: 256 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024 });
    files = [];
    for (const e of entries) {
      const target = join(unpacked, e.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, e.data);
      if (/\.(js|json|md|ts|css|html|txt)$/.test(e.path)) files.push({ path: e.path, text: e.data.toString('utf8') });
    }
    ext = join(unpacked, 'extension');
  });

  it('ships no hidden check id, hint or check function, and each manifest says what the instructor adds', () => {
    for (const id of labIds) {
      const hidden = sourceChecks(id).filter((c) => c.hidden);
      assert.ok(hidden.length > 0, `${id} has hidden checks to hide`);
      const shipped = JSON.parse(readFileSync(join(ext, 'labs', id, 'lab.json'), 'utf8')) as { checks: SourceCheck[]; instructorChecks: unknown };
      assert.deepEqual(shipped.checks.map((c) => c.id), sourceChecks(id).filter((c) => !c.hidden).map((c) => c.id));
      assert.deepEqual(shipped.instructorChecks, { count: hidden.length, points: hidden.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0) });
      for (const c of hidden) {
        for (const f of files) {
          assert.doesNotMatch(f.text, wholeWord(c.id), `${f.path} holds hidden check id ${c.id}`);
          assert.ok(!f.text.includes(c.hint), `${f.path} holds the hint of hidden check ${c.id}`);
        }
      }
    }
    // The instructor's build does hold them: the search above can find what it looks for.
    const full = readFileSync(join(root, 'dist', 'labs', '01-attention', 'checks.js'), 'utf8');
    assert.match(full, wholeWord(sourceChecks('01-attention').find((c) => c.hidden)!.id));
  });

  it('gives the same score for the visible checks as the instructor build, which adds the hidden ones', () => {
    const work = mkdtempSync(join(tmpdir(), 'tl-learner-grade-'));
    const kinds: SubmissionKind[] = ['correct', 'wrong-softmax', 'wrong-scale', 'starter'];
    const visible = sourceChecks('01-attention').filter((c) => !c.hidden);
    const hidden = sourceChecks('01-attention').filter((c) => c.hidden);
    for (const k of kinds) {
      const learner = grade(join(ext, 'dist', 'cli.js'), writeLab1Folder(join(work, 'learner', k), lab1Attention(k)));
      const instructor = grade(join(root, 'dist', 'cli.js'), writeLab1Folder(join(work, 'instructor', k), lab1Attention(k)));
      assert.deepEqual(learner.checks.map((c) => c.id), visible.map((c) => c.id), k);
      const visibleOfInstructor = instructor.checks.filter((c) => !c.hidden);
      assert.deepEqual(
        learner.checks.map((c) => [c.id, c.status, c.earned]),
        visibleOfInstructor.map((c) => [c.id, c.status, c.earned]),
        k,
      );
      assert.equal(learner.score, visibleOfInstructor.filter((c) => !c.bonus).reduce((s, c) => s + c.earned, 0), k);
      assert.equal(instructor.maxScore, learner.maxScore + learner.instructorChecks!.points, k);
      assert.equal(instructor.checks.filter((c) => c.hidden).length, hidden.length, k);
    }
    const r = spawnSync(process.execPath, [join(ext, 'dist', 'cli.js'), 'grade', join(work, 'learner', 'correct')], { encoding: 'utf8' });
    assert.match(r.stdout, new RegExp(`Your instructor's grading adds ${hidden.length} more checks \\(${hidden.filter((c) => !c.bonus).reduce((s, c) => s + c.points, 0)} points\\)`));
  });
});
