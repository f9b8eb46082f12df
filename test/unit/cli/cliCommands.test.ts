// The CLI's commands beyond grading, run in this process (support/cliInProcess.ts): quiz (list,
// answer, retries, refusals, a broken answers file), profile (text and JSON, its bounds, a course
// folder), new-lab and export-lab (what they print, refusals that exit 1 and write nothing). The
// expected answers and counts come from the lab's own files, not from this test.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCourse, recordOpened } from '../../../core/course/courseLayout';
import { cli } from '../../support/cliInProcess';
import { repoRoot } from '../../support/repoRoot';

interface QuizQuestion {
  id: string;
  kind: 'choice' | 'numeric' | 'short';
  points: number;
  prompt: string;
  options?: { id: string; text: string }[];
  answer?: string | number;
  tolerance?: number;
  attempts?: number;
  explanation: string;
}
const QUIZ = (JSON.parse(readFileSync(join(repoRoot(), 'labs', '01-attention', 'quiz.json'), 'utf8')) as { questions: QuizQuestion[] }).questions;
const MAX = QUIZ.reduce((s, q) => s + q.points, 0);
const choice = QUIZ.find((q) => q.kind === 'choice' && q.points === 1)!;
const twoPointChoice = QUIZ.find((q) => q.kind === 'choice' && q.points === 2)!;
const numeric = QUIZ.find((q) => q.kind === 'numeric' && (q.attempts ?? 2) === 2)!;

function tmp(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'tl-cli-cmd-')), name);
}

async function lab1(solution = false): Promise<string> {
  const dir = tmp('lab1');
  const r = await cli('new', '01-attention', dir, ...(solution ? ['--solution'] : []));
  assert.equal(r.code, 0, r.err);
  return dir;
}

