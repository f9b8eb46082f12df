// Scoring and the two report formats, in process (issue 18's mutation run found these unguarded):
// percent rounding, zero points for every non-pass status, the hidden flag, what the text and
// Markdown reports print for each status. The engine is a stand-in returning chosen outcomes; the
// real engine and sidecar are covered by gradeLab.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckEngine, CheckOutcome } from '../../../core/checks/engine';
import { GRADE_REPORT_FILE, gradeLab, gradeReportMarkdown, writeGradeReport, type GradeReport } from '../../../core/grading/gradeReport';
import { formatGradeReport } from '../../../core/grading/gradeReportText';
import type { Lab } from '../../../core/labs/manifest';
import type { CheckStatus } from '../../../core/protocol/sidecar';

const STATUSES: CheckStatus[] = ['pass', 'fail', 'error', 'timeout', 'memory', 'not-run', 'not-started'];

function labWith(points: number[], hidden: boolean[] = []): Lab {
  return {
    dir: '/nowhere',
    manifest: {
      id: 'lab-x', version: '1.2.3', order: 1, title: 'Lab X', summary: 's', estimatedMinutes: 1, objectives: ['o'],
      instructions: 'I.md', checksModule: 'checks.ts', visualizations: [], hints: { f: ['a', 'b', 'c'], h: ['x', 'y'] },
      files: [{ path: 'x.ts', starter: 's/x.ts', solution: 'sol/x.ts', functions: ['f'] }],
      checks: points.map((p, i) => ({ id: `c${i}`, title: `Check ${i} | pipe`, file: 'x.ts', function: 'f', points: p, hidden: hidden[i] ?? false, hint: `hint ${i}`, bonus: false })),
    },
  };
}

function engineFor(lab: Lab, statuses: CheckStatus[], seen: { includeHidden?: boolean } = {}): CheckEngine {
  const outcomes: CheckOutcome[] = lab.manifest.checks.map((spec, i) => ({
    id: spec.id, spec, status: statuses[i], durationMs: 1,
    message: statuses[i] === 'pass' ? '' : `message ${i}\nsecond line`,
    expected: statuses[i] === 'fail' ? `exp ${i}` : undefined,
    actual: statuses[i] === 'fail' ? `act ${i}` : undefined,
  }));
  return {
    run: async (_lab: Lab, _files: unknown, opts: { includeHidden: boolean }) => {
      seen.includeHidden = opts.includeHidden;
      return { labId: lab.manifest.id, compileErrors: [], outcomes, backend: 'wasm', durationMs: 2 };
    },
  } as unknown as CheckEngine;
}

