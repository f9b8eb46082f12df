// The manifest's rules themselves (issue 18: "whatever the schema accepts counts as valid" is no
// oracle): paths stay inside the lab folder, every file it names exists (starters, check module,
// instructions, quiz), identifiers and versions have their forms, hidden checks are variants of a
// visible check that counts the same, and labs are found by id or by number.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLab, hasSolution, isLab, loadLab, loadLabs } from '../../../core/labs/labLoader';
import { LabManifestSchema, type Lab } from '../../../core/labs/manifest';
import { schemaMessages } from '../../../core/labs/schemaMessages';
import { repoRoot } from '../../support/repoRoot';

const REAL = join(repoRoot(), 'labs', '01-attention');
const manifest = () => JSON.parse(readFileSync(join(REAL, 'lab.json'), 'utf8'));

/** The schema's messages for Lab 1's manifest after `change`, or [] when it is valid. */
function problems(change: (m: any) => void): string[] {
  const m = manifest();
  change(m);
  const r = LabManifestSchema.safeParse(m);
  return r.success ? [] : schemaMessages(r.error, m);
}

describe('lab manifest rules', () => {
  it('Lab 1 as shipped is valid: the baseline every case below changes one thing of', () => {
    assert.deepEqual(problems(() => undefined), []);
  });

  it('paths must be relative and stay inside the lab folder', () => {
    for (const bad of ['/etc/passwd', '../x.ts', 'starter/../../x.ts', 'starter\\..\\..\\x.ts', '..', '']) {
      const p = problems((m) => (m.files[0].starter = bad));
      assert.equal(p.length, 1, `${JSON.stringify(bad)}: ${p.join('; ')}`);
      assert.match(p[0], /^files\[0\]\.starter: /);
      if (bad !== '') assert.match(p[0], /must be a relative path inside the lab folder \(no leading "\/" and no "\.\."\)/);
    }
    // ".." inside a name is not a parent folder.
    assert.deepEqual(problems((m) => (m.files[0].starter = 'starter/..attention.ts')), []);
    assert.deepEqual(problems((m) => (m.instructions = 'docs/INSTRUCTIONS.md')), []);
    assert.match(problems((m) => (m.checksModule = '/abs/checks.ts'))[0], /^checksModule: must be a relative path/);
    assert.match(problems((m) => (m.files[0].reuseFrom = { lab: '01-attention', path: '../lab1/attention.ts' }))[0], /^files\[0\]\.reuseFrom\.path: must be a relative path/);
  });

  it('identifiers, function names and versions have their forms', () => {
    assert.match(problems((m) => (m.id = 'Attention'))[0], /^id: must be lowercase letters, digits and "-", got "Attention"$/);
    assert.match(problems((m) => (m.id = '-attention'))[0], /^id: must be lowercase letters/);
    assert.match(problems((m) => (m.checks[0].id = 'softmax sums'))[0], /^checks\[0\]\.id: must be lowercase/);
    assert.match(problems((m) => (m.files[0].functions[0] = 'soft-max'))[0], /^files\[0\]\.functions\[0\]: must be a TypeScript identifier, got "soft-max"$/);
    assert.match(problems((m) => (m.files[0].functions = []))[0], /^files\[0\]\.functions: /);
    for (const v of ['1.0', '1.0.0-beta', 'v1.0.0']) assert.match(problems((m) => (m.version = v))[0], /^version: must be a semantic version like 1\.0\.0/);
    assert.match(problems((m) => (m.estimatedMinutes = 0))[0], /^estimatedMinutes: /);
    assert.match(problems((m) => (m.order = 0))[0], /^order: /);
    assert.match(problems((m) => (m.objectives = []))[0], /^objectives: /);
    assert.match(problems((m) => (m.objectives = ['']))[0], /^objectives\[0\]: /);
    assert.match(problems((m) => (m.checks[0].hint = ''))[0], /^checks\[0\]\.hint: /);
    assert.match(problems((m) => (m.checks[0].points = 1.5))[0], /^checks\[0\]\.points: /);
    assert.deepEqual(problems((m) => (m.checks[0].points = 0)), [], 'a check may be worth no points');
    assert.match(problems((m) => (m.hints.softmax = ['1', '2', '3', '4', '5', '6', '7']))[0], /^hints\.softmax: /);
    assert.match(problems((m) => (m.hints.softmax = []))[0], /^hints\.softmax: /);
    assert.match(problems((m) => (m.instructorChecks = { count: 0, points: 3 }))[0], /^instructorChecks\.count: /);
    assert.deepEqual(problems((m) => (m.instructorChecks = { count: 2, points: 0 })), []);
  });

  it('hidden and bonus default to false; a hidden variant of a bonus check must be a bonus check too', () => {
    const m = manifest();
    const visible = m.checks.find((c: any) => !c.hidden && !c.bonus);
    delete visible.hidden;
    delete visible.bonus;
    const parsed = LabManifestSchema.parse(m);
    const same = parsed.checks.find((c) => c.id === visible.id)!;
    assert.deepEqual([same.hidden, same.bonus], [false, false]);
    const bonusVisible = m.checks.find((c: any) => c.bonus && !c.hidden);
    assert.ok(bonusVisible, 'Lab 1 has a visible bonus check');
    const p = problems((mm) => {
      const twin = mm.checks.find((c: any) => c.id === bonusVisible.id);
      const hidden = mm.checks.find((c: any) => c.hidden && c.function === twin.function);
      if (hidden) hidden.bonus = false;
      else mm.checks.push({ ...twin, id: 'bonus-variant', hidden: true, bonus: false, variantOf: twin.id });
    });
    assert.equal(p.length, 1, p.join('; '));
    assert.match(p[0], new RegExp(`^checks\\[\\d+\\]\\.bonus: a variant counts like the check it varies: "${bonusVisible.id}" is a bonus check$`));
    const q = problems((mm) => {
      const twin = mm.checks.find((c: any) => !c.hidden && !c.bonus && c.function === 'softmax');
      mm.checks.push({ ...twin, id: 'softmax-variant', hidden: true, bonus: true, variantOf: twin.id });
    });
    assert.equal(q.length, 1, q.join('; '));
    assert.match(q[0], /\.bonus: a variant counts like the check it varies: "softmax-[a-z-]+" is not a bonus check$/);
  });

  it('reports every problem at once, each with its field', () => {
    const p = problems((m) => {
      m.checks[1].id = m.checks[0].id;
      m.checks[2].function = 'nope';
    });
    assert.equal(p.length, 2, p.join('; '));
    assert.match(p[0], /^checks\[1\]\.id: duplicate check id/);
    assert.match(p[1], /^checks\[2\]\.function: "nope" is not listed in the functions of "attention\.ts"$/);
  });
});

