// A later lab (2 or 6) starts from the learner's own Lab 1 attention.ts only when every Lab 1
// function it needs passes Lab 1's visible checks, run through the real sidecar; otherwise from
// the course's reference, naming the functions that do not pass yet. Switching between the two
// at any time keeps a backup of what is replaced.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { CheckEngine } from '../../../core/checks/engine';
import type { SidecarClient } from '../../../core/compute/sidecarClient';
import { findBuildPaths } from '../../../core/compute/paths';
import { findLab, loadLabs } from '../../../core/labs/labLoader';
import type { Lab } from '../../../core/labs/manifest';
import { findLabWorkspaceFor, neededFunctions, reusedFileKind, switchReusedFile } from '../../../core/labs/reuse';
import { describeReuse, planReuse, type ReuseDecision } from '../../../core/labs/reusePlan';
import { scaffoldLab } from '../../../core/labs/scaffold';
import { repoRoot } from '../../support/repoRoot';
import { testSidecar } from '../../support/sidecar';

const paths = findBuildPaths(__dirname);
const labs = loadLabs(join(repoRoot(), 'labs'), { compiledChecksDir: paths.labsDist }).labs;
const lab = (id: string): Lab => findLab(labs, id)!;
const typesDir = join(paths.buildRoot, 'types');
const LAB1_SOLUTION = readFileSync(join(repoRoot(), 'labs', '01-attention', 'solution', 'attention.ts'), 'utf8');

/** A course folder with the learner's Lab 1 at lab1/, holding `attention` (default: the starter). */
function courseWithLab1(attention?: string): string {
  const parent = mkdtempSync(join(tmpdir(), 'tl-course-'));
  scaffoldLab(lab('01-attention'), join(parent, 'lab1'), { typesDir });
  if (attention !== undefined) writeFileSync(join(parent, 'lab1', 'attention.ts'), attention);
  return parent;
}