describe('grading: scores and reports', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tl-score-'));
    writeFileSync(join(dir, 'x.ts'), 'export function f() {}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const grade = (lab: Lab, statuses: CheckStatus[], seen?: { includeHidden?: boolean }) =>
    gradeLab(engineFor(lab, statuses, seen), lab, dir, { extensionVersion: '9.9.9', now: () => new Date('2026-12-02T10:00:00Z') });

  it('earns a check\'s points only when it passes: every other status earns 0', async () => {
    const lab = labWith(STATUSES.map(() => 3));
    const r = await grade(lab, STATUSES);
    assert.deepEqual(r.checks.map((c) => [c.status, c.earned, c.points]), STATUSES.map((s) => [s, s === 'pass' ? 3 : 0, 3]));
    assert.equal(r.score, 3);
    assert.equal(r.maxScore, 21);
  });

  it('rounds the percentage to one decimal, half up, and gives 0 % when nothing is worth points', async () => {
    const cases: [number[], CheckStatus[], number][] = [
      [[1, 2], ['pass', 'fail'], 33.3],
      [[2, 1], ['pass', 'fail'], 66.7],
      [[1, 7], ['pass', 'fail'], 12.5],
      [[1, 15], ['pass', 'fail'], 6.3], // 6.25 → 6.3
      [[1, 1], ['pass', 'pass'], 100],
      [[1, 1], ['fail', 'fail'], 0],
      [[0, 0], ['pass', 'pass'], 0],
    ];
    for (const [points, statuses, percent] of cases) {
      const r = await grade(labWith(points), statuses);
      assert.equal(r.percent, percent, `${points} ${statuses}`);
    }
  });

  it('runs hidden checks when grading and marks them; the report carries the lab, time, version and file hashes', async () => {
    const seen: { includeHidden?: boolean } = {};
    const r = await grade(labWith([1, 1], [false, true]), ['pass', 'pass'], seen);
    assert.equal(seen.includeHidden, true);
    assert.deepEqual(r.checks.map((c) => c.hidden), [false, true]);
    assert.equal(r.schemaVersion, 3);
    assert.deepEqual([r.labId, r.labVersion, r.labTitle, r.gradedAt, r.extensionVersion, r.backend], ['lab-x', '1.2.3', 'Lab X', '2026-12-02T10:00:00.000Z', '9.9.9', 'wasm']);
    // sha256 of "export function f() {}\n"
    assert.deepEqual(r.files, [{ path: 'x.ts', sha256: 'adda783022e5a3b56776068bbbadbee6f12a9f083d9f4dcf5154904a389f92df' }]);
  });

  it('counts opened hints up to the number the function has, and leaves out functions with none opened', async () => {
    mkdirSync(join(dir, '.transformer-labs'), { recursive: true });
    writeFileSync(join(dir, '.transformer-labs', 'hints.json'), JSON.stringify({ schemaVersion: 1, opened: { f: 7, h: 0 } }));
    const r = await grade(labWith([1]), ['pass']);
    assert.deepEqual(r.hintsOpened, { f: { opened: 3, of: 3 } });
  });

  it('type-checks only code that compiles, and says each step', async () => {
    const lab = labWith([1]);
    const steps: string[] = [];
    let typeChecked = 0;
    const typeCheck = async () => (typeChecked++, [{ file: 'x.ts', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'warn' }]);
    const r = await gradeLab(engineFor(lab, ['pass']), lab, dir, { extensionVersion: '1', typeCheck, onProgress: (m) => steps.push(m) });
    assert.equal(typeChecked, 1);
    assert.deepEqual(r.typeErrors?.map((d) => d.message), ['warn']);
    assert.deepEqual(steps, ['Reading 1 file(s)', 'Running 1 checks, hidden ones included', 'Type-checking your files']);
    const broken = engineFor(lab, ['not-run']);
    const run = broken.run.bind(broken);
    (broken as unknown as { run: typeof run }).run = async (...a: Parameters<typeof run>) => ({ ...(await run(...a)), compileErrors: [{ file: 'x.ts', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'no' }] });
    const r2 = await gradeLab(broken, lab, dir, { extensionVersion: '1', typeCheck });
    assert.equal(typeChecked, 1, 'no type check of code that does not compile');
    assert.equal(r2.typeErrors, null);
    assert.equal((await grade(lab, ['pass'])).typeErrors, null, 'none without a type checker');
    const quiet = await gradeLab(engineFor(lab, ['pass']), lab, dir, { extensionVersion: '1', typeCheck });
    assert.equal(quiet.typeErrors?.length, 1, 'type-checked without a progress callback');
  });

  it('writes the report as indented JSON with a final newline, to grade-report.json in the lab folder', async () => {
    const r = await grade(labWith([1]), ['pass']);
    const file = writeGradeReport(r, dir);
    assert.equal(file, join(dir, GRADE_REPORT_FILE));
    assert.equal(GRADE_REPORT_FILE, 'grade-report.json');
    assert.equal(readFileSync(file, 'utf8'), JSON.stringify(r, null, 2) + '\n');
  });

  describe('the text report', () => {
    let r: GradeReport;
    let text: string;
    before(async () => {
      const own = mkdtempSync(join(tmpdir(), 'tl-score-'));
      writeFileSync(join(own, 'x.ts'), 'export function f() {}\n');
      dir = own;
      r = await grade(labWith(STATUSES.map(() => 2), STATUSES.map((s) => s === 'timeout')), STATUSES);
      text = formatGradeReport(r);
      rmSync(own, { recursive: true, force: true });
    });

    it('heads with the score, percent and where it was graded', () => {
      const [first, second] = text.split('\n');
      assert.equal(first, `Lab X (lab-x v1.2.3) — 2/14 points (${r.percent}%)`);
      assert.equal(second, 'graded 2026-12-02T10:00:00.000Z on wasm, extension 9.9.9');
    });

    it('prints one line per check with its status, points and id; hidden ones say so', () => {
      const marks = ['PASS', 'FAIL', 'ERROR', 'TIMEOUT', 'MEMORY', 'NOT RUN', 'NOT STARTED'];
      STATUSES.forEach((s, i) => {
        const line = text.split('\n').find((l) => new RegExp(`^${marks[i]}\\s+\\d/2\\s+c${i}\\b`).test(l));
        assert.ok(line, `no line for ${s}`);
        assert.match(line, new RegExp(`^${marks[i]} +${s === 'pass' ? 2 : 0}/2 `));
        assert.equal(line.includes('(hidden)'), s === 'timeout');
      });
    });

    it('gives a failure its message lines, expected, actual and hint; not started and not run only the message', () => {
      const block = (i: number) => {
        const lines = text.split('\n');
        const at = lines.findIndex((l) => new RegExp(`\\bc${i}\\b`).test(l) && /\/2/.test(l));
        const end = lines.findIndex((l, j) => j > at && (/^\S/.test(l) || l === ''));
        return lines.slice(at + 1, end).map((l) => l.trim());
      };
      assert.deepEqual(block(0), []);
      assert.deepEqual(block(1), ['message 1', 'second line', 'expected  exp 1', 'actual    act 1', 'hint      hint 1']);
      assert.deepEqual(block(2), ['message 2', 'second line', 'hint      hint 2']);
      assert.deepEqual(block(5), ['message 5', 'second line']);
      assert.deepEqual(block(6), ['message 6', 'second line']);
    });

    it('says when no type check ran, and lists file hashes', () => {
      assert.match(text, /\ntype errors: not checked\n/);
      assert.match(text, new RegExp(`\\nsha256 ${r.files[0].sha256}  x\\.ts$`));
    });
  });

  describe('the Markdown report', () => {
    it('a heading with the score, one escaped table row per check with its mark, and the hint only where something failed', async () => {
      const r = await grade(labWith(STATUSES.map(() => 1), STATUSES.map((s) => s === 'memory')), STATUSES);
      const md = gradeReportMarkdown(r);
      assert.equal(md.split('\n')[0], `# Lab X: 1 / 7 points (${r.percent}%)`);
      const rows = md.split('\n').filter((l) => /^\| (✅|❌|○|⚠️) \|/.test(l));
      assert.equal(rows.length, STATUSES.length);
      const marks = ['✅', '❌', '⚠️', '⚠️', '⚠️', '⚠️', '○'];
      rows.forEach((row, i) => {
        assert.ok(row.startsWith(`| ${marks[i]} | Check ${i} \\| pipe`), row);
        assert.ok(row.includes(`| ${i === 0 ? 1 : 0}/1 |`), row);
        assert.equal(row.includes('*(hidden)*'), STATUSES[i] === 'memory', row);
        assert.equal(row.includes('*Hint:* hint'), i !== 0 && STATUSES[i] !== 'not-started', row);
        if (i > 0) assert.ok(row.includes(`message ${i} second line`), 'newlines become spaces inside a table cell');
      });
      assert.ok(rows[0].endsWith('| passed |'));
      assert.match(md, /## Files graded\n\n- `x\.ts` sha256 `[0-9a-f]{64}`/);
    });
  });

  describe('the exact formats (a report built by hand: compile and type errors, hints, five statuses)', () => {
    const report: GradeReport = {
      schemaVersion: 3, labId: 'lab-x', labVersion: '1.2.3', labTitle: 'Lab X', gradedAt: '2026-12-02T10:00:00.000Z', extensionVersion: '9.9.9', backend: 'wasm',
      score: 2, maxScore: 5, percent: 40,
      quiz: null, bonus: null, total: { score: 2, maxScore: 5, percent: 40 },
      compileErrors: [{ file: 'x.ts', line: 3, column: 7, endLine: 3, endColumn: 9, message: "Cannot find name 'q'." }],
      typeErrors: [{ file: 'x.ts', line: 4, column: 1, endLine: 4, endColumn: 2, message: "Type 'string' is not assignable to type 'number'.\n  more detail" }],
      hintsOpened: { f: { opened: 2, of: 3 }, g: { opened: 1, of: 2 } },
      checks: [
        { id: 'ok', title: 'Passes', function: 'f', points: 2, earned: 2, status: 'pass', message: '', hint: 'h0', bonus: false, hidden: false },
        { id: 'wrong-value', title: 'Row | sums', function: 'f', points: 1, earned: 0, status: 'fail', message: 'row 0 sums to 3\nexpected 1', expected: '[1]\n[2]', actual: '[3]', hint: 'normalise', bonus: false, hidden: true },
        { id: 'slow', title: 'Slow', function: 'g', points: 1, earned: 0, status: 'timeout', message: 'timed out after 700 ms', hint: 'loop', bonus: false, hidden: false },
        { id: 'todo', title: 'Todo', function: 'g', points: 1, earned: 0, status: 'not-started', message: 'g is not started', hint: 'start', bonus: false, hidden: false },
        { id: 'skipped', title: 'Skipped', function: 'g', points: 0, earned: 0, status: 'not-run', message: 'not run: the code does not compile', expected: '[0]', hint: 'compile', bonus: false, hidden: false },
      ],
      files: [{ path: 'x.ts', sha256: 'ab'.repeat(32) }],
    };

    it('text: every line, padding included', () => {
      assert.deepEqual(formatGradeReport(report).split('\n'), [
        'Lab X (lab-x v1.2.3) — 2/5 points (40%)',
        'graded 2026-12-02T10:00:00.000Z on wasm, extension 9.9.9',
        '',
        "compile error x.ts:3:7 Cannot find name 'q'.",
        'PASS         2/2  ok         ',
        'FAIL         0/1  wrong-value (hidden)',
        '                       row 0 sums to 3',
        '                       expected 1',
        '             expected  [1]',
        '                       [2]',
        '             actual    [3]',
        '             hint      normalise',
        'TIMEOUT      0/1  slow       ',
        '                       timed out after 700 ms',
        '             hint      loop',
        'NOT STARTED  0/1  todo       ',
        '                       g is not started',
        'NOT RUN      0/0  skipped    ',
        '                       not run: the code does not compile',
        '',
        'type errors (warnings, no points lost): 1',
        "  x.ts:4:1 Type 'string' is not assignable to type 'number'.",
        '',
        'hints opened: f 2 of 3, g 1 of 2',
        '',
        `sha256 ${'ab'.repeat(32)}  x.ts`,
      ]);
    });

    it('text: "not checked" only when no type check ran and the code compiles; nothing about hints when none were opened', () => {
      const tail = (r: Partial<GradeReport>) => formatGradeReport({ ...report, hintsOpened: {}, ...r }).split('\n').slice(-4);
      const sha = `sha256 ${'ab'.repeat(32)}  x.ts`;
      assert.deepEqual(tail({ compileErrors: [], typeErrors: null }), ['', 'type errors: not checked', '', sha]);
      assert.deepEqual(tail({ typeErrors: null }), ['NOT RUN      0/0  skipped    ', '                       not run: the code does not compile', '', sha]);
      assert.deepEqual(tail({ compileErrors: [], typeErrors: [] }), ['NOT RUN      0/0  skipped    ', '                       not run: the code does not compile', '', sha]);
    });

    it('Markdown: every line', () => {
      assert.deepEqual(gradeReportMarkdown(report).split('\n'), [
        '# Lab X: 2 / 5 points (40%)',
        '',
        'Lab `lab-x` v1.2.3 · graded 2026-12-02T10:00:00.000Z · backend wasm · Transformer Labs 9.9.9',
        '',
        '## Your code does not compile',
        '',
        "- `x.ts:3:7` Cannot find name 'q'.",
        '',
        '## Type errors (warnings: no points lost)',
        '',
        "- `x.ts:4:1` Type 'string' is not assignable to type 'number'.   more detail",
        '',
        '| | Check | Points | Feedback |',
        '|---|---|---|---|',
        '| ✅ | Passes | 2/2 | passed |',
        '| ❌ | Row \\| sums *(hidden)* | 0/1 | row 0 sums to 3 expected 1<br>*Hint:* normalise |',
        '| ⚠️ | Slow | 0/1 | timed out after 700 ms<br>*Hint:* loop |',
        '| ○ | Todo | 0/1 | g is not started |',
        '| ⚠️ | Skipped | 0/0 | not run: the code does not compile<br>*Hint:* compile |',
        '',
        'Hints opened: `f` 2 of 3, `g` 1 of 2',
        '',
        '## Files graded',
        '',
        `- \`x.ts\` sha256 \`${'ab'.repeat(32)}\``,
        '',
      ]);
    });

    it('Markdown: no error sections and no hint line when there is nothing to say', () => {
      const md = gradeReportMarkdown({ ...report, compileErrors: [], typeErrors: [], hintsOpened: {} });
      assert.doesNotMatch(md, /## Your code does not compile|## Type errors|Hints opened/);
      assert.match(md, /\|---\|---\|---\|---\|\n\| ✅/);
    });
  });
});