describe('lab folders: the files a manifest names must exist', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tl-labrules-'));
    dir = join(root, 'labs', '01-attention');
    cpSync(REAL, dir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (m: unknown) => writeFileSync(join(dir, 'lab.json'), JSON.stringify(m));

  it('a missing starter is named by its field; every missing file is listed', () => {
    rmSync(join(dir, 'starter'), { recursive: true });
    rmSync(join(dir, 'INSTRUCTIONS.md'));
    const r = loadLab(dir, join(root, 'labs'));
    assert.ok(!isLab(r));
    assert.equal(r.message, `01-attention/lab.json: instructions: "INSTRUCTIONS.md" does not exist in the lab folder; files[0].starter: "starter/attention.ts" does not exist in the lab folder`);
    assert.equal(r.file, join(dir, 'lab.json'));
  });

  it('a missing check module is accepted only when its compiled module is built', () => {
    rmSync(join(dir, 'checks.ts'));
    const compiled = join(root, 'dist-labs');
    const without = loadLab(dir, join(root, 'labs'), { compiledChecksDir: compiled });
    assert.ok(!isLab(without));
    assert.equal(without.message, `01-attention/lab.json: checksModule: "checks.ts" does not exist in the lab folder and ${join(compiled, '01-attention', 'checks.js')} is not built`);
    assert.equal((loadLab(dir, join(root, 'labs')) as { message: string }).message, '01-attention/lab.json: checksModule: "checks.ts" does not exist in the lab folder');
    mkdirSync(join(compiled, '01-attention'), { recursive: true });
    writeFileSync(join(compiled, '01-attention', 'checks.js'), '');
    assert.ok(isLab(loadLab(dir, join(root, 'labs'), { compiledChecksDir: compiled })));
  });

  it('a missing or broken quiz keeps the lab from loading, naming the quiz file', () => {
    rmSync(join(dir, 'quiz.json'));
    assert.match((loadLab(dir, join(root, 'labs')) as { message: string }).message, /quiz: "quiz\.json" does not exist in the lab folder$/);
    writeFileSync(join(dir, 'quiz.json'), '{ "questions": 3 }');
    const r = loadLab(dir, join(root, 'labs'));
    assert.ok(!isLab(r));
    assert.equal(r.file, join(dir, 'quiz.json'));
    // A lab without a quiz needs none.
    const m = manifest();
    delete m.quiz;
    write(m);
    assert.ok(isLab(loadLab(dir, join(root, 'labs'))));
  });

  it('a lab folder without solutions (the learner build) says so', () => {
    const lab = loadLab(dir) as Lab;
    assert.equal(hasSolution(lab), true);
    rmSync(join(dir, 'solution'), { recursive: true });
    assert.equal(hasSolution(lab), false);
  });

  it('a labs folder that cannot be read is one error; files beside the labs are skipped; labs sort by order', () => {
    const missing = loadLabs(join(root, 'nope'));
    assert.deepEqual(missing.labs, []);
    assert.equal(missing.errors.length, 1);
    assert.match(missing.errors[0].message, /nope: cannot read the labs folder \(ENOENT/);
    writeFileSync(join(root, 'labs', 'README.md'), 'not a lab');
    mkdirSync(join(root, 'labs', '.git'));
    const second = join(root, 'labs', '00-second');
    cpSync(dir, second, { recursive: true });
    const m = manifest();
    m.id = 'zz-second';
    m.order = 2;
    writeFileSync(join(second, 'lab.json'), JSON.stringify(m));
    const { labs, errors } = loadLabs(join(root, 'labs'));
    assert.deepEqual(errors, []);
    assert.deepEqual(labs.map((l) => l.manifest.id), ['01-attention', 'zz-second'], 'by order, not by folder name');
  });

  it('finds a lab by id, or by its number with or without leading zeros', () => {
    const { labs } = loadLabs(join(repoRoot(), 'labs'));
    assert.equal(findLab(labs, '06-mini-gpt')?.manifest.id, '06-mini-gpt');
    assert.equal(findLab(labs, '6')?.manifest.id, '06-mini-gpt');
    assert.equal(findLab(labs, '006')?.manifest.id, '06-mini-gpt');
    assert.equal(findLab(labs, '60'), undefined);
    assert.equal(findLab(labs, 'mini-gpt'), undefined);
  });
});