describe('reusing the learner\'s Lab 1 code in Labs 2 and 6', function () {
  this.timeout(120_000);
  let client: SidecarClient;
  let engine: CheckEngine;
  before(() => {
    client = testSidecar();
    engine = new CheckEngine(client, () => ({ timeoutMs: 10_000, memoryMb: 512 }));
  });
  after(() => client.dispose());

  const plan = (id: string, parent: string, extra: { trusted?: boolean } = {}) =>
    planReuse(lab(id), { labs, roots: [parent], checks: engine, ...extra });

  it('knows which Lab 1 functions each lab needs: the file\'s own and those its other files import', () => {
    const attention2 = lab('02-transformer-block').manifest.files.find((f) => f.path === 'attention.ts')!;
    assert.deepEqual(neededFunctions(lab('02-transformer-block'), attention2).sort(), ['attention', 'causalMask', 'combineHeads', 'multiHeadAttention', 'splitHeads']);
    const attention6 = lab('06-mini-gpt').manifest.files.find((f) => f.path === 'attention.ts')!;
    assert.deepEqual(neededFunctions(lab('06-mini-gpt'), attention6).sort(), ['attention', 'causalMask', 'combineHeads', 'multiHeadAttention', 'paddingMask', 'splitHeads']);
  });

  it('an unfinished Lab 1 (the starter) is not copied: the reference, and every needed function named as not started', async () => {
    const parent = courseWithLab1();
    const [d] = await plan('02-transformer-block', parent);
    assert.equal(d.use, 'reference');
    assert.equal(d.use === 'reference' && d.why, 'not-passing');
    assert.deepEqual(d.verdicts.map((v) => [v.name, v.status]).sort(), [
      ['attention', 'not-started'], ['causalMask', 'not-started'], ['combineHeads', 'not-started'], ['multiHeadAttention', 'not-started'], ['splitHeads', 'not-started'],
    ]);
    const said = describeReuse(d);
    assert.match(said, /^attention\.ts uses the course's reference: in your Lab 1 \(.*lab1\/attention\.ts\), /);
    assert.match(said, /multiHeadAttention \(not started\)/);
    assert.match(said, /do not pass Lab 1's checks yet/);

    const dir = join(parent, 'lab2');
    const r = scaffoldLab(lab('02-transformer-block'), dir, { typesDir, reuse: [d] });
    assert.deepEqual(r.reused, []);
    assert.equal(readFileSync(join(dir, 'attention.ts'), 'utf8'), readFileSync(join(repoRoot(), 'labs', '02-transformer-block', 'starter', 'attention.ts'), 'utf8'));
    assert.equal(reusedFileKind(readFileSync(join(dir, 'attention.ts'), 'utf8')), 'reference');
  });

  it('a finished Lab 1 is copied with a header saying where it came from', async () => {
    const parent = courseWithLab1(LAB1_SOLUTION);
    const decisions = await plan('06-mini-gpt', parent);
    assert.equal(decisions[0].use, 'own', describeReuse(decisions[0]));
    assert.ok(decisions[0].verdicts.every((v) => v.status === 'pass' && v.total > 0));
    assert.match(describeReuse(decisions[0]), /^attention\.ts is your own code from Lab 1 \(.*\): causalMask, paddingMask, attention, splitHeads, combineHeads, multiHeadAttention pass Lab 1's checks\.$/);
    const dir = join(parent, 'lab6');
    const r = scaffoldLab(lab('06-mini-gpt'), dir, { typesDir, reuse: decisions });
    assert.deepEqual(r.reused.map((x) => [x.path, x.from]), [['attention.ts', join(parent, 'lab1', 'attention.ts')]]);
    const text = readFileSync(join(dir, 'attention.ts'), 'utf8');
    assert.ok(text.endsWith(LAB1_SOLUTION));
    assert.match(text, /^\/\/ Your own code from lab "01-attention"/);
    assert.equal(reusedFileKind(text), 'own');
  });

  it('one wrong function is enough for the reference, and the message names it with its checks', async () => {
    // Forgets the 1/√d scale: attention fails, and multiHeadAttention with it (it calls attention).
    const unscaled = LAB1_SOLUTION.replace('tf.div(tf.matMul(q, k, false, true), Math.sqrt(d))', 'tf.matMul(q, k, false, true)');
    assert.notEqual(unscaled, LAB1_SOLUTION, 'the solution\'s attention divides by Math.sqrt(d)');
    const parent = courseWithLab1(unscaled);
    const [d] = await plan('02-transformer-block', parent);
    assert.equal(d.use, 'reference');
    const failing = d.verdicts.filter((v) => v.status !== 'pass').map((v) => v.name);
    assert.ok(failing.includes('attention'), failing.join());
    assert.ok(!failing.includes('causalMask') && !failing.includes('splitHeads'), 'functions that pass are not blamed');
    assert.match(describeReuse(d), /attention \(\d of \d checks pass\)/);
    assert.ok(d.verdicts.find((v) => v.name === 'attention')!.message, 'the first failure is kept');
  });

  it('Lab 1 code that does not compile is not copied, and the message says where', async () => {
    const parent = courseWithLab1(LAB1_SOLUTION + '\nexport function broken( {\n');
    const [d] = await plan('02-transformer-block', parent);
    assert.equal(d.use, 'reference');
    assert.match(describeReuse(d), /attention\.ts:\d+ does not compile/);
  });

  it('no Lab 1 folder: the reference, and no sidecar is started', async () => {
    const fresh = testSidecar();
    const parent = mkdtempSync(join(tmpdir(), 'tl-course-'));
    const [d] = await planReuse(lab('02-transformer-block'), { labs, roots: [parent], checks: new CheckEngine(fresh, () => ({ timeoutMs: 5000, memoryMb: 256 })) });
    assert.equal(d.use === 'reference' && d.why, 'not-found');
    assert.match(describeReuse(d), /your Lab 1 folder was not found/);
    assert.equal(fresh.state.kind, 'stopped');
    await fresh.dispose();
  });

  it('in an untrusted workspace the learner\'s Lab 1 code is not run, and so not copied', async () => {
    const parent = courseWithLab1(LAB1_SOLUTION);
    const [d] = await plan('02-transformer-block', parent, { trusted: false });
    assert.equal(d.use === 'reference' && d.why, 'not-checked');
    assert.match(describeReuse(d), /could not be checked \(checks run your code, so they run only in a trusted workspace\)/);
  });

  it('switches to the learner\'s own code and back at any time, keeping a backup of what it replaces', () => {
    const parent = courseWithLab1(LAB1_SOLUTION);
    const dir = join(parent, 'lab2');
    scaffoldLab(lab('02-transformer-block'), dir, { typesDir });
    const file = join(dir, 'attention.ts');
    const reference = readFileSync(file, 'utf8');
    const mine = join(findLabWorkspaceFor('01-attention', [parent])!, 'attention.ts');

    const t1 = new Date('2026-12-02T10:00:00Z');
    const toOwn = switchReusedFile(lab('02-transformer-block'), dir, 'attention.ts', 'own', mine, t1);
    assert.equal(reusedFileKind(readFileSync(file, 'utf8')), 'own');
    assert.ok(readFileSync(file, 'utf8').endsWith(LAB1_SOLUTION));
    assert.equal(readFileSync(toOwn.backup, 'utf8'), reference, 'the reference was kept');

    // The learner edits their copy, then goes back to the reference: the edit is kept too.
    writeFileSync(file, readFileSync(file, 'utf8') + '\n// my note\n');
    const edited = readFileSync(file, 'utf8');
    const toRef = switchReusedFile(lab('02-transformer-block'), dir, 'attention.ts', 'reference', undefined, new Date('2026-12-02T10:05:00Z'));
    assert.equal(readFileSync(file, 'utf8'), reference);
    assert.equal(readFileSync(toRef.backup, 'utf8'), edited);
    assert.notEqual(toOwn.backup, toRef.backup);

    assert.throws(() => switchReusedFile(lab('02-transformer-block'), dir, 'attention.ts', 'own', undefined), /was not found/);
    assert.throws(() => switchReusedFile(lab('02-transformer-block'), dir, 'block.ts', 'own', mine), /is not built on an earlier lab/);
    assert.throws(() => switchReusedFile(lab('02-transformer-block'), dir, 'attention.ts', 'own', join(parent, 'nowhere.ts')), /is missing/);
  });

  it('tells the reference from the learner\'s own code, comments aside', () => {
    for (const id of ['02-transformer-block', '06-mini-gpt']) {
      assert.equal(reusedFileKind(readFileSync(join(repoRoot(), 'labs', id, 'starter', 'attention.ts'), 'utf8')), 'reference', id);
    }
    assert.equal(reusedFileKind(LAB1_SOLUTION), 'own');
    const wrapped = "import { referenceAttention } from '@transformer-labs/helpers';\nexport const attention = (q, k, v) => referenceAttention.attention(q, k, v);\n";
    assert.equal(reusedFileKind(wrapped), 'own', 'code of their own that calls the reference is theirs');
  });

  it('the reference the lab starts from type-checks against the learner declarations', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tl-course-')), 'lab2');
    const decisions: ReuseDecision[] = [];
    scaffoldLab(lab('02-transformer-block'), dir, { typesDir, reuse: decisions });
    const cfg = ts.parseJsonConfigFileContent(ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, dir);
    const diags = ts
      .getPreEmitDiagnostics(ts.createProgram(cfg.fileNames.filter((f) => f.endsWith('attention.ts')), cfg.options))
      .map((x) => ts.flattenDiagnosticMessageText(x.messageText, '\n'));
    assert.deepEqual(diags, []);
  });

  it('never reuses when scaffolding the reference solution', async () => {
    const parent = courseWithLab1(LAB1_SOLUTION);
    const decisions = await plan('02-transformer-block', parent);
    assert.equal(decisions[0].use, 'own');
    const r = scaffoldLab(lab('02-transformer-block'), join(parent, 'key'), { typesDir, reuse: decisions, withSolution: true });
    assert.deepEqual(r.reused, []);
    assert.ok(existsSync(join(parent, 'key', 'attention.ts')));
  });
});