describe('transformer-labs CLI: quiz, profile, new-lab, export-lab', function () {
  this.timeout(180_000);

  it('each command names what it needs when an argument is missing or wrong (exit 2, with the usage)', async () => {
    const dir = await lab1();
    const foreign = tmp('foreign');
    cpSync(dir, foreign, { recursive: true });
    const marker = join(foreign, '.transformer-labs', 'lab.json');
    writeFileSync(marker, readFileSync(marker, 'utf8').replace('"01-attention"', '"99-not-a-lab"'));
    const notLab = mkdtempSync(join(tmpdir(), 'tl-cli-plain-'));
    const cases: [string[], RegExp][] = [
      [['new'], /^transformer-labs: new needs <lab> and <dir>$/m],
      [['new', '01-attention'], /^transformer-labs: new needs <lab> and <dir>$/m],
      [['grade'], /^transformer-labs: grade needs <dir>$/m],
      [['grade', notLab], /is not a lab folder \(no \.transformer-labs\/lab\.json\); create one with "transformer-labs new"$/m],
      [['grade', foreign], /holds lab "99-not-a-lab", which this version of Transformer Labs does not have$/m],
      [['grade-all'], /^transformer-labs: grade-all needs <submissions>: a folder with one subfolder or \.zip per learner$/m],
      [['grade-all', notLab, '--jobs', '0'], /^transformer-labs: --jobs must be a whole number from 1 to 64$/m],
      [['grade-all', notLab, '--jobs', '65'], /--jobs must be a whole number from 1 to 64/],
      [['grade-all', notLab, '--jobs', '1.5'], /--jobs must be a whole number from 1 to 64/],
      [['grade-all', notLab, '--lab', 'nope'], /^transformer-labs: no lab "nope"; known: 01-attention, 02-transformer-block/m],
      [['validate'], /^transformer-labs: validate needs <lab-dir>: a folder with lab\.json$/m],
      [['new-lab'], /^transformer-labs: new-lab needs <dir>: a new or empty folder for the lab$/m],
      [['export-lab', dir], /^transformer-labs: export-lab needs <lab-dir> and <out-dir>$/m],
      [['hint', dir], /^transformer-labs: hint needs <dir> and <function>$/m],
      [['hint', notLab, 'softmax'], /is not a lab folder \(no \.transformer-labs\/lab\.json\)$/m],
      [['hint', foreign, 'softmax'], /holds lab "99-not-a-lab", which this version/],
      [['quiz', notLab], /is not a lab folder/],
      [['quiz', foreign], /holds lab "99-not-a-lab"/],
      [['profile', notLab], /is not a lab folder/],
      [['quiz'], /^transformer-labs: quiz needs <dir>$/m],
      [['profile'], /^transformer-labs: profile needs <dir>$/m],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message, args.join(' '));
      assert.match(r.err, /\nUsage: transformer-labs <command>/, args.join(' '));
      assert.equal(r.out, '', args.join(' '));
    }
  });

  it('hint opens the hints of a function one by one, then says they are all open; a function without hints says so', async () => {
    const dir = await lab1();
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'labs', '01-attention', 'lab.json'), 'utf8')) as { hints: Record<string, string[]>; files: { functions: string[] }[] };
    const [fn, hints] = Object.entries(manifest.hints).find(([, h]) => h.length >= 2)!;
    for (let k = 1; k <= hints.length; k++) {
      const r = await cli('hint', dir, fn);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, hints.slice(0, k).map((h, i) => `hint ${i + 1} of ${hints.length}: ${h}\n`).join(''));
    }
    const all = await cli('hint', dir, fn);
    assert.equal(all.out, hints.map((h, i) => `hint ${i + 1} of ${hints.length}: ${h}\n`).join('') + `(all ${hints.length} hints of ${fn} are open)\n`);
    const opened = JSON.parse(readFileSync(join(dir, '.transformer-labs', 'hints.json'), 'utf8')) as unknown;
    assert.match(JSON.stringify(opened), new RegExp(`"${fn}"`));
    // Every function of the built-in labs has hints; an instructor's lab may give one none.
    const own = tmp('hintless-lab');
    assert.equal((await cli('new-lab', own, '--id', 'hintless')).code, 0);
    const ownManifest = JSON.parse(readFileSync(join(own, 'lab.json'), 'utf8')) as { hints?: Record<string, string[]>; files: { functions: string[] }[] };
    const ownFn = ownManifest.files[0].functions[0];
    delete ownManifest.hints;
    writeFileSync(join(own, 'lab.json'), JSON.stringify(ownManifest, null, 2));
    const learner = tmp('hintless-learner');
    assert.equal((await cli('new', 'hintless', learner, '--labs', own)).code, 0);
    const none = await cli('hint', learner, ownFn, '--labs', own);
    assert.equal(none.code, 0, none.err);
    assert.equal(none.out, `${ownFn} has no hints\n`);
    const bad = await cli('hint', dir, 'nope');
    assert.equal(bad.code, 2);
    assert.match(bad.err, new RegExp(`01-attention has no function "nope"; its functions: ${manifest.files.flatMap((f) => f.functions).join(', ')}`));
  });

  describe('quiz', () => {
    it('lists every question with its kind, points, status, prompt and options, then the total', async () => {
      const dir = await lab1();
      const r = await cli('quiz', dir);
      assert.equal(r.code, 0, r.err);
      for (const q of QUIZ) {
        assert.ok(r.out.includes(`${q.id}  [${q.kind}, ${q.points} point${q.points === 1 ? '' : 's'}] unanswered\n  ${q.prompt}\n`), q.id);
        for (const o of q.options ?? []) assert.ok(r.out.includes(`    ${o.id}) ${o.text}\n`), `${q.id} ${o.id}`);
      }
      assert.match(r.out, new RegExp(`\\nmastery questions: 0/${MAX} points, 0 of ${QUIZ.length} answered\\n$`));
      assert.equal(r.err, '');
    });

    it('--json prints the summary as one document', async () => {
      const dir = await lab1();
      await cli('quiz', dir, choice.id, String(choice.answer));
      const r = await cli('quiz', dir, '--json');
      const s = JSON.parse(r.out) as { score: number; maxScore: number; answered: number; total: number; questions: { id: string; status: string }[] };
      assert.deepEqual([s.score, s.maxScore, s.answered, s.total], [choice.points, MAX, 1, QUIZ.length]);
      assert.equal(s.questions.find((q) => q.id === choice.id)!.status, 'correct');
    });

    it('a right answer earns the points and shows the explanation; a settled question refuses another answer (exit 1)', async () => {
      const dir = await lab1();
      const right = await cli('quiz', dir, twoPointChoice.id, String(twoPointChoice.answer));
      assert.equal(right.code, 0, right.err);
      const rightOption = twoPointChoice.options!.find((o) => o.id === twoPointChoice.answer)!;
      assert.equal(right.out, `right (+2 points)\nanswer: ${rightOption.id}) ${rightOption.text}\n${twoPointChoice.explanation}\nmastery questions: 2/${MAX} points, 1 of ${QUIZ.length} answered\n`);
      const one = await cli('quiz', dir, choice.id, String(choice.answer));
      assert.match(one.out, /^right \(\+1 point\)\n/);
      const again = await cli('quiz', dir, choice.id, String(choice.answer));
      assert.equal(again.code, 1);
      assert.equal(again.out, 'not counted: this question is settled (answered right)\n');
      const list = await cli('quiz', dir);
      assert.ok(list.out.includes(`${choice.id}  [choice, 1 point] correct (${choice.answer})\n`), list.out);
      const option = choice.options!.find((o) => o.id === choice.answer)!;
      assert.ok(list.out.includes(`  answer: ${option.id}) ${option.text} — ${choice.explanation}\n`), list.out);
      assert.match(list.out, new RegExp(`mastery questions: 3/${MAX} points, 2 of ${QUIZ.length} answered\\n$`));
      assert.equal(list.out.match(/^ {2}answer: /gm)?.length, 2, 'the answer only under the settled questions');
    });

    it('a wrong numeric answer leaves one more try, the second ends the question with the answer shown', async () => {
      const dir = await lab1();
      const wrongValue = String(Number(numeric.answer) * 10 + 1000);
      const first = await cli('quiz', dir, numeric.id, wrongValue);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /^not right; 1 more try\n/);
      assert.doesNotMatch(first.out, /answer:/);
      const otherWrong = String(Number(numeric.answer) * 10 + 2000);
      const second = await cli('quiz', dir, numeric.id, otherWrong);
      assert.match(second.out, /^not right; no tries left\nanswer: /);
      const list = await cli('quiz', dir);
      assert.ok(list.out.includes(`${numeric.id}  [numeric, ${numeric.points} points] wrong (${wrongValue} → ${otherWrong})`), list.out);
    });

    it('an unreadable answer is not counted and costs no try; unknown questions and a missing answer are usage errors', async () => {
      const dir = await lab1();
      const bad = await cli('quiz', dir, choice.id, 'zz');
      assert.equal(bad.code, 1);
      assert.match(bad.out, /^not counted: /);
      assert.equal(existsSync(join(dir, '.transformer-labs', 'quiz.json')), false, 'nothing written');
      const unknown = await cli('quiz', dir, 'no-such-question', 'a');
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, new RegExp(`01-attention has no question "no-such-question"; its questions: ${QUIZ.map((q) => q.id).join(', ')}`));
      const noAnswer = await cli('quiz', dir, choice.id);
      assert.equal(noAnswer.code, 2);
      assert.match(noAnswer.err, /quiz needs an <answer> after the question id/);
      assert.equal((await cli('quiz')).code, 2);
    });

    it('a broken answers file is a warning and counts as unanswered; a lab without questions says so', async () => {
      const dir = await lab1();
      mkdirSync(join(dir, '.transformer-labs'), { recursive: true });
      writeFileSync(join(dir, '.transformer-labs', 'quiz.json'), '{ not json');
      const r = await cli('quiz', dir);
      assert.equal(r.code, 0);
      assert.match(r.err, /^warning: .*quiz\.json is not valid JSON/m);
      assert.match(r.out, new RegExp(`mastery questions: 0/${MAX} points`));
      // Every built-in lab has questions: a lab of the instructor's own without quiz.json has none.
      const own = tmp('own-lab');
      assert.equal((await cli('new-lab', own, '--id', 'no-quiz-lab')).code, 0);
      const manifest = JSON.parse(readFileSync(join(own, 'lab.json'), 'utf8')) as { quiz?: string };
      assert.equal(manifest.quiz, undefined, 'the new-lab template has no quiz');
      const learner = tmp('learner');
      assert.equal((await cli('new', 'no-quiz-lab', learner, '--labs', own)).code, 0);
      const none = await cli('quiz', learner, '--labs', own);
      assert.equal(none.code, 2);
      assert.match(none.err, /no-quiz-lab has no mastery questions/);
    });

    it('takes a course folder for its current lab, and refuses one with no lab opened', async () => {
      const course = tmp('course');
      mkdirSync(course);
      createCourse(course);
      const empty = await cli('quiz', course);
      assert.equal(empty.code, 2);
      assert.match(empty.err, /is a course with no lab opened yet; name a lab folder inside it/);
      assert.equal((await cli('new', '01-attention', join(course, '01-attention'))).code, 0);
      recordOpened(course, '01-attention');
      const r = await cli('quiz', course);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.includes(`${choice.id}  [choice, 1 point] unanswered`));
    });
  });

  describe('profile', () => {
    it('times the learner\'s attention beside the reference for each size up to --max-n, as text or JSON', async () => {
      const dir = await lab1(true);
      const text = await cli('profile', dir, '--max-n', '32', '--targets', 'attention');
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /^attention {2}\(d = \d+\)\n/);
      assert.match(text.out, /\n {6}16 .*\n {6}32 /);
      assert.doesNotMatch(text.out, /multiHeadAttention/);
      assert.match(text.out, /\n {2}yours: {5}time ~ N\^-?\d+\.\d\d, peak memory ~ N\^-?\d+\.\d\d/);
      assert.match(text.err, /^measuring attention at N = 16$/m);
      const json = await cli('profile', dir, '--max-n', '16', '--targets', 'attention,multiHeadAttention', '--json');
      assert.equal(json.code, 0, json.err);
      const data = JSON.parse(json.out) as { settings: { targets: string[]; maxN: number }; series: { target: string; who: string; points: { n: number }[] }[] };
      assert.deepEqual(data.settings.targets, ['attention', 'multiHeadAttention']);
      assert.equal(data.settings.maxN, 16);
      assert.deepEqual(data.series.map((s) => `${s.target}/${s.who}/${s.points.map((p) => p.n).join(',')}`).sort(), ['attention/learner/16', 'attention/reference/16', 'multiHeadAttention/learner/16', 'multiHeadAttention/reference/16']);
      assert.equal(json.err, '', 'no progress lines with --json');
    });

    it('profiles the reference beside a function not started yet (it stops at the first size); code that does not compile is refused (exit 1)', async () => {
      const dir = await lab1();
      const starter = await cli('profile', dir, '--max-n', '16', '--targets', 'attention');
      assert.equal(starter.code, 0, starter.err);
      assert.match(starter.out, /\n {6}16 {13}— {12}— {3}.*ms/);
      assert.match(starter.out, /yours: .*; stopped: at N = 16: attention\(\) is not started yet/);
      writeFileSync(join(dir, 'attention.ts'), `${readFileSync(join(dir, 'attention.ts'), 'utf8')}\nexport function broken( {\n`);
      const r = await cli('profile', dir, '--max-n', '16', '--targets', 'attention');
      assert.equal(r.code, 1);
      assert.match(r.err, /^Your code could not be profiled: attention\.ts:\d+ does not compile/m);
      assert.equal(r.out, '');
    });

    it('refuses a --max-n out of range, an unknown target and a lab without a profiler, before starting anything', async () => {
      const dir = await lab1();
      for (const n of ['8', '16385', '20.5']) {
        const r = await cli('profile', dir, '--max-n', n);
        assert.equal(r.code, 2, n);
        assert.match(r.err, /--max-n must be a whole number from 16 to 16384/);
      }
      const t = await cli('profile', dir, '--targets', 'attention,nope,other');
      assert.equal(t.code, 2);
      assert.match(t.err, /--targets: unknown nope, other; known: attention, multiHeadAttention, chunkedAttention/);
      const two = tmp('lab2');
      assert.equal((await cli('new', '02-transformer-block', two)).code, 0);
      const r = await cli('profile', two);
      assert.equal(r.code, 2);
      assert.match(r.err, /02-transformer-block has no profiler; profile a Lab 1 folder \(01-attention\)/);
      assert.equal((await cli('profile')).code, 2);
    });
  });

  describe('new-lab and export-lab', () => {
    it('new-lab writes a lab and says what to run next; into a folder that is not empty it exits 1 and writes nothing', async () => {
      const dir = tmp('my-lab');
      const r = await cli('new-lab', dir, '--id', 'my-own-lab');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`^created lab "my-own-lab" in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*lab\\.json`));
      const listed = /: (.*)\n/.exec(r.out)![1].split(', ');
      assert.ok(listed.length >= 4 && listed.includes('lab.json') && listed.includes('INSTRUCTIONS.md'), listed.join(' | '));
      assert.ok(r.out.includes(`\nnext: transformer-labs validate ${dir}\n      transformer-labs new my-own-lab <learner-dir> --labs ${dir}\n`));
      assert.equal((JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as { id: string }).id, 'my-own-lab');
      const before = readdirSync(dir).sort();
      const again = await cli('new-lab', dir);
      assert.equal(again.code, 1);
      assert.match(again.err, /^transformer-labs: .* is not empty/);
      assert.doesNotMatch(again.err, /Usage:/);
      assert.deepEqual(readdirSync(dir).sort(), before);
      assert.equal((await cli('new-lab')).code, 2);
    });

    it('export-lab writes the learner copy and says how to grade; a hidden check named in the instructions is refused (exit 1)', async () => {
      const lab = tmp('src-lab');
      assert.equal((await cli('new-lab', lab)).code, 0);
      const out = tmp('learner-copy');
      const r = await cli('export-lab', lab, out);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^wrote the learner copy of ".+" to .*learner-copy: \d+ file\(s\), 1 hidden check\(s\) left out/);
      assert.ok(r.out.includes(`you: grade with the original, every check included: transformer-labs grade-all <submissions> --labs ${lab}`));
      assert.equal(existsSync(join(out, 'solution')), false);

      const leaky = tmp('leaky-lab');
      cpSync(lab, leaky, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(leaky, 'lab.json'), 'utf8')) as { checks: { id: string; hidden: boolean }[] };
      const hidden = manifest.checks.find((c) => c.hidden)!;
      writeFileSync(join(leaky, 'INSTRUCTIONS.md'), `${readFileSync(join(leaky, 'INSTRUCTIONS.md'), 'utf8')}\nThe check ${hidden.id} is hidden.\n`);
      const refusedOut = tmp('refused-copy');
      const refused = await cli('export-lab', leaky, refusedOut);
      assert.equal(refused.code, 1);
      assert.match(refused.err, new RegExp(`^transformer-labs: [\\s\\S]*INSTRUCTIONS\\.md holds hidden check id "${hidden.id}"`));
      assert.equal(existsSync(refusedOut) && readdirSync(refusedOut).length > 0, false, 'nothing written');
      assert.equal((await cli('export-lab', lab)).code, 2);
    });
  });
});
