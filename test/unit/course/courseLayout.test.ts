// The course workspace: one folder with a marker at its root and one subfolder per lab, created
// when the lab is first opened; what "Continue" picks; and that a later lab finds the learner's
// Lab 1 inside the course.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBuildPaths } from '../../../core/compute/paths';
import {
  canHoldCourse,
  continueLab,
  COURSE_FILE,
  courseLabs,
  courseRootOf,
  createCourse,
  isCourse,
  labFolder,
  labIdAt,
  readCourse,
  recordOpened,
} from '../../../core/course/courseLayout';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import { findLabWorkspaceFor } from '../../../core/labs/reuse';
import { findLabWorkspace, LabWorkspaceError, scaffoldLab } from '../../../core/labs/scaffold';
import { repoRoot } from '../../support/repoRoot';

const paths = findBuildPaths(__dirname);
const labs = loadLabs(join(repoRoot(), 'labs'), { compiledChecksDir: paths.labsDist }).labs;
const typesDir = join(paths.buildRoot, 'types');
const fresh = () => mkdtempSync(join(tmpdir(), 'tl-course-layout-'));

describe('course layout', () => {
  it('makes an empty folder a course with a marker at its root and no lab folders yet', () => {
    const dir = fresh();
    const marker = createCourse(dir, new Date('2026-12-02T10:00:00Z'));
    assert.equal(marker.createdAt, '2026-12-02T10:00:00.000Z');
    assert.ok(isCourse(dir));
    assert.equal(JSON.parse(readFileSync(join(dir, COURSE_FILE), 'utf8')).schemaVersion, 1);
    assert.ok(courseLabs(dir, labs).every((l) => !l.created), 'no lab folder before a lab is opened');
    assert.deepEqual(courseLabs(dir, labs).map((l) => l.lab.manifest.order), [1, 2, 3, 4, 5, 6]);
    // idempotent: starting again keeps the course as it is
    assert.equal(createCourse(dir, new Date('2027-01-01T00:00:00Z')).createdAt, '2026-12-02T10:00:00.000Z');
  });

  it('refuses a folder with files in it, or a single-lab folder, saying which', () => {
    const used = fresh();
    writeFileSync(join(used, 'notes.txt'), 'mine');
    const r = canHoldCourse(used);
    assert.equal(r.ok, false);
    assert.match((r as { why: string }).why, /not empty \(notes\.txt\)/);
    assert.throws(() => createCourse(used), LabWorkspaceError);
    assert.equal(readFileSync(join(used, 'notes.txt'), 'utf8'), 'mine', 'nothing of the folder is lost');

    const single = fresh();
    scaffoldLab(findLab(labs, '01-attention')!, single, { typesDir });
    assert.match((canHoldCourse(single) as { why: string }).why, /single-lab folder/);
    // dot-folders (.git, .vscode) do not make a folder "used"
    const dotted = fresh();
    mkdirSync(join(dotted, '.vscode'));
    assert.equal(canHoldCourse(dotted).ok, true);
  });

  it('puts each lab in a subfolder named by its id; a lab folder knows its course', () => {
    const dir = fresh();
    createCourse(dir);
    const lab1 = findLab(labs, '01-attention')!;
    const where = labFolder(dir, lab1);
    assert.equal(where, join(dir, '01-attention'));
    scaffoldLab(lab1, where, { typesDir });
    assert.equal(findLabWorkspace(where)?.labId, '01-attention', 'a lab folder in a course is an ordinary lab folder (the CLI grades it as before)');
    assert.deepEqual(courseLabs(dir, labs).filter((l) => l.created).map((l) => l.lab.manifest.id), ['01-attention']);
    assert.equal(courseRootOf(where), dir);
    assert.equal(courseRootOf(dir), dir);
    assert.equal(courseRootOf(fresh()), undefined);
    assert.equal(labIdAt(dir, join(where, 'attention.ts'), labs), '01-attention');
    assert.equal(labIdAt(dir, join(dir, 'elsewhere', 'x.ts'), labs), undefined);
  });

  it('records the lab opened last, and a broken marker is named', () => {
    const dir = fresh();
    createCourse(dir);
    recordOpened(dir, '02-transformer-block', new Date('2026-12-02T11:00:00Z'));
    const m = readCourse(dir)!;
    assert.equal(m.current, '02-transformer-block');
    assert.equal(m.opened['02-transformer-block'], '2026-12-02T11:00:00.000Z');
    writeFileSync(join(dir, COURSE_FILE), '{"schemaVersion": 1');
    assert.throws(() => readCourse(dir), (e: Error) => e instanceof LabWorkspaceError && e.message.includes(join(dir, COURSE_FILE)) && /not valid JSON/.test(e.message));
    assert.equal(readCourse(dir, { quiet: true }), undefined);
  });

  it('Continue goes to the current lab unless it is done, then to the first lab not done', () => {
    const marker = { schemaVersion: 1 as const, createdAt: 'x', current: '02-transformer-block', opened: {} };
    const done = new Set<string>();
    assert.equal(continueLab(marker, labs, (id) => done.has(id))?.manifest.id, '02-transformer-block');
    done.add('02-transformer-block');
    assert.equal(continueLab(marker, labs, (id) => done.has(id))?.manifest.id, '01-attention');
    done.add('01-attention');
    assert.equal(continueLab(marker, labs, (id) => done.has(id))?.manifest.id, '03-positional-encodings');
    for (const l of labs) done.add(l.manifest.id);
    assert.equal(continueLab(marker, labs, (id) => done.has(id))?.manifest.id, '02-transformer-block', 'all done: stay where the learner was');
  });

  it("a later lab finds the learner's Lab 1 inside the course (the reuse search roots at the course)", () => {
    const dir = fresh();
    createCourse(dir);
    scaffoldLab(findLab(labs, '01-attention')!, labFolder(dir, findLab(labs, '01-attention')!), { typesDir });
    const lab2dir = labFolder(dir, findLab(labs, '02-transformer-block')!);
    // openLab's roots include the new lab folder's parent: the course
    assert.equal(findLabWorkspaceFor('01-attention', [join(lab2dir, '..')]), join(dir, '01-attention'));
    assert.equal(findLabWorkspaceFor('03-positional-encodings', [dir]), undefined);
  });
});
